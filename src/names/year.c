/*
 * year.c — finds the year of birth stated in free text (names/year.h).
 *
 * How it reads a text:
 *   1. Every 4-digit number not glued to other digits is a year token.
 *   2. A birth marker ("род.", "ur.", "born", "г.р." after the year...) followed
 *      by an optional day and month ("25.12.", "25 XII", "3 декабря",
 *      "в сентябре", "March 12,") and then a year token makes a marked year.
 *      The first marked year in the text wins.
 *   3. A marker of something else (a death, an arrest, a sentence) followed by
 *      a date in the same way makes that year "other": it is never a birth;
 *      so does a preposition of time just before it ("в 1935 г.", "w 1940").
 *   4. Failing a marked year, the remaining years in 1840..1945 are bare
 *      candidates; one distinct value is the answer, several are ambiguous (0).
 *
 * Guarantees: no I/O and no allocation (the table is read into static
 * arrays); reads at most strlen(text) bytes; never fails on invalid UTF-8
 * (bad bytes count as non-letters); the span it reports lies inside the text.
 *
 * The marker words are data, data/rules/year_markers.tsv (compiled in), with
 * the sources they come from: Russian NKVD and Memorial lists ("род. 1884",
 * "1893 г.р.", "Расстрелян 17.05.1938"), Polish lists ("ur. 25 XII 1893",
 * "zm. 1940"), English and German texts. The table is read once, on first
 * use, thread-safely; after that the finder is a pure function.
 */
#include "names/year.h"

#include <pthread.h>
#include <string.h>
#include <utf8proc.h>

#include "util/tsv.h"

enum { BARE_MIN = 1840, BARE_MAX = 1945, MARKED_MIN = 1800, MARKED_MAX = 2029 };
enum { MAX_YEARS = 64 };

/* A marker written in lower case. A space in it matches any run of white
 * space, including none ("г. р." matches "г.р." too). A stem marker also
 * swallows the rest of the word it starts ("расстр" in "Расстрелян"). */
typedef struct marker {
    char text[48];
    int stem;
    int32_t first; /* its first code point, to pass over most at a glance */
} marker;

/* The kinds of data/rules/year_markers.tsv (see the file for each). */
enum marker_kind {
    BIRTH_BEFORE, BIRTH_AFTER, YEAR_WORD, OTHER_BEFORE, PREPOSITION, FILLER, MONTH,
    NKINDS
};
static const char *const kind_names[NKINDS] = {
    "birth_before", "birth_after", "year_word", "other_before", "preposition",
    "filler", "month",
};

#define RULES_PATH "data/rules/year_markers.tsv"
enum { MAX_PER_KIND = 128 };
static marker rules[NKINDS][MAX_PER_KIND];
static size_t nrules[NKINDS];
static pthread_once_t rules_once = PTHREAD_ONCE_INIT;

/* Reads the marker table once, into static arrays (no allocation). Rows of
 * unknown kinds, texts too long and rows beyond MAX_PER_KIND are ignored;
 * without the table only bare years are found. */
static void load_rules(void)
{
    kt_tsv c;
    kt_tsv_field f[3];
    int n;
    kt_tsv_open_embedded(&c, RULES_PATH, KT_TSV_COMMENTS);
    while (kt_tsv_next(&c, f, 3, &n)) {
        char kind[32], stem[8] = "";
        marker m;
        /* kind TAB text [TAB stem [TAB note]]; the header's kind is no kind */
        if (n < 2 || !kt_tsv_copy(f[0], kind, sizeof kind) ||
            !kt_tsv_copy(f[1], m.text, sizeof m.text) || !m.text[0]) {
            kt_tsv_refuse(&c, "expected a kind and a marker text");
            continue;
        }
        if (n > 2)
            kt_tsv_copy(f[2], stem, sizeof stem);
        m.stem = stem[0] == '1';
        utf8proc_int32_t first = -1;
        utf8proc_iterate((const utf8proc_uint8_t *)m.text, -1, &first);
        m.first = first;
        int known = 0;
        for (int k = 0; k < NKINDS; k++)
            if (!strcmp(kind, kind_names[k]) && nrules[k] < MAX_PER_KIND) {
                rules[k][nrules[k]++] = m;
                known = 1;
            }
        if (!known && strcmp(kind, "kind") != 0)   /* the header names no kind */
            kt_tsv_refuse(&c, "unknown kind, or too many markers of it");
    }
}

