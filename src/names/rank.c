/*
 * rank.c — rank recognition over data/rules/ranks.tsv.
 *
 * Every written form is stored loosely folded (textfold.h); matching walks
 * the text one code point at a time, folding each, so no copy of the text is
 * made. Invariant after load: forms[] and ranks[] are never written again.
 */
#include "names/rank.h"
#include "names/textfold.h"
#include "util/tsv.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANKS_PATH "data/rules/ranks.tsv"
#define RANK_MAX 64
#define FORM_MAX 640
#define FORM_LEN 64

typedef struct rank_info {
    char polish[FORM_LEN];
    char label[2 * FORM_LEN + 4];
} rank_info;

typedef struct rank_form {
    int id;
    char pattern[FORM_LEN]; /* loosely folded */
} rank_form;

static rank_info ranks[RANK_MAX];
static int max_id;
static rank_form forms[FORM_MAX];
static int n_forms;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Copies a field into out without its trailing spaces; 0 if it does not fit. */
static int field(kt_tsv_field f, char *out, size_t cap)
{
    while (f.len && f.s[f.len - 1] == ' ')
        f.len--;
    return kt_tsv_copy(f, out, cap);
}

/* ranks.tsv: id, polish, russian, english, forms (';'-separated). The
 * header's id is not a number, so it needs no special case. */
static void load(void)
{
    kt_tsv c;
    kt_tsv_field f[5];
    int n;
    kt_tsv_open_embedded(&c, RANKS_PATH, KT_TSV_COMMENTS);
    while (kt_tsv_next(&c, f, 5, &n)) {
        char idtxt[16], pl[FORM_LEN], ru[FORM_LEN], all[2048];
        if (n < 5 || !field(f[0], idtxt, sizeof idtxt) || !field(f[1], pl, sizeof pl) ||
            !field(f[2], ru, sizeof ru) || !field(f[4], all, sizeof all)) {
            if (!(n >= 1 && kt_tsv_eq(f[0], "id")))   /* the header */
                kt_tsv_refuse(&c, "expected id, Polish, Russian, a fourth column and forms");
            continue;
        }
        int id = atoi(idtxt);
        if (id <= 0 || id >= RANK_MAX) {
            if (!kt_tsv_eq(f[0], "id"))
                kt_tsv_refuse(&c, "the id is not a rank number");
            continue;
        }
        snprintf(ranks[id].polish, sizeof ranks[id].polish, "%s", pl);
        snprintf(ranks[id].label, sizeof ranks[id].label, "%s (%s)", pl, ru);
        if (id > max_id)
            max_id = id;
        for (char *s = strtok(all, ";"); s && n_forms < FORM_MAX; s = strtok(NULL, ";")) {
            while (*s == ' ')
                s++;
            if (*s && names_fold(s, strlen(s), forms[n_forms].pattern, FORM_LEN,
                                 NAMES_FOLD_LOOSE) > 0) {
                forms[n_forms].id = id;
                n_forms++;
            }
        }
    }
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The start of a text, folded once per call: fb holds the loose fold of up
 * to PREP_CP code points; for each folded byte, src_end is the offset in the
 * text just after the code point (and its stripped marks) it came from, and
 * letter says whether that code point is a letter. */
#define PREP_CP 48
#define PREP_BYTES 256
typedef struct prepared {
    char fb[PREP_BYTES];
    size_t src_end[PREP_BYTES];
    unsigned char letter[PREP_BYTES];
    size_t n;
} prepared;

static void prepare(const char *text, size_t len, prepared *pr)
{
    size_t j = 0;
    pr->n = 0;
    for (int c = 0; c < PREP_CP && j < len; c++) {
        int k;
        int cp = names_cp_at(text + j, len - j, &k);
        char f[16];
        int fl;
        if (cp < 0)
            break;
        if (cp < 0x80) {                /* ASCII fast path */
            f[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
            fl = 1;
        } else {
            fl = names_fold(text + j, (size_t)k, f, sizeof f, NAMES_FOLD_LOOSE);
            if (fl < 0)
                break;
        }
        j += (size_t)k;
        if (fl == 0) {                  /* a stripped mark joins its letter */
            for (size_t b = pr->n; b > 0 && pr->src_end[b - 1] == j - (size_t)k; b--)
                pr->src_end[b - 1] = j;
            continue;
        }
        if (pr->n + (size_t)fl >= PREP_BYTES)
            break;
        for (int b = 0; b < fl; b++) {
            pr->fb[pr->n] = f[b];
            pr->src_end[pr->n] = j;
            pr->letter[pr->n] = (unsigned char)names_cp_is_letter(cp);
            pr->n++;
        }
    }
    pr->fb[pr->n] = '\0';
}

/* Bytes of the original text matched by pattern, or 0 (rules in rank.h). */
static size_t match_form(const char *pat, const prepared *pr)
{
    size_t i = 0, j = 0;
    int last_letter = 0, dot_present = 0;
    while (pat[i]) {
        if (pat[i] == ' ') {
            size_t ws = 0;
            while (j < pr->n && is_space(pr->fb[j])) {
                j++;
                ws++;
            }
            if (ws == 0 && !(i > 0 && pat[i - 1] == '.' && dot_present))
                return 0;
            last_letter = 0;
            i++;
            continue;
        }
        if (pat[i] == '.') {
            dot_present = j < pr->n && pr->fb[j] == '.';
            if (dot_present) {
                j++;
                last_letter = 0;
            }
            i++;
            continue;
        }
        if (j >= pr->n || pr->fb[j] != pat[i])
            return 0;
        last_letter = pr->letter[j];
        i++;
        j++;
    }
    if (j == 0)
        return 0;
    if (last_letter && j < pr->n && pr->letter[j])
        return 0;
    return pr->src_end[j - 1];
}

int names_rank_match(const char *text, size_t *len)
{
    pthread_once(&once, load);
    if (len)
        *len = 0;
    if (!text)
        return 0;
    prepared pr;
    prepare(text, strlen(text), &pr);
    size_t best = 0;
    int id = 0;
    for (int f = 0; f < n_forms; f++) {
        if (forms[f].pattern[0] != pr.fb[0])
            continue;
        size_t m = match_form(forms[f].pattern, &pr);
        if (m > best) {
            best = m;
            id = forms[f].id;
        }
    }
    if (len)
        *len = best;
    return id;
}

int names_rank_of(const char *field_text)
{
    if (!field_text)
        return 0;
    size_t n = strlen(field_text);
    int at_start = 1;
    for (size_t i = 0; i < n;) {
        int k;
        int cp = names_cp_at(field_text + i, n - i, &k);
        int word = names_cp_is_letter(cp) || (cp >= '0' && cp <= '9');
        if (word && at_start) {
            int id = names_rank_match(field_text + i, NULL);
            if (id)
                return id;
        }
        at_start = !word;
        i += (size_t)k;
    }
    return 0;
}

const char *names_rank_label(int id)
{
    pthread_once(&once, load);
    return id > 0 && id <= max_id ? ranks[id].label : "";
}

const char *names_rank_polish(int id)
{
    pthread_once(&once, load);
    return id > 0 && id <= max_id ? ranks[id].polish : "";
}

int names_rank_max(void)
{
    pthread_once(&once, load);
    return max_id;
}
