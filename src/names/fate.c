/*
 * fate.c — reading a fate from free text (names/fate.h).
 *
 * The text is cut into tokens at spaces and at , ; : ( ) " (a dot stays in
 * its token: "17.05.1938.", "zm.", "г."). Each token is compared in lower
 * case with the word lists below. A sentence ends after a token that ends
 * in a dot and is a date or a word of four letters or more ("Бутово."),
 * so "zm. 1940" and "в г. Калинине" stay in one sentence.
 */
#include "names/fate.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

enum { MAXTOK = 256, WORD = 64 };

typedef struct token {
    const char *s;   /* in the text */
    size_t len;
    char low[WORD];  /* lower case, "" when too long */
    int upper;       /* starts with a capital letter */
    int end;         /* ends its sentence */
} token;

typedef struct kind_word {
    const char *word;
    const char *kind;
} kind_word;

static const kind_word kind_words[] = {
    {"расстрелян", NAMES_FATE_SHOT},    {"расстреляна", NAMES_FATE_SHOT},
    {"расстреляны", NAMES_FATE_SHOT},   {"рассстрелян", NAMES_FATE_SHOT},
    {"рассстреляна", NAMES_FATE_SHOT},  {"казнен", NAMES_FATE_SHOT},
    {"казнён", NAMES_FATE_SHOT},        {"rozstrzelany", NAMES_FATE_SHOT},
    {"rozstrzelana", NAMES_FATE_SHOT},  {"rozstrzelani", NAMES_FATE_SHOT},
    {"zamordowany", NAMES_FATE_SHOT},   {"zamordowana", NAMES_FATE_SHOT},
    {"zamordowani", NAMES_FATE_SHOT},   {"stracony", NAMES_FATE_SHOT},
    {"stracona", NAMES_FATE_SHOT},      {"shot", NAMES_FATE_SHOT},
    {"executed", NAMES_FATE_SHOT},      {"умер", NAMES_FATE_DIED},
    {"умерла", NAMES_FATE_DIED},        {"скончался", NAMES_FATE_DIED},
    {"скончалась", NAMES_FATE_DIED},    {"погиб", NAMES_FATE_DIED},
    {"погибла", NAMES_FATE_DIED},       {"zmarł", NAMES_FATE_DIED},
    {"zmarła", NAMES_FATE_DIED},        {"zm.", NAMES_FATE_DIED},
    {"zginął", NAMES_FATE_DIED},        {"zginęła", NAMES_FATE_DIED},
    {"died", NAMES_FATE_DIED},          {"освобожден", NAMES_FATE_RELEASED},
    {"освобождён", NAMES_FATE_RELEASED},{"освобождена", NAMES_FATE_RELEASED},
    {"zwolniony", NAMES_FATE_RELEASED}, {"zwolniona", NAMES_FATE_RELEASED},
    {"released", NAMES_FATE_RELEASED},  {"пропал", NAMES_FATE_MISSING},
    {"пропала", NAMES_FATE_MISSING},    {"zaginął", NAMES_FATE_MISSING},
    {"zaginęła", NAMES_FATE_MISSING},   {"zaginiony", NAMES_FATE_MISSING},
    {"zaginiona", NAMES_FATE_MISSING},  {"missing", NAMES_FATE_MISSING},
};

/* Words that negate the fate word after them. */
static const char *const negations[] = {"не", "nie", "not", "never"};
/* Words that, after a release word and "от", "z", "ze", "from", make it a
 * release from a post rather than from prison. */
static const char *const from_words[] = {"от", "z", "ze", "from"};
static const char *const posts[] = {"должности", "работы", "обязанностей", "занимаемой",
                                    "pracy", "stanowiska", "służby", "funkcji",
                                    "duty", "post", "office", "service"};
