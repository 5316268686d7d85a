/*
 * keys.c — candidate keys: a coarse skeleton of a pivot (its classes from
 * data/rules/skeleton.tsv) and its one-deletion neighbours (symmetric
 * deletion), so that names a clerk's error apart land on a shared key while
 * a 1,000,000-name index stays small.
 *
 * Guarantees: pure, no allocation; equal pivots give equal keys; two
 * skeletons at most one deletion / insertion / substitution / adjacent swap
 * apart share at least one key when both have >= 4 classes.
 */
#include "names/names.h"

#include <pthread.h>
#include <string.h>

#include "util/tsv.h"

/* Phoneme → skeleton class (0 = dropped), from data/rules/skeleton.tsv. */
static char classes[128];
static pthread_once_t classes_once = PTHREAD_ONCE_INIT;

static void load_classes(void)
{
    kt_tsv c;
    kt_tsv_field f[2];
    int n;
    if (!kt_tsv_open_embedded(&c, "data/rules/skeleton.tsv", KT_TSV_COMMENTS | KT_TSV_HEADER))
        return;
    while (kt_tsv_next(&c, f, 2, &n)) {
        /* phoneme TAB class [TAB note]: single ASCII symbols; an empty
         * class drops the phoneme */
        if (n < 2 || f[0].len != 1 || f[1].len > 1) {
            kt_tsv_refuse(&c, "expected a one-letter phoneme and a one-letter class (or none)");
            continue;
        }
        classes[(unsigned char)f[0].s[0] & 127] = f[1].len ? f[1].s[0] : 0;
    }
}

static char class_of(char ph)
{
    return classes[(unsigned char)ph & 127];
}

int names_skeleton(const char *ph, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    pthread_once(&classes_once, load_classes);
    if (cap == 0)
        return 0;
    for (size_t i = 0; i < len && o + 1 < cap && o < NAMES_SKELETON_MAX; i++) {
        char k = class_of(ph[i]);
        if (!k)
            continue;
        /* рж / ржш for Polish rz: the r is a transcriber's addition */
        if (k == 'R' && i + 1 < len && class_of(ph[i + 1]) == 'X')
            continue;
        if (o > 0 && out[o - 1] == k)
            continue;
        out[o++] = k;
    }
    out[o] = '\0';
    return (int)o;
}

uint64_t names_hash(const char *s, size_t len)
{
    /* FNV-1a, then a finaliser so that short keys spread over all bits */
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

int names_keys(const char *skel, size_t len, uint64_t keys[NAMES_KEYS_MAX])
{
    int n = 0;
    if (len > NAMES_SKELETON_MAX)
        len = NAMES_SKELETON_MAX;
    keys[n++] = names_hash(skel, len);
    if (len < 4)
        return n;
    char tmp[NAMES_SKELETON_MAX];
    for (size_t d = 0; d < len; d++) {
        /* deleting either of two equal neighbours gives the same key */
        if (d > 0 && skel[d] == skel[d - 1])
            continue;
        size_t t = 0;
        for (size_t i = 0; i < len; i++) {
            if (i == d)
                continue;
            if (t > 0 && tmp[t - 1] == skel[i])
                continue;   /* keep the collapsed form, as names_skeleton would */
            tmp[t++] = skel[i];
        }
        uint64_t h = names_hash(tmp, t);
        int dup = 0;
        for (int k = 0; k < n; k++)
            if (keys[k] == h)
                dup = 1;
        if (!dup && n < NAMES_KEYS_MAX)
            keys[n++] = h;
    }
    return n;
}
