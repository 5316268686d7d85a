/*
 * person.c — a record's name fields and a parsed query, read into the forms
 * the comparison works on (names_person, names_probe): words read in every
 * plausible orthography, double surnames split into parts, given names and
 * fathers resolved to given-name classes.
 *
 * Guarantees: pure, no allocation, thread-safe after the tables are loaded;
 * every field may be NULL or empty.
 */
#include "names/names.h"

#include <stdio.h>
#include <string.h>

#include "names/camp.h"
#include "names/query.h"
#include "names/rank.h"

/* Splits text at spaces into up to max words; returns the count. */
static int split_words(const char *text, const char *w[], size_t wl[], int max)
{
    int n = 0;
    const char *p = text;
    while (p && *p && n < max) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *s = p;
        while (*p && *p != ' ' && *p != '\t' && *p != ',')
            p++;
        w[n] = s;
        wl[n] = (size_t)(p - s);
        n++;
    }
    return n;
}

/* Reads a surname (one or more words / hyphenated parts) into p. */
static void read_surname(names_person *p, const char *s, size_t len)
{
    char norm[NAMES_TEXT_MAX * 2];
    int n = names_normalize(s, len, norm, sizeof norm);
    p->nsurname = 0;
    if (n <= 0)
        return;
    /* spaces inside a surname field join like hyphens ("Orlik Łukoski") */
    for (int i = 0; i < n; i++)
        if (norm[i] == ' ')
            norm[i] = '-';
    names_word_read(norm, (size_t)n, &p->surname_whole);
    const char *q = norm;
    while (*q && p->nsurname < NAMES_PARTS_MAX) {
        const char *e = strchr(q, '-');
        size_t l = e ? (size_t)(e - q) : strlen(q);
        if (l && names_word_read(q, l, &p->surname[p->nsurname]))
            p->nsurname++;
        if (!e)
            break;
        q = e + 1;
    }
}

static void read_father(names_person *p, const char *f, size_t len)
{
    if (!f || !len)
        return;
    if (names_word_read(f, len, &p->father) == 0)
        return;
    p->has_father = 1;
    p->father_ncls = names_word_father_classes(&p->father, p->father_cls);
}

static void add_given(names_person *p, const char *g, size_t len)
{
    if (p->ngiven >= NAMES_GIVEN_MAX)
        return;
    int i = p->ngiven;
    if (names_word_read(g, len, &p->given[i]) == 0)
        return;
    p->given_ncls[i] = (unsigned char)names_word_classes(&p->given[i], NAMES_FORM_GIVEN, p->given_cls[i]);
    p->ngiven++;
}

void names_split_whole(const char *whole, names_split *out)
{
    names_split_whole_order(whole, NAMES_ORDER_AUTO, out);
}

void names_split_whole_order(const char *whole, int order, names_split *out)
{
    const char *w[16];
    size_t wl[16];
    memset(out, 0, sizeof *out);
    int n = split_words(whole, w, wl, 16);
    if (n == 0)
        return;
    if (n == 1) {
        out->surname = w[0];
        out->surname_len = wl[0];
        return;
    }
    int given_first = order == NAMES_ORDER_GIVEN_FIRST;
    int pat = n >= 3 && names_is_patronymic(w[given_first ? n - 2 : n - 1],
                                            wl[given_first ? n - 2 : n - 1]);
    if (given_first) {
        /* "Мечислав Станиславович Бенашевский": the patronymic before the
         * surname */
        out->surname = w[n - 1];
        out->surname_len = wl[n - 1];
        int g1 = pat ? n - 3 : n - 2;
        out->given = w[0];
        out->given_len = (size_t)(w[g1] + wl[g1] - w[0]);
        if (pat) {
            out->patronymic = w[n - 2];
            out->patronymic_len = wl[n - 2];
        }
        return;
    }
    if (!pat && order == NAMES_ORDER_AUTO) {
        uint16_t c[NAMES_CLASSES_MAX];
        given_first = names_given_classes(w[0], wl[0], NAMES_FORM_GIVEN, c) > 0 &&
                      names_given_classes(w[n - 1], wl[n - 1], NAMES_FORM_GIVEN, c) == 0;
    }
    int s = given_first ? n - 1 : 0;
    out->surname = w[s];
    out->surname_len = wl[s];
    int g0 = given_first ? 0 : 1, g1 = given_first ? n - 2 : (pat ? n - 2 : n - 1);
    if (g1 >= g0) {
        out->given = w[g0];
        out->given_len = (size_t)(w[g1] + wl[g1] - w[g0]);
    }
    if (pat) {
        out->patronymic = w[n - 1];
        out->patronymic_len = wl[n - 1];
    }
}

