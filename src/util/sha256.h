/*
 * sha256.h — SHA-256 (FIPS 180-4) of a byte buffer, as lower-case hex.
 * Used to recognise a file that has been imported before. Pure, no I/O.
 */
#ifndef KT_SHA256_H
#define KT_SHA256_H

#include <stddef.h>

/* Writes the 64 hex digits and a NUL to hex[65]. */
void kt_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
