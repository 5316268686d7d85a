/*
 * embedded.h — data files compiled into the binary (see tools/embed.c).
 *
 * Every file under data/history/ and data/names/ (and data/rules/) is embedded
 * at build time and found by its path relative to the project root.
 * The contents are NUL-terminated for convenience; len excludes the NUL.
 */
#ifndef KT_EMBEDDED_H
#define KT_EMBEDDED_H

#include <stddef.h>

typedef struct kt_blob {
    const char *path;
    const char *data;
    size_t len;
} kt_blob;

extern const kt_blob kt_embedded_files[]; /* ends with a {0,0,0} entry */

/* The embedded file with this path ("data/history/figures.tsv"), or NULL. */
const kt_blob *kt_embedded(const char *path);

#endif
