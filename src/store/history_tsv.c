/*
 * history_tsv.c — row reader for the bundled TSV files (see history_tsv.h).
 *
 * Guarantee: t->raw is the line exactly as in the file (minus its line
 * terminator), so a record can keep its source row verbatim.
 */
#include "store/history_tsv.h"

#include <stdlib.h>
#include <string.h>

void htsv_init(htsv *t, const char *data, size_t len)
{
    memset(t, 0, sizeof *t);
    t->p = data;
    t->end = data + len;
}

void htsv_free(htsv *t)
{
    free(t->raw);
    free(t->buf);
    t->raw = t->buf = NULL;
}

int htsv_next(htsv *t)
{
    for (;;) {
        if (t->p >= t->end)
            return 0;
        const char *nl = memchr(t->p, '\n', (size_t)(t->end - t->p));
        const char *stop = nl ? nl : t->end;
        const char *next = nl ? nl + 1 : t->end;
        size_t len = (size_t)(stop - t->p);
        if (len > 0 && t->p[len - 1] == '\r')
            len--;
        t->line++;
        if (len == 0) {
            t->p = next;
            continue;
        }
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
        memcpy(t->raw, t->p, len);
        t->raw[len] = '\0';
        memcpy(t->buf, t->p, len);
        t->buf[len] = '\0';
        t->p = next;
        t->n = 0;
        char *f = t->buf;
        for (;;) {
            char *tab = strchr(f, '\t');
            if (t->n < HTSV_MAX_FIELDS)
                t->field[t->n] = f;
            t->n++;
            if (!tab)
                break;
            *tab = '\0';
            f = tab + 1;
        }
        return 1;
    }
}
