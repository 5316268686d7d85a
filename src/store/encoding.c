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
#include <stdio.h>
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

static int decode(const char *data, size_t len, const char *encoding, const char *file,
                  char **out, size_t *out_len, kt_error *err);

int store_encoding_to_utf8(const char *data, size_t len, const char *encoding,
                           const char *file, char **out, size_t *out_len,
                           kt_error *err)
{
    return decode(data, len, encoding, file, out, out_len, err);
}

static int decode(const char *data, size_t len, const char *encoding, const char *file,
                  char **out, size_t *out_len, kt_error *err)
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

/* ---- telling the encoding from the text ------------------------------- */

/* Letters of the Polish alphabet beyond ASCII. */
static int polish_letter(utf8proc_int32_t cp)
{
    static const utf8proc_int32_t pl[] = {0x104, 0x105, 0x106, 0x107, 0x118, 0x119,
                                          0x141, 0x142, 0x143, 0x144, 0xD3,  0xF3,
                                          0x15A, 0x15B, 0x179, 0x17A, 0x17B, 0x17C};
    for (size_t i = 0; i < sizeof pl / sizeof *pl; i++)
        if (cp == pl[i])
            return 1;
    return 0;
}

/* Letters of the Russian alphabet (А..я, Ё, ё). */
static int russian_letter(utf8proc_int32_t cp)
{
    return (cp >= 0x410 && cp <= 0x44F) || cp == 0x401 || cp == 0x451;
}

/* Russian letters by how often they stand in text: the eight most
 * common (о е а и н т с р, over half of all letters) and the rarest (under
 * a twentieth). Text read in the other Russian code page swaps them. */
static int russian_frequency(utf8proc_int32_t cp)
{
    static const utf8proc_int32_t common[] = {0x43E, 0x435, 0x430, 0x438,
                                              0x43D, 0x442, 0x441, 0x440};
    static const utf8proc_int32_t rare[] = {0x44A, 0x44E, 0x44D, 0x449, 0x444,
                                            0x446, 0x448, 0x436, 0x445, 0x451};
    utf8proc_int32_t low = utf8proc_tolower(cp);
    for (size_t i = 0; i < sizeof common / sizeof *common; i++)
        if (low == common[i])
            return 1;
    for (size_t i = 0; i < sizeof rare / sizeof *rare; i++)
        if (low == rare[i])
            return -1;
    return 0;
}

/* How much the text reads as Polish or Russian: each letter of either
 * alphabet beyond ASCII counts one, a common Russian letter one more and
 * a rare one one less; any other letter beyond ASCII (the
 * "Ń", "ě", "Ў", "ѕ" of text read in the wrong code page) counts minus
 * one; so does a word that changes script in its middle ("Wilczyсski")
 * and a lower-case letter followed by a capital ("яМИРНОВ", the case
 * swap of cp1251 read as koi8-r), twice. *letters counts the letters
 * beyond ASCII; *bad_at is the offset of the first bad letter, or -1. */
static long text_score(const char *s, size_t len, long *letters, long *bad_at)
{
    long score = 0;
    int prev_script = 0, prev_lower = 0; /* script: 0 none, 1 Latin, 2 Cyrillic */
    *letters = 0;
    *bad_at = -1;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            i++;
            continue;
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        int letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
        if (!letter) {
            prev_script = prev_lower = 0;
            i += (size_t)n;
            continue;
        }
        int script = cp >= 0x400 && cp <= 0x52F ? 2 : 1;
        int lower = cat == UTF8PROC_CATEGORY_LL;
        int bad = 0;
        if (cp >= 0x80) {
            (*letters)++;
            if (polish_letter(cp))
                score++;
            else if (russian_letter(cp))
                score += 1 + russian_frequency(cp);
            else
                bad = 1;
        }
        if ((prev_script && prev_script != script) || (prev_lower && cat == UTF8PROC_CATEGORY_LU))
            bad += 2;
        if (bad && *bad_at < 0)
            *bad_at = (long)i;
        score -= bad;
        prev_script = script;
        prev_lower = lower;
        i += (size_t)n;
    }
    return score;
}

/* One reading of the bytes: its text (NULL when they are not valid in the
 * encoding) and its score. */
typedef struct reading {
    const char *encoding;
    char *text;
    size_t len;
    long score, letters, bad_at;
} reading;