/* ---- UTF-8 helpers --------------------------------------------------- */

/* Decodes one code point at s[i]; invalid bytes decode as U+FFFD, length 1. */
static size_t cp_at(const char *s, size_t n, size_t i, int32_t *cp)
{
    utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                            (utf8proc_ssize_t)(n - i), cp);
    if (len <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    return (size_t)len;
}

static int is_letter(int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
        return 1;
    default:
        return 0;
    }
}

static int is_space(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0;
}

static int is_digit_at(const char *s, size_t n, size_t i)
{
    return i < n && s[i] >= '0' && s[i] <= '9';
}

/* Start of the code point that ends just before byte i (i > 0). */
static size_t cp_before(const char *s, size_t i)
{
    size_t j = i - 1;
    while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80 && i - j < 4)
        j--;
    return j;
}

/* Whether position i starts a word: no letter or digit just before it. */
static int word_starts(const char *s, size_t n, size_t i)
{
    if (i == 0)
        return 1;
    int32_t cp;
    size_t j = cp_before(s, i);
    cp_at(s, n, j, &cp);
    return !is_letter(cp) && !(cp >= '0' && cp <= '9');
}

/* Matches the lower-case pattern pat at s[i], case-insensitively. A space in
 * pat matches zero or more white space. Returns the end, or 0 for no match
 * (a pattern never matches at the very end of a non-empty pattern). */
static size_t match_ci(const char *s, size_t n, size_t i, const char *pat)
{
    size_t pn = strlen(pat), p = 0;
    while (p < pn) {
        int32_t pc, c;
        p += cp_at(pat, pn, p, &pc);
        if (pc == ' ') {
            while (i < n) {
                size_t l = cp_at(s, n, i, &c);
                if (!is_space(c))
                    break;
                i += l;
            }
            continue;
        }
        if (i >= n)
            return 0;
        i += cp_at(s, n, i, &c);
        if (utf8proc_tolower(c) != pc)
            return 0;
    }
    return i;
}

/* Skips letters from i on; returns the end of the word. */
static size_t word_end(const char *s, size_t n, size_t i)
{
    while (i < n) {
        int32_t cp;
        size_t l = cp_at(s, n, i, &cp);
        if (!is_letter(cp))
            break;
        i += l;
    }
    return i;
}

/* Matches a marker at i (a word start); returns its end or 0. A marker that
 * ends in a letter must end the word, unless it is a stem, which swallows
 * the rest of the word and a following dot. */
static size_t match_marker(const char *s, size_t n, size_t i, const marker *m)
{
    size_t e = match_ci(s, n, i, m->text);
    if (!e)
        return 0;
    int32_t last;
    cp_at(s, n, cp_before(s, e), &last);
    if (!is_letter(last))
        return e;
    if (m->stem) {
        e = word_end(s, n, e);
        return e < n && s[e] == '.' ? e + 1 : e;
    }
    return word_end(s, n, e) == e ? e : 0;
}

/* The year token at i: four digits with no digit on either side. */
static int year_at(const char *s, size_t n, size_t i)
{
    if (i + 4 > n || (i > 0 && is_digit_at(s, n, i - 1)) || is_digit_at(s, n, i + 4))
        return 0;
    int y = 0;
    for (size_t k = 0; k < 4; k++) {
        if (!is_digit_at(s, n, i + k))
            return 0;
        y = y * 10 + (s[i + k] - '0');
    }
    return y;
}

