/* embedded.c — lookup of data files compiled into the binary. */
#include "util/embedded.h"

#include <string.h>

const kt_blob *kt_embedded(const char *path)
{
    for (const kt_blob *b = kt_embedded_files; b->path; b++)
        if (strcmp(b->path, path) == 0)
            return b;
    return NULL;
}
