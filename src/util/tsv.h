/*
 * tsv.h — a cursor over the lines and fields of a tab-separated text held in
 * memory (the data files compiled into the binary, util/embedded.h).
 *
 * The bundled tables never quote: a field holds no tab or line break, so a
 * row is a line split at tabs. The cursor allocates nothing and never writes
 * to the text; a field is a slice (pointer and length) into it, valid as long
 * as the text is. Lines end in "\n" or "\r\n"; the last line needs neither.
 * Blank lines are always skipped. By flag, lines starting with '#' are
 * comments, and the first remaining line is a header, both skipped. The
 * cursor keeps the 1-based number of the line it returned, for messages.
 */
#ifndef KT_TSV_H
#define KT_TSV_H

#include <stddef.h>

#include "util/error.h"

enum {
    KT_TSV_COMMENTS = 1, /* skip lines whose first byte is '#' */
    KT_TSV_HEADER = 2,   /* skip the first line that is not blank or a comment */
};

typedef struct kt_tsv_field {
    const char *s; /* not NUL-terminated */
    size_t len;
} kt_tsv_field;

typedef struct kt_tsv {
    const char *p, *end; /* what is still to read */
    unsigned flags;
    int header_seen;
    long line;           /* 1-based line number of the row last returned */
    const char *path;    /* the embedded file read, NULL for other text */
    const char *row;     /* that row verbatim, without its terminator ... */
    size_t row_len;      /* ... (and without a trailing '\r') */
} kt_tsv;

/* A cursor over data[0..len). flags: KT_TSV_COMMENTS | KT_TSV_HEADER. */
void kt_tsv_init(kt_tsv *c, const char *data, size_t len, unsigned flags);

/* A cursor over the embedded file at path ("data/rules/ranks.tsv");
 * returns 0 (and a cursor with nothing to read) if there is no such file. */
int kt_tsv_open_embedded(kt_tsv *c, const char *path, unsigned flags);

/* Reads the next row. Returns 1 and fills fields[0..min(n, max)) when a row
 * is ready, 0 at the end of the text. *n is the number of fields in the row
 * (one more than its tabs), which may exceed max: the rest are not filled.
 * An empty field (two tabs together, a trailing tab) has len 0. */
int kt_tsv_next(kt_tsv *c, kt_tsv_field *fields, int max, int *n);

/* 1 if the field is exactly the NUL-terminated string s. */
int kt_tsv_eq(kt_tsv_field f, const char *s);

/* Copies the field into buf as a NUL-terminated string. Returns 1, or 0
 * (buf holding "") if it does not fit in cap bytes with its NUL. */
int kt_tsv_copy(kt_tsv_field f, char *buf, size_t cap);

/* A loader's refusal of the row the cursor last returned (a malformed row
 * of a rules table: too few fields, an empty key, a value out of range):
 * counted, and the first one kept with its file and line. Thread-safe. */
void kt_tsv_refuse(const kt_tsv *c, const char *why);
/* The rows refused so far in this process; *first (may be NULL) receives
 * the first, naming file and line. */
int kt_tsv_refusals(kt_error *first);

#endif
