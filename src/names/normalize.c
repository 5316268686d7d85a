/*
 * normalize.c — one canonical text form for every name before it is read,
 * and the choice of orthographies a word may be written in.
 *
 * Guarantees: names_normalize is idempotent, never allocates (stack
 * buffers), and maps every spelling of the same letters (NFC/NFD, upper or
 * lower case, stress marks, typographic hyphens and apostrophes) to the same
 * bytes. Plain lower-case ASCII and precomposed text take a fast path that
 * does not call into utf8proc's normaliser: name encoding is on the hot path
 * of index building.
 */
#include "names/names.h"

#include <string.h>
#include <utf8proc.h>

#define NORM_MAX_CP 256

/* Hyphens and dashes that appear inside double surnames in real sources. */
static int is_hyphen(utf8proc_int32_t c)
{
    return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0x00AD ||
           c == 0xFE63 || c == 0xFF0D;
}

/* Apostrophes, and the primes ISO 9 uses for the soft and hard signs. */
static int is_apostrophe(utf8proc_int32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x02B9 ||
           c == 0x02BA || c == 0x0060 || c == 0x00B4 || c == 0x2032 || c == 0x02C8;
}

/* Classifies one folded code point: 1 keep, 0 drop silently (stress and
 * other combining marks left after composition), 2 separator. */
static int classify(utf8proc_int32_t c)
{
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            return 1;
        return 2;
    }
    /* the letters of names, without a table lookup: Latin-1 and Latin
     * Extended-A/B letters, Cyrillic */
    if ((c >= 0x00C0 && c <= 0x024F && c != 0x00D7 && c != 0x00F7) ||
        (c >= 0x0400 && c <= 0x0481) || (c >= 0x048A && c <= 0x052F))
        return 1;
    const utf8proc_property_t *p = utf8proc_get_property(c);
    switch (p->category) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
        return 1;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return 0;
    default:
        return 2;
    }
}

/* Writes the code points, mapping separators; returns bytes or -1. */
static int emit(const utf8proc_int32_t *buf, utf8proc_ssize_t n, char *out, size_t cap)
{
    size_t o = 0;
    int pending_space = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        utf8proc_int32_t c = buf[i];
        utf8proc_uint8_t tmp[4];
        utf8proc_ssize_t k;
        if (is_hyphen(c)) {
            /* "Olszyna - Wilczyński" and "Olszyna-Wilczyński" are one name */
            while (o > 0 && out[o - 1] == ' ')
                o--;
            if (o > 0 && out[o - 1] != '-') {
                if (o + 2 > cap) return -1;
                out[o++] = '-';
            }
            pending_space = 0;
            continue;
        }
        if (is_apostrophe(c)) {
            if (o > 0 && out[o - 1] != ' ' && out[o - 1] != '-' && out[o - 1] != '\'') {
                if (o + 2 > cap) return -1;
                out[o++] = '\'';
            }
            continue;
        }
        int cls = classify(c);
        if (cls == 0)
            continue;
        if (cls == 2) {
            pending_space = 1;
            continue;
        }
        if (pending_space && o > 0 && out[o - 1] != '-') {
            if (o + 2 > cap) return -1;
            out[o++] = ' ';
        }
        pending_space = 0;
        k = utf8proc_encode_char(c, tmp);
        if (k <= 0 || o + (size_t)k + 1 > cap)
            return -1;
        memcpy(out + o, tmp, (size_t)k);
        o += (size_t)k;
    }
    while (o > 0 && (out[o - 1] == '-' || out[o - 1] == '\''))
        o--;
    if (o + 1 > cap)
        return -1;
    out[o] = '\0';
    return (int)o;
}

/* Whether code point c needs the real normaliser: a combining mark to
 * compose or drop, a compatibility form (ǅ, ĳ, ŀ, ſ: NFKC spells them out),
 * ß, or anything past the scripts of names. Precomposed letters (ą, ł, й,
 * ё) have canonical decompositions only and stay on the fast path. Found
 * by fuzz_names: "ǅ" lowered on the fast path to "ǆ", which the normaliser
 * spells "dž" when something else in the text sends it there, so
 * normalising twice gave two answers. */
static int needs_normaliser(utf8proc_int32_t c)
{
    if ((c >= 0x0300 && c <= 0x036F) || c >= 0x1E00 || c == 0x00DF)
        return 1;
    const utf8proc_property_t *p = utf8proc_get_property(c);
    return p->decomp_type != 0 || p->combining_class != 0;
}

