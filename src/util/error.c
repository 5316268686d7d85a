/* error.c — filling and formatting kt_error. */
#include "util/error.h"

#include <stdio.h>
#include <string.h>

void kt_error_clear(kt_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

void kt_error_set(kt_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

void kt_error_at(kt_error *err, const char *file, long line, const char *field,
                 const char *fmt, ...)
{
    if (!err)
        return;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

const char *kt_error_format(const kt_error *err, char *buf, unsigned long cap)
{
    size_t n = 0;
    buf[0] = '\0';
    if (err->file[0])
        n += snprintf(buf + n, cap - n, "%s:", err->file);
    if (err->line > 0 && n < cap)
        n += snprintf(buf + n, cap - n, "%ld:", err->line);
    if (err->field[0] && n < cap)
        n += snprintf(buf + n, cap - n, "%scolumn '%s':", n ? " " : "", err->field);
    if (n < cap)
        snprintf(buf + n, cap - n, "%s%s", n ? " " : "", err->message);
    return buf;
}