/* Whether the word [i, e) (lower-cased) is a month, Roman month or filler. */
static int date_word(const char *s, size_t i, size_t e)
{
    char low[64];
    size_t k = 0;
    int roman = 1;
    for (size_t j = i; j < e;) {
        int32_t cp;
        j += cp_at(s, e, j, &cp);
        int32_t lc = utf8proc_tolower(cp);
        /* Roman months; clerks typed Cyrillic Х and І for Latin X and I. */
        if (!(lc == 'i' || lc == 'v' || lc == 'x' || lc == 0x445 || lc == 0x456))
            roman = 0;
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t bl = utf8proc_encode_char(lc, buf);
        if (k + (size_t)bl >= sizeof low)
            return 0;
        memcpy(low + k, buf, (size_t)bl);
        k += (size_t)bl;
    }
    low[k] = '\0';
    if (roman && e - i <= 8)
        return 1;
    for (size_t m = 0; m < nrules[FILLER]; m++)
        if (!strcmp(low, rules[FILLER][m].text))
            return 1;
    for (size_t m = 0; m < nrules[MONTH]; m++) {
        size_t ml = strlen(rules[MONTH][m].text);
        /* A prefix match is loose ("jan" also fits "Jana"), but only words
         * standing between a marker and a year are ever asked about. */
        if (!strncmp(low, rules[MONTH][m].text, ml))
            return 1;
    }
    return 0;
}

/* Whether the word just before position i (white space between) is a
 * preposition of time: "в 1935 г.", "w 1940 r.", "in 1940" date an event,
 * not a birth (a birth says "род. в 1895", and the marker is found first). */
static int after_preposition(const char *s, size_t n, size_t i)
{
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
        i--;
    size_t end = i;
    while (i > 0) {
        int32_t cp;
        size_t j = cp_before(s, i);
        cp_at(s, n, j, &cp);
        if (!is_letter(cp))
            break;
        i = j;
    }
    if (i == end || !word_starts(s, n, i))
        return 0;
    for (size_t k = 0; k < nrules[PREPOSITION]; k++)
        if (match_ci(s, n, i, rules[PREPOSITION][k].text) == end)
            return 1;
    return 0;
}

static int first_marker_end(const char *s, size_t n, size_t i,
                            const marker *list, size_t count, size_t *end);

/* From i (just after a marker), skips a day and month and returns the
 * position of the year token, or (size_t)-1 when something else comes.
 * With `loose` (after a death or arrest marker) up to four other words may
 * come first, "zamordowany w Katyniu w kwietniu 1940", but no birth marker. */
static size_t skip_to_year(const char *s, size_t n, size_t i, int loose)
{
    size_t limit = i + 96 < n ? i + 96 : n;
    int other_words = 0;
    while (i < limit) {
        if (year_at(s, n, i))
            return i;
        int32_t cp;
        size_t l = cp_at(s, n, i, &cp);
        if (is_space(cp) || cp == '.' || cp == ',' || cp == '-' || cp == '/' ||
            cp == ':' || cp == 0x2013 || cp == 0x2014) {
            i += l;
        } else if (cp >= '0' && cp <= '9') {
            size_t j = i;
            while (is_digit_at(s, n, j))
                j++;
            if (j - i > 2)
                return (size_t)-1;
            i = j;
        } else if (cp == '(') {
            /* "3 декабря (по другим данным - февраля) 1914" */
            size_t j = i + 1;
            while (j < limit && s[j] != ')' && s[j] != '(')
                if (year_at(s, n, j++))
                    return (size_t)-1;
            if (j >= limit || s[j] != ')')
                return (size_t)-1;
            i = j + 1;
        } else if (is_letter(cp)) {
            size_t e = word_end(s, n, i);
            if (e < n && s[e] == '.')
                e++;
            if (!date_word(s, i, e) && !date_word(s, i, word_end(s, n, i))) {
                size_t be;
                if (!loose || ++other_words > 4 ||
                    first_marker_end(s, n, i, rules[BIRTH_BEFORE], nrules[BIRTH_BEFORE], &be))
                    return (size_t)-1;
            }
            i = e;
        } else {
            return (size_t)-1;
        }
    }
    return (size_t)-1;
}

/* After the year at y, a birth marker's end (> 0) or 0; *plain receives the
 * end of a plain year word ("г.", "roku") when that is all there is. */