/* Prepositions before a place of death. */
static const char *const at_place[] = {"в", "во", "под", "w", "we", "pod", "in", "at", "near"};
/* Abbreviations of "town" skipped before a place name. */
static const char *const town[] = {"г.", "гор.", "m.", "miasto"};
/* Month names (genitive) and Roman numerals, 1..12. */
static const char *const months[][4] = {
    {"i", "января", "stycznia", "january"},    {"ii", "февраля", "lutego", "february"},
    {"iii", "марта", "marca", "march"},        {"iv", "апреля", "kwietnia", "april"},
    {"v", "мая", "maja", "may"},               {"vi", "июня", "czerwca", "june"},
    {"vii", "июля", "lipca", "july"},          {"viii", "августа", "sierpnia", "august"},
    {"ix", "сентября", "września", "september"}, {"x", "октября", "października", "october"},
    {"xi", "ноября", "listopada", "november"}, {"xii", "декабря", "grudnia", "december"},
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

static int in_list(const char *w, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(w, list[i]))
            return 1;
    return 0;
}

static int is_sep(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';' ||
           c == ':' || c == '(' || c == ')' || c == '"';
}

static int all_digits(const char *s, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Letters in a token (UTF-8 characters that are not digits or dots). */
static size_t letters(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && s[i] != '.' && !(s[i] >= '0' && s[i] <= '9'))
            k++;
    return k;
}

static void lower(const char *s, size_t n, char *out, int *upper)
{
    out[0] = '\0';
    *upper = 0;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (l <= 0)
            return;
        if (i == 0)
            *upper = utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
        utf8proc_uint8_t b[4];
        utf8proc_ssize_t bl = utf8proc_encode_char(utf8proc_tolower(cp), b);
        if (o + (size_t)bl + 1 > WORD) {
            out[0] = '\0';
            return;
        }
        memcpy(out + o, b, (size_t)bl);
        o += (size_t)bl;
        i += (size_t)l;
    }
    out[o] = '\0';
}

static size_t tokenize(const char *text, token *t, size_t max)
{
    size_t n = 0;
    const char *p = text;
    while (*p && n < max) {
        while (*p && is_sep(*p))
            p++;
        if (!*p)
            break;
        const char *s = p;
        while (*p && !is_sep(*p))
            p++;
        token *k = &t[n++];
        k->s = s;
        k->len = (size_t)(p - s);
        lower(s, k->len, k->low, &k->upper);
        k->end = k->len > 1 && s[k->len - 1] == '.' &&
                 (letters(s, k->len) >= 4 || letters(s, k->len) == 0);
        /* "; " also ends what belongs to the fate word */
        if (*p == ';')
            k->end = 1;
    }
    return n;
}

static const char *kind_of(const char *low)
{
    char w[WORD];
    snprintf(w, sizeof w, "%s", low);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < COUNT(kind_words); i++)
            if (!strcmp(w, kind_words[i].word))
                return kind_words[i].kind;
        /* "Рассстрелян." at a sentence's end: the word without its dot */
        size_t n = strlen(w);
        if (!n || (w[n - 1] != '.' && w[n - 1] != ','))
            break;
        w[n - 1] = '\0';
    }
    return NULL;
}

/* The kind the fate word at t[i] states, in its context; NULL if none. */
static const char *fate_at(const token *t, size_t n, size_t i)
{
    const char *kind = kind_of(t[i].low);
    if (!kind)
        return NULL;
    if (i > 0 && in_list(t[i - 1].low, negations, COUNT(negations)))
        return NULL;
    if (!strcmp(kind, NAMES_FATE_RELEASED) && i + 2 < n &&
        in_list(t[i + 1].low, from_words, COUNT(from_words)) &&
        in_list(t[i + 2].low, posts, COUNT(posts)))
        return NULL; /* "освобожден от должности", not "zwolniony z obozu" */
    if (!strcmp(t[i].low, "пропал") || !strcmp(t[i].low, "пропала"))
        if (!(i + 2 < n && !strcmp(t[i + 1].low, "без") && !strncmp(t[i + 2].low, "вести", 10)))
            return NULL;
    return kind;
}

