/*
 * history_tsv.h — internal to the history loaders: reads the bundled TSV
 * files row by row. The files never quote (fields hold no tab, line break
 * or double quote; data/history/README.md), so a row is a line split at
 * tabs (util/tsv.h finds them). Lines may end in "\n" or "\r\n"; blank lines
 * are skipped; comments and the header are the caller's business. Fields
 * are NUL-terminated copies, so a loader can hand them to SQLite as they are.
 */
#ifndef KT_HISTORY_TSV_H
#define KT_HISTORY_TSV_H

#include <stddef.h>

#include "util/tsv.h"

#define HTSV_MAX_FIELDS 32

typedef struct htsv {
    kt_tsv cur;
    long line;                      /* 1-based line of the current row */
    char *raw;                      /* the row verbatim, without terminator */
    char *buf;                      /* the row, split: fields point here */
    size_t cap;
    char *field[HTSV_MAX_FIELDS];
    int n;                          /* fields in the row (may exceed the max: counted) */
} htsv;

void htsv_init(htsv *t, const char *data, size_t len);
/* 1 = a row is ready, 0 = end of data, -1 = out of memory. */
int htsv_next(htsv *t);
void htsv_free(htsv *t);

#endif