int names_normalize(const char *in, size_t len, char *out, size_t cap)
{
    utf8proc_int32_t buf[NORM_MAX_CP];
    if (cap == 0)
        return -1;
    if (len > NORM_MAX_CP * 4)
        return -1;
    /* Fast path: decode, lower-case, and check whether anything needs the
     * real normaliser (combining marks to compose, compatibility forms). */
    utf8proc_ssize_t n = 0;
    int slow = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k;
        unsigned char b = (unsigned char)in[i];
        if (b < 0x80) {
            c = b;
            k = 1;
            if (c >= 'A' && c <= 'Z')
                c += 32;
        } else {
            k = utf8proc_iterate((const utf8proc_uint8_t *)in + i, (utf8proc_ssize_t)(len - i), &c);
            if (k <= 0)
                return -1;
            utf8proc_int32_t lc = utf8proc_tolower(c);
            /* the letter and its lower case both: Ⱥ (U+023A) lowers to
             * ⱥ (U+2C65), and a second pass must not take another road */
            if (needs_normaliser(c) || needs_normaliser(lc)) {
                slow = 1;
                break;
            }
            c = lc;
        }
        if (n >= NORM_MAX_CP)
            return -1;
        buf[n++] = c;
        i += (size_t)k;
    }
    if (slow) {
        utf8proc_option_t opts = (utf8proc_option_t)(UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                     UTF8PROC_CASEFOLD | UTF8PROC_STABLE);
        n = utf8proc_decompose((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)len, buf,
                               NORM_MAX_CP, opts);
        if (n < 0 || n > NORM_MAX_CP)
            return -1;
        n = utf8proc_normalize_utf32(buf, n, opts);
        if (n < 0)
            return -1;
    }
    return emit(buf, n, out, cap);
}

/* ---- orthography detection ---------------------------------------------- */

static const char *const ortho_names[NAMES_ORTHO_COUNT] = {
    "russian", "ukrainian", "belarusian", "polish", "iso9", "english", "german", "french",
};

const char *names_ortho_name(names_ortho o)
{
    return (unsigned)o < NAMES_ORTHO_COUNT ? ortho_names[o] : "?";
}

int names_orthographies(const char *word, size_t len, names_ortho out[], int max)
{
    int cyr = 0, uk = 0, be = 0, i_dot = 0, ru_only = 0, polish = 0, iso = 0, latin = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)word + i,
                                              (utf8proc_ssize_t)(len - i), &c);
        if (k <= 0)
            break;
        i += (size_t)k;
        if (c >= 0x0400 && c <= 0x04FF) {
            cyr = 1;
            if (c == 0x0457 || c == 0x0454 || c == 0x0491) uk = 1;        /* ї є ґ */
            else if (c == 0x045E) be = 1;                                 /* ў */
            else if (c == 0x0456) i_dot = 1;                              /* і */
            else if (c == 0x044B || c == 0x044D || c == 0x0451) ru_only = 1; /* ы э ё */
            else if (c == 0x0438 || c == 0x044A) ru_only |= 2;            /* и ъ: not Belarusian */
        } else if (c < 0x80) {
            if ((c >= 'a' && c <= 'z'))
                latin = 1;
        } else {
            switch (c) {
            case 0x0105: case 0x0107: case 0x0119: case 0x0142: case 0x0144:
            case 0x00F3: case 0x015B: case 0x017A: case 0x017C:
                polish = 1; break;                              /* ą ć ę ł ń ó ś ź ż */
            case 0x0161: case 0x010D: case 0x017E: case 0x015D: case 0x00EB:
            case 0x011B: case 0x0159: case 0x00E2: case 0x00FB:
                iso = 1; break;                                 /* š č ž ŝ ë ě ř â û */
            default:
                if (c < 0x0400) latin = 1;
            }
        }
    }
    int n = 0;
#define PUSH(o) do { if (n < max) out[n++] = (o); } while (0)
    if (cyr) {
        if (be || (i_dot && (ru_only & 1) && !(ru_only & 2)))
            PUSH(NAMES_BELARUSIAN);
        else if (uk || i_dot)
            PUSH(NAMES_UKRAINIAN);
        else
            PUSH(NAMES_RUSSIAN);
        return n;
    }
    if (polish) {
        PUSH(NAMES_POLISH);
        return n;
    }
    if (iso) {
        PUSH(NAMES_ISO9);
        return n;
    }
    if (latin) {
        PUSH(NAMES_POLISH);
        PUSH(NAMES_ENGLISH);
        PUSH(NAMES_GERMAN);
        PUSH(NAMES_FRENCH);
    }
#undef PUSH
    return n;
}