static int year_of(const char *s, size_t n)
{
    if (n != 4 || !all_digits(s, 4))
        return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    return y >= 1900 && y <= 1999 ? y : 0;
}

/* A token without its trailing dots and commas. */
static size_t core_len(const token *k)
{
    size_t n = k->len;
    while (n && (k->s[n - 1] == '.' || k->s[n - 1] == ','))
        n--;
    return n;
}

static int month_of(const char *low)
{
    char w[WORD];
    snprintf(w, sizeof w, "%s", low);
    size_t n = strlen(w);
    while (n && w[n - 1] == '.')
        w[--n] = '\0';
    for (int m = 0; m < 12; m++)
        for (int k = 0; k < 4; k++)
            if (!strcmp(w, months[m][k]))
                return m + 1;
    return 0;
}

/* A date starting at t[i]: "17.05.1938", "17 V 1938", "17 мая 1938", "1938"
 * (also "1938r."); writes it to out in ISO form and returns the tokens it
 * took, or 0. */
static size_t date_at(const token *t, size_t n, size_t i, char *out, size_t cap)
{
    const token *k = &t[i];
    size_t cl = core_len(k);
    int d = 0, m = 0, y = 0;
    if (sscanf(k->s, "%2d.%2d.%4d", &d, &m, &y) == 3 && y >= 1900 && y <= 1999 &&
        d >= 1 && d <= 31 && m >= 1 && m <= 12) {
        snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
        return 1;
    }
    if (cl >= 4 && (y = year_of(k->s, 4)) && (cl == 4 || !strcmp(k->low + 4, "r") ||
                                              !strcmp(k->low + 4, "r.") ||
                                              !strcmp(k->low + 4, "г") ||
                                              !strcmp(k->low + 4, "г."))) {
        snprintf(out, cap, "%04d", y);
        return 1;
    }
    if ((m = month_of(k->low)) && strlen(k->low) > 2 && i + 1 < n &&
        (y = year_of(t[i + 1].s, core_len(&t[i + 1]) >= 4 ? 4 : 0))) {
        /* "April 1940", "апреля 1940" (not a Roman numeral alone) */
        snprintf(out, cap, "%04d-%02d", y, m);
        return 2;
    }
    if (cl >= 1 && cl <= 2 && all_digits(k->s, cl) && i + 2 < n) {
        d = k->s[0] - '0';
        if (cl == 2)
            d = d * 10 + (k->s[1] - '0');
        m = month_of(t[i + 1].low);
        y = year_of(t[i + 2].s, core_len(&t[i + 2]) >= 4 ? 4 : 0);
        if (d >= 1 && d <= 31 && m && y) {
            snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
            return 3;
        }
    }
    return 0;
}

/* Copies tokens [a, b) as written (the text between them kept), without a
 * trailing dot, comma or semicolon. */
static void span(const token *t, size_t a, size_t b, char *out, size_t cap)
{
    out[0] = '\0';
    if (a >= b)
        return;
    const char *s = t[a].s;
    size_t n = (size_t)(t[b - 1].s + t[b - 1].len - s);
    while (n && (s[n - 1] == '.' || s[n - 1] == ',' || s[n - 1] == ';' || s[n - 1] == ' '))
        n--;
    if (n >= cap)
        n = cap - 1;
    /* not in the middle of a character */
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(out, s, n);
    out[n] = '\0';
}

/* The end of the sentence that holds t[i], at most `most` tokens on. */
static size_t sentence_end(const token *t, size_t n, size_t i, size_t most)
{
    size_t e = i;
    while (e < n && e - i < most) {
        if (t[e++].end)
            break;
    }
    return e;
}

/* Burial: "место захоронения: X", "похоронен(а) в/на X", "pochowany w X",
 * "miejsce pochówku: X", "buried in/at X". */
