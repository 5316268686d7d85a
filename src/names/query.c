/*
 * query.c — the query parser (query.h).
 *
 * Order of reading: normalise the whole text (NFC, stress marks out), cut the
 * year of birth with the span names_find_birth_year reports, then walk the
 * rest left to right: a rank at a word start (longest form, may span two
 * words), father markers and their genitive, marker and title words
 * (data/rules/query_words.tsv), camps and sites, initials, names. Patronymics
 * are recognised last, when the position of every word is known.
 */
#include "names/query.h"
#include "names/camp.h"
#include "names/given_forms.h"
#include "names/patronymic.h"
#include "names/rank.h"
#include "names/textfold.h"
#include "names/year.h"
#include "util/tsv.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define QW_PATH "data/rules/query_words.tsv"
#define QW_MAX 128
#define QW_LEN 48
#define QUERY_BYTES 4200

enum { QW_NONE, QW_FATHER, QW_MARKER, QW_TITLE };

typedef struct query_word_rule {
    char folded[QW_LEN]; /* loose fold, final '.' removed */
    int kind;
} query_word_rule;

static query_word_rule qw[QW_MAX];
static int n_qw;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* query_words.tsv: form TAB kind (father, marker or title). */
static void load(void)
{
    kt_tsv c;
    kt_tsv_field f[2];
    int n;
    kt_tsv_open_embedded(&c, QW_PATH, KT_TSV_COMMENTS | KT_TSV_HEADER);
    while (n_qw < QW_MAX && kt_tsv_next(&c, f, 2, &n)) {
        if (n < 2 || f[0].len == 0) {
            kt_tsv_refuse(&c, "expected a word and its kind");
            continue;
        }
        size_t len = f[0].len;
        if (len && f[0].s[len - 1] == '.')
            len--;
        int kind = kt_tsv_eq(f[1], "father") ? QW_FATHER
                 : kt_tsv_eq(f[1], "marker") ? QW_MARKER
                 : kt_tsv_eq(f[1], "title")  ? QW_TITLE
                                             : QW_NONE;
        if (kind != QW_NONE &&
            names_fold(f[0].s, len, qw[n_qw].folded, QW_LEN, NAMES_FOLD_LOOSE) > 0) {
            qw[n_qw].kind = kind;
            n_qw++;
        } else {
            kt_tsv_refuse(&c, "the kind is not father, marker or title, or the word is empty");
        }
    }
}

/* Kind of a marker/title/father word (without its final dot), or QW_NONE. */
static int word_rule(const char *w, size_t n)
{
    pthread_once(&once, load);
    char f[QW_LEN];
    if (names_fold(w, n, f, sizeof f, NAMES_FOLD_LOOSE) <= 0)
        return QW_NONE;
    for (int i = 0; i < n_qw; i++)
        if (strcmp(qw[i].folded, f) == 0)
            return qw[i].kind;
    return QW_NONE;
}

/* Characters that separate words (ASCII only: Polish and Cyrillic letters
 * are never separators). The dot is handled inside words. */
static int is_sep(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';' ||
           c == '(' || c == ')' || c == '[' || c == ']' || c == '"' || c == '/' ||
           c == ':' || c == '!' || c == '?';
}

/* Punctuation dropped from the ends of a word piece (quotes, dots). */
static int is_edge_punct(const char *s, size_t n, int *k)
{
    int cp = names_cp_at(s, n, k);
    return cp == '.' || cp == '\'' || cp == '`' || cp == '-' || cp == 0x2019 ||
           cp == 0xAB || cp == 0xBB || cp == 0x201E || cp == 0x201C || cp == 0x201D;
}

/* A number, a date or a span of years ("25", "1905-1940", "12/13"): no
 * letter, at least one digit. Never a name. */
static int is_number_like(const char *s, size_t n)
{
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] != '-' && s[i] != '.' && s[i] != '/')
            return 0;
    }
    return digits > 0;
}

/* Lower-case one-letter words without a dot are prepositions and
 * conjunctions ("ur. w Kaliszu", "z domu", "в Москве"); an initial is
 * written in capitals or with a dot. */
static int is_small_word(const char *s, size_t n, int had_dot)
{
    static const char *const words[] = {"w", "z", "i", "o", "u", "a", "в", "и", "с", "у", "о", "к"};
    if (had_dot)
        return 0;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
            return 1;
    return 0;
}

/* 1 when s[0..n) is exactly one letter (a code point plus marks). */
static int is_single_letter(const char *s, size_t n)
{
    int k;
    int cp = names_cp_at(s, n, &k);
    if (!names_cp_is_letter(cp))
        return 0;
    for (size_t i = (size_t)k; i < n; i += (size_t)k) {
        char f[16];
        names_cp_at(s + i, n - i, &k);
        if (names_fold(s + i, (size_t)k, f, sizeof f, NAMES_FOLD_LOOSE) != 0)
            return 0;                     /* a second letter, not a mark */
    }
    return 1;
}

