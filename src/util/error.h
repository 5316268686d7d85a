/*
 * error.h — the small error record that library code fills instead of
 * printing or exiting. The CLI (or the web server) decides what to show.
 *
 * A message names, where known, the file, the line and the field/column that
 * caused it, so a user can find and fix the input.
 */
#ifndef KT_ERROR_H
#define KT_ERROR_H

#include <stdarg.h>

typedef struct kt_error {
    char message[1024]; /* human-readable, complete sentence-ish */
    char file[512];     /* input file, "" when not about a file */
    long line;          /* 1-based line in file, 0 when unknown */
    char field[128];    /* column / field name, "" when unknown */
} kt_error;

/* Status codes returned by library functions. */
enum {
    KT_OK = 0,
    KT_ERR = -1,        /* generic failure; see kt_error */
    KT_ERR_INPUT = -2,  /* bad user input (file content, arguments) */
    KT_ERR_EXISTS = -3, /* refused: already there (e.g. same import twice) */
    KT_ERR_NOTFOUND = -4,
    KT_ERR_NOMEM = -5,
};

void kt_error_clear(kt_error *err);
/* Sets message (printf-style); file/line/field are left as they are. */
void kt_error_set(kt_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Sets everything at once. file/field may be NULL. */
void kt_error_at(kt_error *err, const char *file, long line, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* "FILE:LINE: column FIELD: MESSAGE" with the known parts only. */
const char *kt_error_format(const kt_error *err, char *buf, unsigned long cap);

#endif