static int burial_at(const token *t, size_t n, size_t i, char *out, size_t cap)
{
    size_t from = 0;
    const char *w = t[i].low;
    if ((!strcmp(w, "место") || !strcmp(w, "miejsce")) && i + 1 < n &&
        (!strcmp(t[i + 1].low, "захоронения") || !strcmp(t[i + 1].low, "погребения") ||
         !strcmp(t[i + 1].low, "pochówku") || !strcmp(t[i + 1].low, "pochowania")))
        from = i + 2;
    else if (!strcmp(w, "похоронен") || !strcmp(w, "похоронена") || !strcmp(w, "pochowany") ||
             !strcmp(w, "pochowana") || !strcmp(w, "buried") || !strcmp(w, "захоронен") ||
             !strcmp(w, "захоронена"))
        from = i + 1;
    else
        return 0;
    if (from >= n || t[from - 1].end)
        return 0;
    /* a preposition after a verb is not part of the place */
    static const char *const prep[] = {"в", "на", "w", "na", "in", "at"};
    if (from == i + 1 && in_list(t[from].low, prep, COUNT(prep)) && from + 1 < n &&
        !t[from].end)
        from++;
    span(t, from, sentence_end(t, n, from, 6), out, cap);
    return out[0] != '\0';
}

/* Which fate says the last word about a person: shot, died, missing,
 * released, in that order. */
static int rank_of(const char *kind)
{
    static const char *const order[] = {NAMES_FATE_RELEASED, NAMES_FATE_MISSING,
                                        NAMES_FATE_DIED, NAMES_FATE_SHOT};
    for (int i = 0; kind && i < 4; i++)
        if (!strcmp(kind, order[i]))
            return i + 1;
    return 0;
}

int names_find_fate(const char *text, names_fate *out)
{
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return 0;
    token t[MAXTOK];
    size_t n = tokenize(text, t, MAXTOK);
    for (size_t i = 0; i < n; i++) {
        if (!out->burial[0] && burial_at(t, n, i, out->burial, sizeof out->burial))
            continue;
        /* a later, final fate outranks an earlier one: "освобожден в
         * 1923 г. ... Расстрелян 9.09.1937" */
        const char *kind = fate_at(t, n, i);
        if (!kind || rank_of(kind) <= rank_of(out->kind))
            continue;
        out->kind = kind;
        out->date[0] = out->place[0] = '\0';
        /* the date and the place in the rest of the sentence */
        size_t e = t[i].end ? i + 1 : sentence_end(t, n, i + 1, 10);
        for (size_t j = i + 1; j < e; j++) {
            size_t took;
            char ignored[128];
            /* a burial or another fate starts another statement */
            if (burial_at(t, n, j, ignored, sizeof ignored) || kind_of(t[j].low))
                break;
            if (!out->date[0] && (took = date_at(t, n, j, out->date, sizeof out->date))) {
                j += took - 1;
                continue;
            }
            if (!out->place[0] && in_list(t[j].low, at_place, COUNT(at_place)) && !t[j].end) {
                size_t p = j + 1;
                if (p < e && in_list(t[p].low, town, COUNT(town)))
                    p++;
                if (p < e && t[p].upper && !month_of(t[p].low)) {
                    size_t q = p + 1;
                    while (q < e && q < p + 2 && t[q].upper && !t[q - 1].end)
                        q++;
                    span(t, p, q, out->place, sizeof out->place);
                    j = q - 1;
                }
            }
        }
    }
    return out->kind || out->burial[0];
}

const char *names_fate_kind(const char *text)
{
    if (!text || !*text)
        return NULL;
    token t[MAXTOK];
    size_t n = tokenize(text, t, MAXTOK);
    for (size_t i = 0; i < n; i++) {
        const char *k = fate_at(t, n, i);
        if (k)
            return k;
    }
    return NULL;
}