static size_t after_year(const char *s, size_t n, size_t y, size_t *plain)
{
    size_t i = y + 4;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    *plain = y + 4;
    for (size_t m = 0; m < nrules[BIRTH_AFTER]; m++) {
        size_t e = match_marker(s, n, i, &rules[BIRTH_AFTER][m]);
        if (e)
            return e;
    }
    for (size_t m = 0; m < nrules[YEAR_WORD]; m++) {
        size_t e = match_marker(s, n, i, &rules[YEAR_WORD][m]);
        if (e) {
            *plain = e;
            break;
        }
    }
    return 0;
}

/* Start of a numeric date that ends in the year at y: "25.12." of
 * "25.12.1893", "1/5/" of "1/5/1893". */
static size_t numeric_date_start(const char *s, size_t y)
{
    size_t i = y;
    for (int part = 0; part < 2; part++) {
        if (i == 0 || !(s[i - 1] == '.' || s[i - 1] == '/' || s[i - 1] == '-'))
            break;
        size_t j = i - 1, d = 0;
        while (j > 0 && d < 3 && s[j - 1] >= '0' && s[j - 1] <= '9') {
            j--;
            d++;
        }
        if (d == 0 || d > 2)
            break;
        i = j;
    }
    return i;
}

static int first_marker_end(const char *s, size_t n, size_t i,
                            const marker *list, size_t count, size_t *end)
{
    int32_t cp;
    cp_at(s, n, i, &cp);
    cp = utf8proc_tolower(cp);
    for (size_t m = 0; m < count; m++) {
        if (list[m].first != cp)
            continue;
        size_t e = match_marker(s, n, i, &list[m]);
        if (e) {
            *end = e;
            return 1;
        }
    }
    return 0;
}

int names_find_birth_year(const char *text, size_t span[2])
{
    if (!text)
        return 0;
    pthread_once(&rules_once, load_rules);
    const char *s = text;
    size_t n = strlen(text);
    size_t year_pos[MAX_YEARS];
    int other[MAX_YEARS] = {0};
    size_t nyears = 0;

    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t l = cp_at(s, n, i, &cp);
        int y = year_at(s, n, i);
        if (y) {
            size_t plain, e = after_year(s, n, i, &plain);
            if (e && y >= MARKED_MIN && y <= MARKED_MAX) {
                if (span) {
                    span[0] = numeric_date_start(s, i);
                    span[1] = e;
                }
                return y;
            }
            if (nyears < MAX_YEARS) {
                other[nyears] = after_preposition(s, n, numeric_date_start(s, i));
                year_pos[nyears++] = i;
            }
            i += 4;
            continue;
        }
        size_t e;
        if (word_starts(s, n, i) && !(cp >= '0' && cp <= '9')) {
            if (first_marker_end(s, n, i, rules[BIRTH_BEFORE], nrules[BIRTH_BEFORE], &e)) {
                size_t yp = skip_to_year(s, n, e, 0);
                int by = yp != (size_t)-1 ? year_at(s, n, yp) : 0;
                if (by >= MARKED_MIN && by <= MARKED_MAX) {
                    if (span) {
                        size_t plain;
                        size_t ae = after_year(s, n, yp, &plain);
                        span[0] = i;
                        span[1] = ae ? ae : plain;
                    }
                    return by;
                }
            } else if (first_marker_end(s, n, i, rules[OTHER_BEFORE], nrules[OTHER_BEFORE],
                                        &e)) {
                size_t yp = skip_to_year(s, n, e, 1);
                if (yp != (size_t)-1 && nyears < MAX_YEARS) {
                    /* The year is recorded now, marked, and skipped below. */
                    year_pos[nyears] = yp;
                    other[nyears++] = 1;
                    i = yp + 4;
                    continue;
                }
            }
        }
        i += l;
    }

    /* No marked birth year: a single plausible bare year. */
    int found = 0;
    size_t at = 0;
    for (size_t k = 0; k < nyears; k++) {
        int y = year_at(s, n, year_pos[k]);
        if (other[k] || y < BARE_MIN || y > BARE_MAX)
            continue;
        if (found && found != y)
            return 0;
        if (!found) {
            found = y;
            at = year_pos[k];
        }
    }
    if (found && span) {
        size_t plain;
        after_year(s, n, at, &plain);
        span[0] = numeric_date_start(s, at);
        span[1] = plain;
    }
    return found;
}
