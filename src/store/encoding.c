/*
 * encoding.c — decoding imported files to UTF-8 (store/encoding.h).
 *
 * UTF-8 input is only validated (utf8proc decides what is a valid sequence)
 * and copied; the other encodings go through glibc's iconv. Either way the
 * result is valid UTF-8 without NUL bytes, so later stages can treat it as a
 * C string. A line number in an error counts '\n' bytes before the bad byte,
 * which is correct for all four encodings (all keep ASCII as it is).
 */
#include "store/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

static const struct {
    const char *canonical;
    const char *iconv_name; /* NULL: UTF-8, validated only */
    const char *aliases[4];
} encodings[] = {
    {"utf-8", NULL, {"utf8", NULL}},
    {"cp1250", "CP1250", {"windows-1250", "win1250", NULL}},
    {"cp1251", "CP1251", {"windows-1251", "win1251", NULL}},
    {"koi8-r", "KOI8-R", {"koi8r", NULL}},
};

const char *store_encoding_list(void)
{
    return "utf-8, cp1250, cp1251, koi8-r";
}

const char *store_encoding_canonical(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof encodings / sizeof *encodings; i++) {
        if (!strcasecmp(name, encodings[i].canonical))
            return encodings[i].canonical;
        for (size_t a = 0; encodings[i].aliases[a]; a++)
            if (!strcasecmp(name, encodings[i].aliases[a]))
                return encodings[i].canonical;
    }
    return NULL;
}

static long line_of(const char *data, size_t at)
{
    long line = 1;
    for (size_t i = 0; i < at; i++)
        if (data[i] == '\n')
            line++;
    return line;
}

static int fail_nul(const char *data, size_t at, const char *file, kt_error *err)
{
    kt_error_at(err, file, line_of(data, at), NULL,
                "the file contains a NUL byte (at byte %zu); is it a text file "
                "(or UTF-16, which is not supported)?", at);
    return KT_ERR_INPUT;
}

static int validate_utf8(const char *data, size_t len, const char *file, kt_error *err)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)data[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)data + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n < 0) {
            kt_error_at(err, file, line_of(data, i), NULL,
                        "invalid UTF-8 (byte 0x%02x at byte %zu); if the file is in "
                        "another encoding, give --encoding (%s)",
                        c, i, store_encoding_list());
            return KT_ERR_INPUT;
        }
        i += (size_t)n;
    }
    return KT_OK;
}

static int convert(const char *data, size_t len, const char *from, const char *canonical,
                   const char *file, char **out, size_t *out_len, kt_error *err)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        kt_error_set(err, "this system's iconv cannot convert from %s", from);
        return KT_ERR;
    }
    /* Every single-byte character becomes at most 3 UTF-8 bytes. */
    size_t cap = len * 3 + 1;
    char *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        kt_error_set(err, "out of memory decoding %zu bytes", len);
        return KT_ERR_NOMEM;
    }
    char *in = (char *)data, *o = buf;
    size_t in_left = len, out_left = cap - 1;
    while (in_left > 0) {
        if (iconv(cd, &in, &in_left, &o, &out_left) == (size_t)-1) {
            size_t at = (size_t)(in - data);
            if (errno == E2BIG) {
                kt_error_set(err, "internal: UTF-8 buffer too small for %s", from);
                free(buf);
                iconv_close(cd);
                return KT_ERR;
            }
            kt_error_at(err, file, line_of(data, at), NULL,
                        "byte 0x%02x (at byte %zu) is not a character in %s; "
                        "is the file in another encoding?",
                        (unsigned char)data[at], at, canonical);
            free(buf);
            iconv_close(cd);
            return KT_ERR_INPUT;
        }
    }
    iconv_close(cd);
    *o = '\0';
    size_t n = (size_t)(o - buf);
    *out = buf;
    *out_len = n;
    return KT_OK;
}

int store_encoding_to_utf8(const char *data, size_t len, const char *encoding,
                           const char *file, char **out, size_t *out_len,
                           kt_error *err)
{
    *out = NULL;
    *out_len = 0;
    const char *canonical = store_encoding_canonical(encoding ? encoding : "utf-8");
    if (!canonical) {
        kt_error_set(err, "unknown encoding '%s' (supported: %s)", encoding,
                     store_encoding_list());
        return KT_ERR_INPUT;
    }
    /* All four encodings write U+0000 as a 0x00 byte; refuse it up front. */
    const char *nul = memchr(data, '\0', len);
    if (nul)
        return fail_nul(data, (size_t)(nul - data), file, err);
    for (size_t i = 0; i < sizeof encodings / sizeof *encodings; i++) {
        if (strcmp(encodings[i].canonical, canonical))
            continue;
        if (encodings[i].iconv_name)
            return convert(data, len, encodings[i].iconv_name, canonical, file, out,
                           out_len, err);
    }
    int rc = validate_utf8(data, len, file, err);
    if (rc != KT_OK)
        return rc;
    char *buf = malloc(len + 1);
    if (!buf) {
        kt_error_set(err, "out of memory reading %zu bytes", len);
        return KT_ERR_NOMEM;
    }
    memcpy(buf, data, len);
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return KT_OK;
}