static void read_as(const char *data, size_t len, reading *r)
{
    kt_error ignored;
    kt_error_clear(&ignored);
    r->text = NULL;
    r->score = r->letters = 0;
    r->bad_at = -1;
    if (decode(data, len, r->encoding, "", &r->text, &r->len, &ignored) == KT_OK)
        r->score = text_score(r->text, r->len, &r->letters, &r->bad_at);
}

/* The word around byte `at` of text, for a message. */
static void word_at(const char *text, size_t len, size_t at, char *out, size_t cap)
{
    size_t a = at, b = at;
    while (a > 0 && at - a < 60 && !strchr(" ,;\t\n\r\"()", text[a - 1]))
        a--;
    while (b < len && b - at < 60 && !strchr(" ,;\t\n\r\"()", text[b]))
        b++;
    /* not in the middle of a character */
    while (b < len && ((unsigned char)text[b] & 0xC0) == 0x80)
        b++;
    snprintf(out, cap, "%.*s", (int)(b - a), text + a);
}

int store_encoding_decode(const char *data, size_t len, const char *encoding,
                          const char *file, char **out, size_t *out_len,
                          const char **used, kt_error *err)
{
    *out = NULL;
    *out_len = 0;
    *used = NULL;
    int automatic = !encoding || !strcasecmp(encoding, "auto");
    const char *asked = automatic ? NULL : store_encoding_canonical(encoding);
    if (!automatic && !asked) {
        kt_error_set(err, "unknown encoding '%s' (supported: auto, %s)", encoding,
                     store_encoding_list());
        return KT_ERR_INPUT;
    }
    const char *nul = memchr(data, '\0', len);
    if (nul)
        return fail_nul(data, (size_t)(nul - data), file, err);

    /* Valid UTF-8 is UTF-8: no single-byte text of these languages is
     * also valid UTF-8 by chance, beyond a few letters. */
    kt_error ignored;
    kt_error_clear(&ignored);
    if (automatic && validate_utf8(data, len, "", &ignored) == KT_OK) {
        *used = "utf-8";
        return decode(data, len, "utf-8", file, out, out_len, err);
    }

    enum { NR = sizeof encodings / sizeof *encodings };
    reading r[NR];
    size_t best = NR, mine = NR;
    for (size_t i = 0; i < NR; i++) {
        r[i].encoding = encodings[i].canonical;
        read_as(data, len, &r[i]);
        if (r[i].text && (best == NR || r[i].score > r[best].score))
            best = i;
        if (asked && !strcmp(asked, encodings[i].canonical))
            mine = i;
    }
    int rc = KT_OK;
    if (automatic) {
        /* never NR: cp1250 reads every byte but a few, cp1251 all but one */
        if (best == NR) {
            rc = decode(data, len, "cp1251", file, out, out_len, err);
            if (rc == KT_OK)
                *used = "cp1251";
            goto done;
        }
        *used = r[best].encoding;
        *out = r[best].text;
        *out_len = r[best].len;
        r[best].text = NULL;
        goto done;
    }
    if (!r[mine].text) {
        /* not readable in the encoding asked: say why, and which one it is */
        rc = decode(data, len, asked, file, out, out_len, err);
        if (best != NR && err->message[0]) {
            /* the right encoding named instead of the general hint */
            char *hint = strstr(err->message, "; is the file");
            if (!hint)
                hint = strstr(err->message, "; if the file");
            if (hint)
                *hint = '\0';
            size_t m = strlen(err->message);
            snprintf(err->message + m, sizeof err->message - m,
                     "; it reads as %s (leave --encoding out, or give --encoding %s)",
                     r[best].encoding, r[best].encoding);
        }
        goto done;
    }
    /* Readable, but as mojibake: refuse when another encoding reads it
     * clearly better ("РЎРјРѕСЂ..." is UTF-8 read as cp1251). */
    if (best != mine && r[mine].bad_at >= 0 &&
        r[best].score - r[mine].score > 2 + r[best].letters / 5) {
        char word[256];
        word_at(r[mine].text, r[mine].len, (size_t)r[mine].bad_at, word, sizeof word);
        kt_error_at(err, file, line_of(r[mine].text, (size_t)r[mine].bad_at), NULL,
                    "read as %s this file gives garbled text ('%s'); it reads as %s "
                    "(leave --encoding out, or give --encoding %s)",
                    asked, word, r[best].encoding, r[best].encoding);
        rc = KT_ERR_INPUT;
        goto done;
    }
    *used = asked;
    *out = r[mine].text;
    *out_len = r[mine].len;
    r[mine].text = NULL;
done:
    for (size_t i = 0; i < NR; i++)
        free(r[i].text);
    return rc;
}
