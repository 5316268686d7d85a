/*
 * textfold.c — case folding and normalisation for word comparison, on top of
 * utf8proc. Works in fixed stack buffers so the hot path never allocates.
 *
 * Invariant: names_fold(x) == names_fold(names_nfc_clean(x)) for every mode,
 * so forms stored cleaned and words folded at query time meet.
 */
#include "names/textfold.h"

#include <string.h>
#include <utf8proc.h>

#define FOLD_MAX_CP 1024
#define STRESS_ACUTE 0x0301

/* Letters that carry no combining mark to strip but still differ from their
 * base letter only by a diacritic in Polish (ł) — the loose fold maps them. */
static utf8proc_int32_t loose_map(utf8proc_int32_t cp, void *data)
{
    (void)data;
    switch (cp) {
    case 0x0141: return 'L'; /* Ł */
    case 0x0142: return 'l'; /* ł */
    case 0x0110: return 'D'; /* Đ */
    case 0x0111: return 'd'; /* đ */
    case 0x00DF: return 's'; /* ß: "Strauß" as "Straus", good enough here */
    default: return cp;
    }
}

/* Decomposes, normalises and filters into buf; returns the code point count
 * or -1. */
static int normalise(const char *s, size_t len, utf8proc_int32_t *buf,
                     utf8proc_option_t opts, int loose, int fold_yo)
{
    if (len > FOLD_MAX_CP * 4)
        return -1;
    utf8proc_ssize_t n = utf8proc_decompose_custom(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, buf, FOLD_MAX_CP,
        opts, loose ? loose_map : NULL, NULL);
    if (n < 0 || n > FOLD_MAX_CP)
        return -1;
    n = utf8proc_normalize_utf32(buf, n, opts);
    if (n < 0)
        return -1;
    /* Stress marks survive NFC on Cyrillic vowels (no precomposed form):
     * they are editorial, never part of the name. ё is written as е in
     * most documents, so both read as е. */
    utf8proc_ssize_t w = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        utf8proc_int32_t c = buf[i];
        if (c == STRESS_ACUTE)
            continue;
        if (fold_yo && c == 0x0451) c = 0x0435;      /* ё → е */
        else if (fold_yo && c == 0x0401) c = 0x0415; /* Ё → Е */
        buf[w++] = c;
    }
    return (int)w;
}

static int encode(const utf8proc_int32_t *buf, int n, char *out, size_t cap)
{
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        utf8proc_uint8_t tmp[4];
        utf8proc_ssize_t k = utf8proc_encode_char(buf[i], tmp);
        if (k <= 0 || o + (size_t)k + 1 > cap) {
            if (cap)
                out[0] = '\0';   /* nothing half-written */
            return -1;
        }
        memcpy(out + o, tmp, (size_t)k);
        o += (size_t)k;
    }
    if (o + 1 > cap)
        return -1;
    out[o] = '\0';
    return (int)o;
}

/* The Latin fold: decomposed, case folded, ł→l; the marks of Latin letters
 * (below U+0400) dropped, the rest composed again. */
static int fold_latin(const char *s, size_t len, utf8proc_int32_t *buf)
{
    if (len > FOLD_MAX_CP * 4)
        return -1;
    utf8proc_option_t opts = UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STABLE;
    utf8proc_ssize_t n = utf8proc_decompose_custom((const utf8proc_uint8_t *)s,
                                                   (utf8proc_ssize_t)len, buf, FOLD_MAX_CP,
                                                   opts, loose_map, NULL);
    if (n < 0 || n > FOLD_MAX_CP)
        return -1;
    utf8proc_ssize_t w = 0;
    utf8proc_int32_t base = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        utf8proc_int32_t c = buf[i];
        int mark = utf8proc_category(c) == UTF8PROC_CATEGORY_MN;
        if (!mark)
            base = c;
        else if (base < 0x0400)
            continue;
        buf[w++] = c;
    }
    n = utf8proc_normalize_utf32(buf, w, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    return n < 0 ? -1 : (int)n;
}

int names_fold(const char *s, size_t len, char *out, size_t cap, int mode)
{
    utf8proc_int32_t buf[FOLD_MAX_CP];
    if (mode == NAMES_FOLD_LATIN) {
        int n = fold_latin(s, len, buf);
        if (n < 0) {
            if (cap) out[0] = '\0';
            return -1;
        }
        return encode(buf, n, out, cap);
    }
    utf8proc_option_t opts = UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STABLE;
    if (mode == NAMES_FOLD_LOOSE)
        opts |= UTF8PROC_STRIPMARK;
    int n = normalise(s, len, buf, opts, mode == NAMES_FOLD_LOOSE, 1);
    if (n < 0) {
        if (cap) out[0] = '\0';
        return -1;
    }
    return encode(buf, n, out, cap);
}

int names_nfc_clean(const char *s, size_t len, char *out, size_t cap)
{
    utf8proc_int32_t buf[FOLD_MAX_CP];
    int n = normalise(s, len, buf, UTF8PROC_COMPOSE | UTF8PROC_STABLE, 0, 0);
    if (n < 0) {
        if (cap) out[0] = '\0';
        return -1;
    }
    return encode(buf, n, out, cap);
}

int names_cp_at(const char *s, size_t len, int *n)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s,
                                          (utf8proc_ssize_t)len, &cp);
    if (k <= 0) {
        *n = 1;
        return -1;
    }
    *n = (int)k;
    return cp;
}

int names_cp_is_letter(int cp)
{
    if (cp < 0)
        return 0;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
        return 1;
    default:
        return 0;
    }
}
