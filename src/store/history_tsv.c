/*
 * history_tsv.c — row reader for the bundled TSV files (see history_tsv.h).
 *
 * Guarantee: t->raw is the line exactly as in the file (minus its line
 * terminator), so a record can keep its source row verbatim; t->field[i]
 * points into a second copy, t->buf, split at the tabs the cursor found.
 */
#include "store/history_tsv.h"

#include <stdlib.h>
#include <string.h>

void htsv_init(htsv *t, const char *data, size_t len)
{
    memset(t, 0, sizeof *t);
    kt_tsv_init(&t->cur, data, len, 0);
}

void htsv_free(htsv *t)
{
    free(t->raw);
    free(t->buf);
    t->raw = t->buf = NULL;
}

int htsv_next(htsv *t)
{
    kt_tsv_field f[HTSV_MAX_FIELDS];
    int n;
    if (!kt_tsv_next(&t->cur, f, HTSV_MAX_FIELDS, &n))
        return 0;
    t->line = t->cur.line;
    size_t len = t->cur.row_len;
    if (len + 1 > t->cap) {
        size_t cap = (len + 1) * 2;
        char *raw = realloc(t->raw, cap);
        if (!raw)
            return -1;
        t->raw = raw;
        char *buf = realloc(t->buf, cap);
        if (!buf)
            return -1;
        t->buf = buf;
        t->cap = cap;
    }
    memcpy(t->raw, t->cur.row, len);
    t->raw[len] = '\0';
    memcpy(t->buf, t->cur.row, len);
    t->buf[len] = '\0';
    for (int i = 0; i < n && i < HTSV_MAX_FIELDS; i++) {
        size_t at = (size_t)(f[i].s - t->cur.row);
        t->field[i] = t->buf + at;
        t->buf[at + f[i].len] = '\0';   /* the tab after the field */
    }
    t->n = n;
    return 1;
}