static void add_word(names_query *q, const char *s, size_t n, int kind)
{
    if (q->n_words >= NAMES_QUERY_MAX_WORDS)
        return;
    names_query_word *w = &q->words[q->n_words++];
    if (n >= sizeof w->text) {
        n = sizeof w->text - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;                          /* cut on a character boundary */
    }
    memcpy(w->text, s, n);
    w->text[n] = '\0';
    w->kind = kind;
}

static void set_key(char *dst, size_t cap, const char *key)
{
    if (!dst[0])
        snprintf(dst, cap, "%s", key);
}

/* Looks like a patronymic by its ending: 1 for Cyrillic -ович/-евич/-ич
 * (and feminine, and Belarusian -авіч) or a romanisation (-ovich, -owitsch);
 * 2 for the Polish spelling -owicz/-ewicz, which is far more often a Polish
 * surname (Janowicz) and counts only between a given name and a surname. */
static int patronymic_ending(const char *w)
{
    static const char *const endings[] = {
        "ович", "евич", "ич", "овна", "евна", "ична", "авіч", "евіч", "аўна", "еўна",
        "ovich", "evich", "ovitch", "evitch", "owitsch", "ewitsch", "ovič", "evič",
        "ovna", "evna", "ichna",
    };
    static const char *const polish[] = {"owicz", "ewicz", "owna", "ewna"};
    char f[NAMES_QUERY_WORD_BYTES * 2];
    int n = names_fold(w, strlen(w), f, sizeof f, NAMES_FOLD_EXACT);
    if (n <= 0)
        return 0;
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
        size_t k = strlen(endings[i]);
        if ((size_t)n > k + 1 && memcmp(f + (size_t)n - k, endings[i], k) == 0)
            return 1;
    }
    for (size_t i = 0; i < sizeof polish / sizeof *polish; i++) {
        size_t k = strlen(polish[i]);
        if ((size_t)n > k + 1 && memcmp(f + (size_t)n - k, polish[i], k) == 0)
            return 2;
    }
    return 0;
}

static int is_given_word(const names_query_word *w)
{
    return w->kind == NAMES_WORD_NAME && names_gf_is_given(w->text, strlen(w->text));
}

/* A patronymic stands after a given name (or an initial) in a query of at
 * least three name words, and names a father the given-name table knows:
 * "Михаль Тышкевич" has a surname in -евич, not a patronymic. */
static void find_patronymic(names_query *q)
{
    int names = 0;
    for (int i = 0; i < q->n_words; i++)
        names += q->words[i].kind == NAMES_WORD_NAME;
    if (names < 3)
        return;
    for (int i = 1; i < q->n_words; i++) {
        names_query_word *w = &q->words[i], *prev = &q->words[i - 1];
        int ending = w->kind == NAMES_WORD_NAME ? patronymic_ending(w->text) : 0;
        if (!ending)
            continue;
        if (!(prev->kind == NAMES_WORD_INITIAL || is_given_word(prev)))
            continue;
        if (ending == 2 && !(i + 1 < q->n_words && q->words[i + 1].kind == NAMES_WORD_NAME &&
                             !is_given_word(&q->words[i + 1])))
            continue;
        char father[sizeof q->father];
        if (names_patronymic_father(w->text, father, sizeof father) == 1) {
            w->kind = NAMES_WORD_PATRONYMIC;
            set_key(q->father, sizeof q->father, father);
            return;
        }
    }
}

/* One word piece (dots already split off). pending is the father marker
 * state: 0 none, 1 after "s." (an initial unless a genitive follows),
 * 2 after "syn"/"сын" (the next word is the father's, whatever its form).
 * pend_s/pend_n hold the "s." itself to restore it as an initial. */
typedef struct parse_state {
    int pending;
    const char *pend_s;
    size_t pend_n;
    /* a father's name read after a one-letter "s."/"c." (its word index,
     * -1 none), and that letter: if no other name follows, it was an
     * initial and the name the surname ("C. Rama" is Czesław Rama) */
    int letter_father;
    const char *letter_s;
    size_t letter_n;
} parse_state;

