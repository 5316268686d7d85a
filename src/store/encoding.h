/*
 * encoding.h — turning an imported file's bytes into UTF-8 (glibc iconv).
 *
 * Supported: utf-8 (validated, not converted), cp1250 (Polish Windows),
 * cp1251 (Russian Windows), koi8-r (Russian Unix and early web). Errors
 * name the line of the first byte that cannot be read.
 */
#ifndef KT_STORE_ENCODING_H
#define KT_STORE_ENCODING_H

#include <stddef.h>

#include "util/error.h"

/* "utf-8, cp1250, cp1251, koi8-r", for usage messages. */
const char *store_encoding_list(void);

/* The canonical name ("cp1251") of an encoding name as a user may type it
 * ("CP1251", "windows-1251", "utf8"), or NULL when it is not supported. */
const char *store_encoding_canonical(const char *name);

/* Decodes len bytes in `encoding` (any name store_encoding_canonical knows;
 * NULL means utf-8) into a new NUL-terminated UTF-8 buffer *out (free() it),
 * *out_len bytes long. A NUL byte or a byte sequence that is not valid in
 * the encoding is KT_ERR_INPUT naming `file` and the line. */
int store_encoding_to_utf8(const char *data, size_t len, const char *encoding,
                           const char *file, char **out, size_t *out_len,
                           kt_error *err);

/* The same, reading the text for what it is. encoding NULL or "auto":
 * valid UTF-8 is UTF-8, anything else is read as cp1250, cp1251 and koi8-r
 * and the reading that looks most like Polish or Russian text wins (letters
 * of those alphabets count for it; other letters beyond ASCII, a script
 * changing inside a word and a capital after a small letter count against
 * it). An encoding named explicitly is refused (KT_ERR_INPUT) when its
 * reading is garbled and another reads clearly better, naming that one; so
 * are bytes it cannot read. *used is the canonical name of the encoding
 * read (a static string). */
int store_encoding_decode(const char *data, size_t len, const char *encoding,
                          const char *file, char **out, size_t *out_len,
                          const char **used, kt_error *err);

#endif
