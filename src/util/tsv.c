/*
 * tsv.c — the cursor over tab-separated text (see tsv.h).
 *
 * Guarantees: reads only inside [data, data+len), writes nothing but the
 * cursor and the caller's field array, and counts every line (blank, comment
 * and header lines too) so c->line is the line a text editor shows.
 */
#include "util/tsv.h"

#include "util/embedded.h"

#include <pthread.h>
#include <string.h>

void kt_tsv_init(kt_tsv *c, const char *data, size_t len, unsigned flags)
{
    memset(c, 0, sizeof *c);
    c->p = data;
    c->end = data ? data + len : data;
    c->flags = flags;
}

int kt_tsv_open_embedded(kt_tsv *c, const char *path, unsigned flags)
{
    const kt_blob *b = kt_embedded(path);
    kt_tsv_init(c, b ? b->data : NULL, b ? b->len : 0, flags);
    c->path = b ? b->path : NULL;
    return b != NULL;
}

int kt_tsv_next(kt_tsv *c, kt_tsv_field *fields, int max, int *n)
{
    while (c->p < c->end) {
        const char *line = c->p;
        const char *nl = memchr(line, '\n', (size_t)(c->end - line));
        const char *stop = nl ? nl : c->end;
        c->p = nl ? nl + 1 : c->end;
        c->line++;
        if (stop > line && stop[-1] == '\r')
            stop--;
        if (stop == line)
            continue;
        if ((c->flags & KT_TSV_COMMENTS) && line[0] == '#')
            continue;
        if ((c->flags & KT_TSV_HEADER) && !c->header_seen) {
            c->header_seen = 1;
            continue;
        }
        c->row = line;
        c->row_len = (size_t)(stop - line);
        int k = 0;
        const char *f = line;
        for (;;) {
            const char *tab = memchr(f, '\t', (size_t)(stop - f));
            const char *fe = tab ? tab : stop;
            if (k < max) {
                fields[k].s = f;
                fields[k].len = (size_t)(fe - f);
            }
            k++;
            if (!tab)
                break;
            f = tab + 1;
        }
        if (n)
            *n = k;
        return 1;
    }
    c->row = NULL;
    c->row_len = 0;
    if (n)
        *n = 0;
    return 0;
}

int kt_tsv_eq(kt_tsv_field f, const char *s)
{
    size_t l = strlen(s);
    return f.len == l && memcmp(f.s, s, l) == 0;
}

int kt_tsv_copy(kt_tsv_field f, char *buf, size_t cap)
{
    if (cap == 0)
        return 0;
    if (f.len >= cap) {
        buf[0] = '\0';
        return 0;
    }
    memcpy(buf, f.s, f.len);
    buf[f.len] = '\0';
    return 1;
}

static pthread_mutex_t refusal_lock = PTHREAD_MUTEX_INITIALIZER;
static int refusal_count;
static kt_error refusal_first;

void kt_tsv_refuse(const kt_tsv *c, const char *why)
{
    pthread_mutex_lock(&refusal_lock);
    if (refusal_count++ == 0)
        kt_error_at(&refusal_first, c->path ? c->path : "(text)", c->line, NULL,
                    "row refused: %s", why);
    pthread_mutex_unlock(&refusal_lock);
}

int kt_tsv_refusals(kt_error *first)
{
    pthread_mutex_lock(&refusal_lock);
    int n = refusal_count;
    if (first && n)
        *first = refusal_first;
    pthread_mutex_unlock(&refusal_lock);
    return n;
}