static void take_piece(names_query *q, parse_state *st, const char *s, size_t n, int had_dot)
{
    int k;
    while (n > 0 && is_edge_punct(s, n, &k)) {   /* leading quotes */
        s += k;
        n -= (size_t)k;
    }
    while (n > 0) {                              /* trailing quotes, dots */
        size_t b = n - 1;
        while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80)
            b--;
        if (!is_edge_punct(s + b, n - b, &k))
            break;
        n = b;
    }
    if (n == 0)
        return;

    if (st->pending) {
        int was = st->pending;
        st->pending = 0;
        char word[NAMES_QUERY_WORD_BYTES], father[sizeof q->father];
        size_t wn = n < sizeof word ? n : sizeof word - 1;
        memcpy(word, s, wn);
        word[wn] = '\0';
        if (names_genitive_father(word, father, sizeof father)) {
            if (was == 1 && st->letter_father < 0 && q->n_words < NAMES_QUERY_MAX_WORDS) {
                st->letter_father = q->n_words;
                st->letter_s = st->pend_s;
                st->letter_n = st->pend_n;
            }
            add_word(q, s, n, NAMES_WORD_FATHER);
            set_key(q->father, sizeof q->father, father);
            return;
        }
        if (was == 2) {
            add_word(q, s, n, NAMES_WORD_FATHER);
            set_key(q->father, sizeof q->father, word);
            return;
        }
        add_word(q, st->pend_s, st->pend_n, NAMES_WORD_INITIAL);
    }

    int rule = word_rule(s, n);
    if (rule == QW_FATHER) {
        st->pending = is_single_letter(s, n) ? 1 : 2;
        st->pend_s = s;
        st->pend_n = n;
        return;
    }
    if (rule == QW_MARKER || rule == QW_TITLE)
        return;
    if (is_number_like(s, n) || is_small_word(s, n, had_dot))
        return;                     /* a day, a second year, "w": not a name */
    int is_site = 0;
    const char *key = names_camp_key(s, n, &is_site);
    if (key) {
        if (is_site)
            set_key(q->site, sizeof q->site, key);
        else
            set_key(q->camp, sizeof q->camp, key);
        return;
    }
    add_word(q, s, n, is_single_letter(s, n) ? NAMES_WORD_INITIAL : NAMES_WORD_NAME);
}

/* "C. Rama", "S. Kruka": a one-letter marker and a word that may be a
 * father's name in the genitive, and no other name in the query. Read as
 * a father, the query would name no one; read as an initial and a
 * surname, it names a man. */
static void letter_was_initial(names_query *q, const parse_state *st)
{
    for (int i = 0; i < q->n_words; i++)
        if (q->words[i].kind == NAMES_WORD_NAME || q->words[i].kind == NAMES_WORD_PATRONYMIC)
            return;
    if (q->n_words >= NAMES_QUERY_MAX_WORDS)
        return;
    int f = st->letter_father;
    memmove(&q->words[f + 1], &q->words[f], (size_t)(q->n_words - f) * sizeof q->words[0]);
    q->n_words++;
    names_query_word *w = &q->words[f];
    size_t n = st->letter_n < sizeof w->text ? st->letter_n : sizeof w->text - 1;
    memcpy(w->text, st->letter_s, n);
    w->text[n] = '\0';
    w->kind = NAMES_WORD_INITIAL;
    q->words[f + 1].kind = NAMES_WORD_NAME;
    q->father[0] = '\0';
}

int names_query_parse(const char *text, names_query *q)
{
    if (!q)
        return -1;
    memset(q, 0, sizeof *q);
    if (!text)
        return -1;
    char buf[QUERY_BYTES];
    int len = names_nfc_clean(text, strlen(text), buf, sizeof buf);
    if (len < 0)
        return -1;

    size_t span[2] = {0, 0};
    q->birth_year = names_find_birth_year(buf, span);
    if (q->birth_year && span[1] > span[0] && span[1] <= (size_t)len)
        memset(buf + span[0], ' ', span[1] - span[0]);

    parse_state st = {0, NULL, 0, -1, NULL, 0};
    size_t i = 0, n = (size_t)len;
    while (i < n) {
        while (i < n && is_sep(buf[i]))
            i++;
        if (i >= n)
            break;
        size_t rlen;
        int id = names_rank_match(buf + i, &rlen);
        if (id && rlen) {
            if (!q->rank)
                q->rank = id;
            i += rlen;
            continue;
        }
        size_t e = i;
        while (e < n && !is_sep(buf[e]))
            e++;
        /* Split at inner dots: "J.K." is two initials, "s.Jana" a marker
         * and a name. A dot belongs to the piece before it. */
        size_t a = i;
        for (size_t j = i; j <= e; j++) {
            if (j == e || buf[j] == '.') {
                take_piece(q, &st, buf + a, j - a, j < e);
                a = j + 1;
            }
        }
        i = e;
    }
    if (st.pending == 1)
        add_word(q, st.pend_s, st.pend_n, NAMES_WORD_INITIAL);
    if (st.letter_father >= 0)
        letter_was_initial(q, &st);
    find_patronymic(q);
    return q->n_words;
}