void names_person_from_fields(names_person *p, const char *surname, const char *given,
                              const char *patronymic, const char *father, const char *whole,
                              int birth_year, const char *rank)
{
    const char *w[8];
    size_t wl[8];
    p->nsurname = 0;
    p->surname_whole.nread = 0;
    p->surname_whole.len = 0;
    p->surname_whole.text[0] = '\0';
    p->ngiven = 0;
    p->has_father = 0;
    p->father_ncls = 0;
    p->birth_year = birth_year;
    p->rank = rank && *rank ? names_rank_of(rank) : 0;
    p->camp = NULL;

    int have_father = (patronymic && *patronymic) || (father && *father);
    if (surname && *surname) {
        read_surname(p, surname, strlen(surname));
        int n = split_words(given, w, wl, 8);
        /* "Мечислав Янович" in a given-names column: the patronymic names
         * the father */
        if (n >= 2 && !have_father && names_is_patronymic(w[n - 1], wl[n - 1])) {
            n--;
            read_father(p, w[n], wl[n]);
        }
        for (int i = 0; i < n; i++)
            add_given(p, w[i], wl[i]);
    } else if (whole && *whole) {
        names_split sp;
        names_split_whole(whole, &sp);
        if (sp.surname_len)
            read_surname(p, sp.surname, sp.surname_len);
        char g[256];
        if (sp.given_len && sp.given_len < sizeof g) {
            memcpy(g, sp.given, sp.given_len);
            g[sp.given_len] = '\0';
            int n = split_words(g, w, wl, 8);
            for (int i = 0; i < n; i++)
                add_given(p, w[i], wl[i]);
        }
        if (sp.patronymic_len && !(patronymic && *patronymic) && !(father && *father))
            read_father(p, sp.patronymic, sp.patronymic_len);
    }
    if (!p->ngiven && given && *given && !(surname && *surname)) {
        int n = split_words(given, w, wl, 8);
        for (int i = 0; i < n; i++)
            add_given(p, w[i], wl[i]);
    }
    if (patronymic && *patronymic)
        read_father(p, patronymic, strlen(patronymic));
    else if (father && *father)
        read_father(p, father, strlen(father));
}

int names_probe_from_query(const struct names_query *q, names_probe *p)
{
    p->nwords = 0;
    p->has_father = 0;
    p->father_ncls = 0;
    p->father_word = -1;
    p->birth_year = q->birth_year;
    p->rank = q->rank;
    p->camp[0] = '\0';
    const char *camp = q->camp[0] ? q->camp : q->site[0] ? names_site_camp(q->site) : NULL;
    if (camp)
        snprintf(p->camp, sizeof p->camp, "%s", camp);
    for (int i = 0; i < q->n_words && p->nwords < NAMES_QWORDS_MAX; i++) {
        const names_query_word *qw = &q->words[i];
        if (qw->kind == NAMES_WORD_FATHER)
            continue;   /* the parser put the father's nominative in q->father */
        int k = p->nwords;
        if (qw->kind == NAMES_WORD_PATRONYMIC) {
            /* kept as a possible surname: a Polish -wicz / -вич surname
             * stands where a patronymic would */
            if (p->father_word >= 0)
                continue;
            p->father_word = k;
        }
        names_word *w = &p->words[k];
        if (names_word_read(qw->text, 0, w) == 0)
            continue;
        p->initial[k] = qw->kind == NAMES_WORD_INITIAL;
        p->surname_only[k] = 0;
        p->ncls[k] = p->initial[k] ? 0
                     : (unsigned char)names_word_classes(w, NAMES_FORM_GIVEN, p->cls[k]);
        p->nparts[k] = 1;
        const char *h = strchr(w->text, '-');
        if (h && !p->initial[k]) {
            size_t l1 = (size_t)(h - w->text);
            if (l1 && names_word_read(w->text, l1, &p->parts[k][0]) &&
                names_word_read(h + 1, strlen(h + 1), &p->parts[k][1]))
                p->nparts[k] = 2;
        }
        p->nwords++;
    }
    if (q->father[0]) {
        if (names_word_read(q->father, 0, &p->father)) {
            p->has_father = 1;
            p->father_ncls = names_word_classes(&p->father, NAMES_FORM_GIVEN, p->father_cls);
        }
    } else {
        /* a patronymic the parser could not resolve is still a father */
        for (int i = 0; i < q->n_words; i++)
            if (q->words[i].kind == NAMES_WORD_PATRONYMIC || q->words[i].kind == NAMES_WORD_FATHER) {
                if (names_word_read(q->words[i].text, 0, &p->father)) {
                    p->has_father = 1;
                    p->father_ncls = names_word_father_classes(&p->father, p->father_cls);
                }
                break;
            }
    }
    return p->nwords;
}

int names_probe_text(const char *text, names_probe *p)
{
    names_query q;
    if (names_query_parse(text, &q) < 0)
        return -1;
    names_probe_from_query(&q, p);
    if (!q.camp[0] && !q.site[0])
        return p->nwords;
    /* the parser set a place aside; the same word may be a surname
     * (Калинин, Козельский), so it is also tried as one */
    const char *w[NAMES_QWORDS_MAX * 2];
    size_t wl[NAMES_QWORDS_MAX * 2];
    int n = split_words(text, w, wl, NAMES_QWORDS_MAX * 2);
    for (int i = 0; i < n && p->nwords < NAMES_QWORDS_MAX; i++) {
        if (!names_camp_key(w[i], wl[i], NULL))
            continue;
        int k = p->nwords;
        if (names_word_read(w[i], wl[i], &p->words[k]) == 0)
            continue;
        int dup = 0;
        for (int j = 0; j < k && !dup; j++)
            dup = strcmp(p->words[j].text, p->words[k].text) == 0;
        if (dup)
            continue;
        p->initial[k] = 0;
        p->surname_only[k] = 1;
        p->ncls[k] = 0;
        p->nparts[k] = 1;
        p->nwords++;
    }
    return p->nwords;
}
