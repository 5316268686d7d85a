/*
 * corpus.c — builds the dev-pair corpora and queries described in corpus.h,
 * and the synthetic corpus for the speed measurements.
 *
 * Invariants: all strings live in one arena per set/corpus and are freed
 * together; every random choice comes from bench_rand with a fixed seed, so
 * two runs (the test, the benchmark, a peer harness reading the written
 * files) see byte-identical corpora.
 */
#include "corpus.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "store/csv.h"
#include "store/spellings.h"
#include "util/embedded.h"

#define SEED_CYR 0x6b6f7a656c736bULL   /* fixed seeds: the corpora never move */
#define SEED_LAT 0x7374617261626cULL
#define SEED_MIX 0x6f7374617368ULL

/* ---- arena: build-once strings, freed at once ---- */

struct bench_arena {
    struct bench_arena *next;
    size_t used, cap;
    char data[];
};

static void *arena_alloc(struct bench_arena **a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (!*a || (*a)->used + n > (*a)->cap) {
        size_t cap = n > (1u << 20) ? n : (1u << 20);
        struct bench_arena *b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = *a;
        b->used = 0;
        b->cap = cap;
        *a = b;
    }
    void *p = (*a)->data + (*a)->used;
    (*a)->used += n;
    return p;
}

static const char *arena_strndup(struct bench_arena **a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static const char *arena_strdup(struct bench_arena **a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

static void arena_free(struct bench_arena *a)
{
    while (a) {
        struct bench_arena *next = a->next;
        free(a);
        a = next;
    }
}

/* ---- randomness, folding, data files ---- */

uint64_t bench_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static size_t rand_below(uint64_t *state, size_t n)
{
    return (size_t)(bench_rand(state) % n);
}

/* Replaces every "ł"/"Ł" in a NUL-terminated UTF-8 string in place (2 bytes
 * each become 1): utf8proc cannot strip ł, it is a letter, not l + mark. */
static void replace_l_stroke(char *s)
{
    char *w = s;
    for (const char *r = s; *r;) {
        if ((unsigned char)r[0] == 0xC5 && ((unsigned char)r[1] == 0x82 ||
                                            (unsigned char)r[1] == 0x81)) {
            *w++ = (unsigned char)r[1] == 0x82 ? 'l' : 'L';
            r += 2;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

char *bench_fold_ascii(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                         UTF8PROC_STRIPMARK) < 0)
        return NULL;
    /* Only Latin letters lose their marks: й, ё in Cyrillic stay as written,
     * so a Cyrillic query is not changed by "folding". */
    size_t n = strlen(s);
    int cyr = 0;
    for (size_t i = 0; i + 1 < n; i++)
        if ((unsigned char)s[i] == 0xD0 || (unsigned char)s[i] == 0xD1)
            cyr = 1;
    if (cyr) {
        free(out);
        char *copy = malloc(n + 1);
        if (copy)
            memcpy(copy, s, n + 1);
        return copy;
    }
    replace_l_stroke((char *)out);
    return (char *)out;
}

/* The comparison key for "identical" names: case folded, every mark
 * stripped (ё→е, й→и, ó→o), ł→l. Written into buf; "" on failure. */
static void twin_key(const char *s, char *buf, size_t cap)
{
    utf8proc_uint8_t *out = NULL;
    buf[0] = '\0';
    if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                         UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD) < 0)
        return;
    replace_l_stroke((char *)out);
    snprintf(buf, cap, "%s", (char *)out);
    free(out);
}

/* The first word of s (up to a space), copied into buf. */
static void first_word(const char *s, char *buf, size_t cap)
{
    size_t n = strcspn(s, " ");
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

/* Splits a data file into NUL-terminated lines (arena copies). The TSV
 * tables are embedded in the library; the plain name lists (*.txt) are not,
 * so they are read from the project tree (tests and benchmarks run from the
 * project root). */
typedef struct lines {
    const char **v;
    size_t n;
} lines;

static int load_lines(struct bench_arena **a, const char *path, lines *out,
                      kt_error *err)
{
    kt_blob file = {path, NULL, 0};
    const kt_blob *b = kt_embedded(path);
    if (!b) {
        FILE *f = fopen(path, "rb");
        if (!f) {
            kt_error_at(err, path, 0, NULL, "cannot open: %s (run from the "
                        "project root)", strerror(errno));
            return KT_ERR_NOTFOUND;
        }
        char *data = NULL;
        long len = -1;
        if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
            fseek(f, 0, SEEK_SET) == 0)
            data = arena_alloc(a, (size_t)len + 1);
        if (!data || fread(data, 1, (size_t)len, f) != (size_t)len) {
            fclose(f);
            kt_error_at(err, path, 0, NULL, "cannot read");
            return KT_ERR;
        }
        fclose(f);
        data[len] = '\0';
        file.data = data;
        file.len = (size_t)len;
        b = &file;
    }
    size_t cap = 1;
    for (size_t i = 0; i < b->len; i++)
        cap += b->data[i] == '\n';
    out->v = arena_alloc(a, cap * sizeof *out->v);
    out->n = 0;
    if (!out->v)
        return KT_ERR_NOMEM;
    const char *p = b->data, *end = b->data + b->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len && p[len - 1] == '\r')
            len--;
        if (len) {
            const char *line = arena_strndup(a, p, len);
            if (!line)
                return KT_ERR_NOMEM;
            out->v[out->n++] = line;
        }
        p += len + 1;
        if (nl)
            p = nl + 1;
        else
            break;
    }
    return KT_OK;
}

/* Tab-separated fields of a line (the data TSVs are not quoted). */
static int split_tabs(struct bench_arena **a, const char *line, const char **f,
                      int max)
{
    int n = 0;
    const char *p = line;
    while (n < max) {
        size_t len = strcspn(p, "\t");
        f[n++] = arena_strndup(a, p, len);
        if (!p[len])
            break;
        p += len + 1;
    }
    for (int i = n; i < max; i++)
        f[i] = "";
    return n;
}

/* ---- given-name classes, for the twin rule ---- */

/* One row of given_names.tsv as twin keys: the Polish form and every
 * Russian/Ukrainian form. */
typedef struct name_class {
    char polish[64];
    char forms[16][64];
    int nforms;
} name_class;

static int load_classes(struct bench_arena **a, name_class **out, size_t *n,
                        kt_error *err)
{
    lines ls;
    int rc = load_lines(a, "data/names/given_names.tsv", &ls, err);
    if (rc)
        return rc;
    name_class *c = arena_alloc(a, ls.n * sizeof *c);
    if (!c)
        return KT_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 1; i < ls.n; i++) { /* line 0 is the header */
        const char *f[6];
        split_tabs(a, ls.v[i], f, 6);
        name_class *nc = &c[k++];
        twin_key(f[0], nc->polish, sizeof nc->polish);
        nc->nforms = 0;
        for (int col = 2; col <= 3; col++) { /* russian, ukrainian */
            const char *p = f[col];
            while (*p && nc->nforms < 16) {
                size_t len = strcspn(p, ";");
                char word[128];
                snprintf(word, sizeof word, "%.*s", (int)len, p);
                twin_key(word, nc->forms[nc->nforms], 64);
                if (nc->forms[nc->nforms][0])
                    nc->nforms++;
                p += len;
                if (*p == ';')
                    p++;
            }
        }
    }
    *out = c;
    *n = k;
    return KT_OK;
}

static const name_class *class_of_polish(const name_class *c, size_t n,
                                         const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].polish, key) == 0)
            return &c[i];
    return NULL;
}

static int class_has_form(const name_class *nc, const char *key)
{
    if (!nc)
        return 0;
    for (int i = 0; i < nc->nforms; i++)
        if (strcmp(nc->forms[i], key) == 0)
            return 1;
    return 0;
}

/* Twin keys of the dev persons, computed once. */
typedef struct twin_person {
    char pl_surname[128], pl_given[64], ru_surname[128], ru_given[64];
    const name_class *cls; /* class of the first Polish given name */
} twin_person;

typedef struct twin_rules {
    twin_person *p;
    size_t n;
    const name_class *classes;
    size_t nclasses;
} twin_rules;

/* A Cyrillic candidate is a twin of a dev person when its surname is the
 * person's Russian surname and its given name is the person's Russian given
 * name or a Russian form of his (first) Polish given name. */
static int is_cyr_twin(const twin_rules *t, const char *surname, const char *given)
{
    char s[128], g[64];
    twin_key(surname, s, sizeof s);
    twin_key(given, g, sizeof g);
    for (size_t i = 0; i < t->n; i++) {
        const twin_person *p = &t->p[i];
        if (strcmp(s, p->ru_surname) != 0)
            continue;
        if ((p->ru_given[0] && strcmp(g, p->ru_given) == 0) ||
            class_has_form(p->cls, g))
            return 1;
    }
    return 0;
}

/* A Polish candidate is a twin when its surname is the person's Polish
 * surname and its first given name is his, or a Polish name whose class
 * holds his Russian given name; or when the Russian record gives only the
 * surname, since then query (d) holds nothing else to tell them apart. */
static int is_lat_twin(const twin_rules *t, const char *surname, const char *given)
{
    char s[128], g[64];
    twin_key(surname, s, sizeof s);
    twin_key(given, g, sizeof g);
    for (size_t i = 0; i < t->n; i++) {
        const twin_person *p = &t->p[i];
        if (strcmp(s, p->pl_surname) != 0)
            continue;
        if (!p->ru_given[0] || strcmp(g, p->pl_given) == 0)
            return 1;
        if (class_has_form(class_of_polish(t->classes, t->nclasses, g), p->ru_given))
            return 1;
    }
    return 0;
}

/* ---- corpus building ---- */

static int corpus_push(bench_corpus *c, size_t *cap, const bench_rec *r)
{
    if (c->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 1024;
        bench_rec *v = realloc(c->recs, ncap * sizeof *v);
        if (!v)
            return KT_ERR_NOMEM;
        c->recs = v;
        *cap = ncap;
    }
    c->recs[c->n++] = *r;
    return KT_OK;
}

/* "Surname Given Patronymic" without empty parts, in the arena. */
static const char *join_name(struct bench_arena **a, const char *s, const char *g,
                             const char *p)
{
    size_t ls = strlen(s), lg = strlen(g), lp = strlen(p);
    char *out = arena_alloc(a, ls + lg + lp + 3);
    if (!out)
        return NULL;
    char *w = out;
    const char *parts[3] = {s, g, p};
    size_t lens[3] = {ls, lg, lp};
    for (int i = 0; i < 3; i++) {
        if (!lens[i])
            continue;
        if (w != out)
            *w++ = ' ';
        memcpy(w, parts[i], lens[i]);
        w += lens[i];
    }
    *w = '\0';
    return out;
}

static int make_rec(bench_corpus *c, size_t *cap, const char *s, const char *g,
                    const char *p, const char *father, int year, int person)
{
    bench_rec r = {0};
    r.surname = s;
    r.given = g;
    r.patronymic = p;
    r.father = father;
    r.year = year;
    r.person = person;
    r.name = join_name(&c->arena, s, g, p);
    if (!r.name)
        return KT_ERR_NOMEM;
    return corpus_push(c, cap, &r);
}

/* Shuffles the records (Fisher-Yates) and numbers them 1..n. */
static void corpus_shuffle(bench_corpus *c, uint64_t seed)
{
    for (size_t i = c->n; i > 1; i--) {
        size_t j = rand_below(&seed, i);
        bench_rec t = c->recs[i - 1];
        c->recs[i - 1] = c->recs[j];
        c->recs[j] = t;
    }
    for (size_t i = 0; i < c->n; i++)
        c->recs[i].id = (int64_t)i + 1;
}

/* "род. 1884, ..." → 1884; 0 when the BIO states no year. */
static int memorial_year(const char *bio)
{
    const char *m = strstr(bio, "род. ");
    if (!m)
        return 0;
    m += strlen("род. ");
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (m[i] < '0' || m[i] > '9')
            return 0;
        y = y * 10 + (m[i] - '0');
    }
    return y;
}

/* Reads the whole file into a malloc'd buffer. */
static char *read_file(const char *path, size_t *len, kt_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        kt_error_at(err, path, 0, NULL, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *data = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
        data = malloc((size_t)n + 1);
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) {
        kt_error_at(err, path, 0, NULL, "cannot read");
        free(data);
        data = NULL;
    } else {
        data[n] = '\0';
        *len = (size_t)n;
    }
    fclose(f);
    return data;
}

/* The Memorial list (ADDRESS,APT,NAME,BIO,COUNT,LINK), read with the
 * project's CSV reader. NAME is "Фамилия Имя Отчество": the first word is
 * the surname, the second the given name, the rest the patronymic. */
static int add_memorial(bench_corpus *c, size_t *cap, const twin_rules *t,
                        const char *path, kt_error *err)
{
    size_t len = 0;
    char *data = read_file(path, &len, err);
    if (!data)
        return KT_ERR_NOTFOUND;
    store_csv *csv = NULL;
    int rc = store_csv_open(data, len, path, &csv, err);
    if (rc) {
        free(data);
        return rc;
    }
    size_t col_name = SIZE_MAX, col_bio = SIZE_MAX;
    for (size_t i = 0; i < store_csv_columns(csv); i++) {
        if (strcmp(store_csv_column(csv, i), "NAME") == 0)
            col_name = i;
        if (strcmp(store_csv_column(csv, i), "BIO") == 0)
            col_bio = i;
    }
    if (col_name == SIZE_MAX || col_bio == SIZE_MAX) {
        kt_error_at(err, path, 1, NULL, "no NAME and BIO columns: is this the "
                    "Memorial list?");
        rc = KT_ERR_INPUT;
    }
    store_csv_row row;
    while (rc == KT_OK && (rc = store_csv_next(csv, &row, err)) == 1) {
        rc = KT_OK;
        char name[1024];
        snprintf(name, sizeof name, "%s", row.fields[col_name]);
        char *sp1 = strchr(name, ' ');
        const char *s = name, *g = "", *pa = "";
        if (sp1) {
            *sp1 = '\0';
            g = sp1 + 1;
            char *sp2 = strchr(sp1 + 1, ' ');
            if (sp2) {
                *sp2 = '\0';
                pa = sp2 + 1;
            }
        }
        if (!*s)
            continue;
        if (is_cyr_twin(t, s, g)) {
            c->twins++;
            continue;
        }
        const char *ds = arena_strdup(&c->arena, s), *dg = arena_strdup(&c->arena, g),
                   *dp = arena_strdup(&c->arena, pa);
        if (!ds || !dg || !dp) {
            rc = KT_ERR_NOMEM;
            break;
        }
        rc = make_rec(c, cap, ds, dg, dp, "", memorial_year(row.fields[col_bio]), 0);
        if (rc == KT_OK) {
            c->recs[c->n - 1].pole = strstr(row.fields[col_bio], "поляк") ||
                                     strstr(row.fields[col_bio], "полька");
            c->recs[c->n - 1].line = row.line;
        }
        c->memorial++;
    }
    store_csv_close(csv);
    free(data);
    if (rc == KT_OK && c->memorial < 5000) {
        kt_error_at(err, path, 0, "NAME", "only %zu names read; is this the "
                    "Memorial list?", c->memorial);
        rc = KT_ERR_INPUT;
    }
    return rc;
}

/* The name lists, loaded once per build. */
typedef struct name_lists {
    lines ru_sur, ru_given, ru_patr, pl_sur, pl_given;
} name_lists;

static int load_lists(struct bench_arena **a, name_lists *l, kt_error *err)
{
    int rc;
    if ((rc = load_lines(a, "data/names/russian_male_surnames.txt", &l->ru_sur, err)) ||
        (rc = load_lines(a, "data/names/russian_male_given.txt", &l->ru_given, err)) ||
        (rc = load_lines(a, "data/names/russian_male_patronymics.txt", &l->ru_patr, err)) ||
        (rc = load_lines(a, "data/names/polish_surnames.txt", &l->pl_sur, err)) ||
        (rc = load_lines(a, "data/names/polish_male_given.txt", &l->pl_given, err)))
        return rc;
    return KT_OK;
}

static int year_of(uint64_t *st)
{
    return 1870 + (int)rand_below(st, 56); /* born 1870..1925, as the POWs were */
}

/* Russian "surname given patronymic" names drawn independently. */
static int add_generated_cyr(bench_corpus *c, size_t *cap, const twin_rules *t,
                             const name_lists *l, size_t want, uint64_t seed)
{
    while (c->generated < want) {
        const char *s = l->ru_sur.v[rand_below(&seed, l->ru_sur.n)];
        const char *g = l->ru_given.v[rand_below(&seed, l->ru_given.n)];
        const char *p = l->ru_patr.v[rand_below(&seed, l->ru_patr.n)];
        int y = year_of(&seed);
        if (t && is_cyr_twin(t, s, g)) {
            c->twins++;
            continue;
        }
        int rc = make_rec(c, cap, s, g, p, "", y, 0);
        if (rc)
            return rc;
        c->generated++;
    }
    return KT_OK;
}

/* A Polish record: surname and first given name from a permutation of all
 * pairs (so no two share both), a second given name for one in four, the
 * father's name for seven in ten, a year. */
static int add_generated_lat(bench_corpus *c, size_t *cap, const twin_rules *t,
                             const name_lists *l, size_t want, uint64_t seed)
{
    size_t pairs = l->pl_sur.n * l->pl_given.n;
    uint32_t *perm = malloc(pairs * sizeof *perm);
    if (!perm)
        return KT_ERR_NOMEM;
    for (size_t i = 0; i < pairs; i++)
        perm[i] = (uint32_t)i;
    for (size_t i = pairs; i > 1; i--) {
        size_t j = rand_below(&seed, i);
        uint32_t x = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = x;
    }
    int rc = KT_OK;
    for (size_t k = 0; c->generated < want && rc == KT_OK; k++) {
        /* beyond all distinct pairs (only the 1M synthetic corpus gets
         * there), pairs repeat with other second names, fathers, years */
        uint32_t pair = perm[k % pairs];
        const char *s = l->pl_sur.v[pair / l->pl_given.n];
        const char *g1 = l->pl_given.v[pair % l->pl_given.n];
        const char *g = g1;
        if (rand_below(&seed, 4) == 0) {
            const char *g2 = l->pl_given.v[rand_below(&seed, l->pl_given.n)];
            if (strcmp(g2, g1) != 0) {
                char both[256];
                snprintf(both, sizeof both, "%s %s", g1, g2);
                g = arena_strdup(&c->arena, both);
            }
        }
        const char *father = rand_below(&seed, 10) < 7
                                 ? l->pl_given.v[rand_below(&seed, l->pl_given.n)]
                                 : "";
        int y = year_of(&seed);
        if (!g) {
            rc = KT_ERR_NOMEM;
            break;
        }
        if (t && is_lat_twin(t, s, g1)) {
            c->twins++;
            continue;
        }
        rc = make_rec(c, cap, s, g, "", father, y, 0);
        if (rc == KT_OK)
            c->generated++;
    }
    free(perm);
    return rc;
}

/* ---- dev persons and queries ---- */

static int load_persons(bench_set *s, kt_error *err)
{
    lines ls;
    int rc = load_lines(&s->arena, "data/names/dev_persons.tsv", &ls, err);
    if (rc)
        return rc;
    s->persons = calloc(ls.n, sizeof *s->persons);
    if (!s->persons)
        return KT_ERR_NOMEM;
    for (size_t i = 1; i < ls.n; i++) {
        const char *f[16];
        if (split_tabs(&s->arena, ls.v[i], f, 16) < 13) {
            kt_error_at(err, "data/names/dev_persons.tsv", (long)i + 1, NULL,
                        "expected 16 tab-separated columns");
            return KT_ERR_INPUT;
        }
        bench_person *p = &s->persons[s->npersons++];
        p->id = f[0];
        p->pl_surname = f[1];
        p->pl_given = f[2];
        p->ru_surname = f[3];
        p->ru_given = f[4];
        p->ru_patronymic = f[5];
        p->father = f[6];
        p->year = atoi(f[7]);
        p->other = f[12];
    }
    return KT_OK;
}

static int push_query_for(bench_set *s, size_t *cap, char kind, const char *corpus,
                          int person, int64_t true_id, const char *text, const char *note);

static int push_query(bench_set *s, size_t *cap, char kind, const char *corpus,
                      int person, const char *text, const char *note)
{
    const bench_person *p = &s->persons[person - 1];
    return push_query_for(s, cap, kind, corpus, person,
                          strcmp(corpus, "cyr") == 0 ? p->cyr_id : p->lat_id, text, note);
}

static int push_query_for(bench_set *s, size_t *cap, char kind, const char *corpus,
                          int person, int64_t true_id, const char *text, const char *note)
{
    if (s->nqueries == *cap) {
        size_t ncap = *cap ? *cap * 2 : 128;
        bench_query *v = realloc(s->queries, ncap * sizeof *v);
        if (!v)
            return KT_ERR_NOMEM;
        s->queries = v;
        *cap = ncap;
    }
    bench_query *q = &s->queries[s->nqueries];
    q->qid = (int)++s->nqueries;
    q->kind = kind;
    q->corpus = corpus;
    q->true_id = true_id;
    q->person = person;
    q->text = text;
    q->note = note ? note : "";
    return KT_OK;
}

static int has_cyrillic(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s == 0xD0 || (unsigned char)*s == 0xD1 ||
            (unsigned char)*s == 0xD2 || (unsigned char)*s == 0xD3)
            return 1;
    return 0;
}

/* other_spellings: "A; B (remark); C = D (remark); E / F / G (remark)".
 * Each spelling becomes one (c) query, its remark the note; the library
 * reads the column (store/spellings.h) as the loader of aliases does. */
typedef struct other_ctx {
    bench_set *s;
    size_t *cap;
    int person;
} other_ctx;

static int add_other_query(void *ctx, const char *spelling, const char *remark)
{
    other_ctx *c = ctx;
    const char *qt = arena_strdup(&c->s->arena, spelling);
    const char *qn = arena_strdup(&c->s->arena, remark);
    if (!qt || !qn)
        return KT_ERR_NOMEM;
    return push_query(c->s, c->cap, 'c', has_cyrillic(spelling) ? "lat" : "cyr",
                      c->person, qt, qn);
}

static int add_other_queries(bench_set *s, size_t *cap, int person)
{
    other_ctx c = {s, cap, person};
    return spellings_each(s->persons[person - 1].other, add_other_query, &c);
}


/* ---- damaged queries: slips, misreadings, initials, missing parts ---- */

/* Keys next to each letter on a QWERTY keyboard (the Polish programmer's
 * layout, which nearly every Polish keyboard uses). */
static const char *const qwerty_near[26] = {
    "qwsz", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko",
    "huikmn", "jiolm", "kop", "njk", "bhjm", "iklp", "ol", "wa", "edft", "awedxz",
    "rfgy", "yhji", "cfgb", "qase", "zsdc", "tghu", "asx",
};

static int is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

/* One keyboard slip in word w (ASCII) after its first letter, of type t:
 * 0 a neighbouring key, 1 a letter dropped, 2 a letter doubled, 3 two
 * neighbouring letters swapped. Written into out; 0 when the word has no
 * place for it. */
static int slip(const char *w, int t, uint64_t *st, char *out, size_t cap)
{
    size_t n = strlen(w);
    if (n < 3 || n + 2 > cap)
        return 0;
    size_t at[64], na = 0;
    for (size_t i = 1; i < n && na < 64; i++)
        if (is_lower(w[i]) && (t != 3 || (i + 1 < n && is_lower(w[i + 1]) && w[i] != w[i + 1])))
            at[na++] = i;
    if (!na)
        return 0;
    size_t i = at[rand_below(st, na)];
    memcpy(out, w, n + 1);
    switch (t) {
    case 0: {
        const char *near = qwerty_near[w[i] - 'a'];
        out[i] = near[rand_below(st, strlen(near))];
        break;
    }
    case 1:
        memmove(out + i, w + i + 1, n - i);
        break;
    case 2:
        memmove(out + i + 1, w + i, n - i + 1);
        break;
    default:
        out[i] = w[i + 1];
        out[i + 1] = w[i];
        break;
    }
    return 1;
}

/* The misreadings of a typist copying handwriting (the German lists of
 * 1943): each pair read either way. */
static const char *const misread_pairs[][2] = {
    {"n", "u"}, {"u", "n"}, {"m", "rn"}, {"rn", "m"}, {"c", "e"}, {"e", "c"},
    {"l", "t"}, {"t", "l"}, {"a", "o"}, {"o", "a"}, {"i", "l"}, {"l", "i"},
};
#define NMISREAD (sizeof misread_pairs / sizeof *misread_pairs)

/* One misreading in word w (ASCII) after its first letter, the pair and
 * the place chosen with st. 0 when no pair applies. */
static int misread(const char *w, uint64_t *st, char *out, size_t cap)
{
    size_t n = strlen(w);
    size_t first = rand_below(st, NMISREAD);
    for (size_t k = 0; k < NMISREAD; k++) {
        const char *from = misread_pairs[(first + k) % NMISREAD][0];
        const char *to = misread_pairs[(first + k) % NMISREAD][1];
        size_t fl = strlen(from), tl = strlen(to);
        size_t at[64], na = 0;
        for (size_t i = 1; i + fl <= n && na < 64; i++)
            if (memcmp(w + i, from, fl) == 0)
                at[na++] = i;
        if (!na || n - fl + tl + 1 > cap)
            continue;
        size_t i = at[rand_below(st, na)];
        memcpy(out, w, i);
        memcpy(out + i, to, tl);
        memcpy(out + i + tl, w + i + fl, n - i - fl + 1);
        return 1;
    }
    return 0;
}

/* The damaged queries of one person, all searched in cyr: (e) one slip in
 * the surname, one of each type, "Given Surname" in ASCII; (f) one
 * misreading, given name after and before the surname, ASCII; (g) the
 * given name as an initial, "M. Smorawiński"; (h) the given name missing,
 * and a double surname with a space or one of its parts. */
static int add_damaged_queries(bench_set *s, size_t *cap, int person)
{
    const bench_person *p = &s->persons[person - 1];
    uint64_t st = 0xDA3A6ED0ULL + (uint64_t)person * 7919;
    char *sur = bench_fold_ascii(p->pl_surname), *giv = bench_fold_ascii(p->pl_given);
    int rc = KT_OK;
    if (!sur || !giv) {
        rc = KT_ERR_NOMEM;
        goto out;
    }
    char g1[128], buf[512], w[256];
    first_word(giv, g1, sizeof g1);
    for (int t = 0; t < 4 && !rc; t++)
        if (slip(sur, t, &st, w, sizeof w)) {
            snprintf(buf, sizeof buf, "%s %s", g1, w);
            const char *q = arena_strdup(&s->arena, buf);
            rc = q ? push_query(s, cap, 'e', "cyr", person, q, NULL) : KT_ERR_NOMEM;
        }
    for (int order = 0; order < 2 && !rc; order++)
        if (misread(sur, &st, w, sizeof w)) {
            if (order)
                snprintf(buf, sizeof buf, "%s %s", w, g1);
            else
                snprintf(buf, sizeof buf, "%s %s", g1, w);
            const char *q = arena_strdup(&s->arena, buf);
            rc = q ? push_query(s, cap, 'f', "cyr", person, q, NULL) : KT_ERR_NOMEM;
        }
    if (!rc) {
        size_t il = 1;
        while (p->pl_given[il] && ((unsigned char)p->pl_given[il] & 0xC0) == 0x80)
            il++;
        snprintf(buf, sizeof buf, "%.*s. %s", (int)il, p->pl_given, p->pl_surname);
        const char *q = arena_strdup(&s->arena, buf);
        rc = q ? push_query(s, cap, 'g', "cyr", person, q, NULL) : KT_ERR_NOMEM;
    }
    if (!rc) {
        const char *q = arena_strdup(&s->arena, p->pl_surname);
        rc = q ? push_query(s, cap, 'h', "cyr", person, q, NULL) : KT_ERR_NOMEM;
    }
    /* the parts of a double surname, when the Russian record has both (one
     * that gives only Луковский for Orlik-Łukoski cannot be found by Orlik) */
    const char *hy = strchr(p->pl_surname, '-');
    if (hy && strchr(p->ru_surname, '-') && !rc) {
        size_t a = (size_t)(hy - p->pl_surname);
        const char *forms[3];
        snprintf(buf, sizeof buf, "%s %.*s %s", g1, (int)a, p->pl_surname, hy + 1);
        forms[0] = arena_strdup(&s->arena, buf);
        snprintf(buf, sizeof buf, "%s %.*s", g1, (int)a, p->pl_surname);
        forms[1] = arena_strdup(&s->arena, buf);
        snprintf(buf, sizeof buf, "%s %s", g1, hy + 1);
        forms[2] = arena_strdup(&s->arena, buf);
        for (int i = 0; i < 3 && !rc; i++)
            rc = forms[i] ? push_query(s, cap, 'h', "cyr", person, forms[i], NULL)
                          : KT_ERR_NOMEM;
    }
out:
    free(sur);
    free(giv);
    return rc;
}

/* One slip in a Cyrillic word after its first letter, of type t: 0 a
 * letter dropped, 1 doubled, 2 two neighbours swapped. 0 when the word has
 * no place for it. */
static int cyr_slip(const char *w, int t, uint64_t *st, char *out, size_t cap)
{
    size_t n = strlen(w), at[64], na = 0;
    if (n + 4 > cap)
        return 0;
    /* letters are two bytes each in Cyrillic UTF-8 */
    for (size_t i = 2; i + 1 < n && na < 64; i += 2)
        if (t != 2 || (i + 3 < n && memcmp(w + i, w + i + 2, 2) != 0))
            at[na++] = i;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)w[i] < 0x80)
            return 0;   /* not all Cyrillic */
    if (!na)
        return 0;
    size_t i = at[rand_below(st, na)];
    if (t == 0) {
        memcpy(out, w, i);
        memcpy(out + i, w + i + 2, n - i - 1);
    } else if (t == 1) {
        memcpy(out, w, i + 2);
        memcpy(out + i + 2, w + i, n - i + 1);
    } else {
        memcpy(out, w, n + 1);
        memcpy(out + i, w + i + 2, 2);
        memcpy(out + i + 2, w + i, 2);
    }
    return 1;
}

/* (i) The Memorial list's Poles (the biography says поляк / полька), the
 * first MEMORIAL_POLES of them in corpus order whose surname and given name
 * no other record of the corpus has: one slip in the Cyrillic surname, as a
 * Russian user types "Surname Given". Real names the rules were not made
 * from, each its own record among the 100,000. */
#define MEMORIAL_POLES 120
static int add_memorial_queries(bench_set *s, size_t *cap)
{
    const bench_corpus *c = &s->cyr;
    int made = 0, rc = KT_OK;
    uint64_t st = 0x4D454D4FULL;
    for (size_t i = 0; i < c->n && made < MEMORIAL_POLES && rc == KT_OK; i++) {
        const bench_rec *r = &c->recs[i];
        if (!r->pole || !r->given[0])
            continue;
        int twins = 0;
        for (size_t j = 0; j < c->n && !twins; j++)
            twins = j != i && strcmp(c->recs[j].surname, r->surname) == 0 &&
                    strcmp(c->recs[j].given, r->given) == 0;
        char w[256], buf[512];
        if (twins || !cyr_slip(r->surname, made % 3, &st, w, sizeof w))
            continue;
        snprintf(buf, sizeof buf, "%s %s", w, r->given);
        const char *q = arena_strdup(&s->arena, buf);
        rc = q ? push_query_for(s, cap, 'i', "cyr", 0, r->id, q, NULL) : KT_ERR_NOMEM;
        made++;
    }
    return rc;
}

/* Whether another record of c has the surname and given names of c->recs[i]. */
static int has_twin(const bench_corpus *c, size_t i)
{
    const bench_rec *r = &c->recs[i];
    for (size_t j = 0; j < c->n; j++)
        if (j != i && strcmp(c->recs[j].surname, r->surname) == 0 &&
            strcmp(c->recs[j].given, r->given) == 0)
            return 1;
    return 0;
}

/* (j) and (k): the Memorial list's Poles as a Polish family writes them,
 * from POLES_PL (tests/data/memorial/poles_pl.csv: each Russian row's
 * names spelled by the Polish transcription of Russian and the Polish
 * forms of Russified given names, written without the name engine), the
 * row sought found by its line. (j) "Given Surname" as spelled there; (k)
 * the same with one thing gone wrong, in turn a slip after the first letter
 * of the surname, a German typist's misreading, an initial for the given
 * name. Real names the rules were not made from and the score's map was
 * not read from: what the engine does on names it has never seen. Rows
 * whose Russian record has a twin in the corpus are left out, as for (i). */
#define POLES_PL "tests/data/memorial/poles_pl.csv"
static int add_polish_spelled_queries(bench_set *s, size_t *cap)
{
    size_t len = 0;
    kt_error err;
    char *data = read_file(POLES_PL, &len, &err);
    if (!data)
        return KT_ERR_NOTFOUND;
    store_csv *csv = NULL;
    int rc = store_csv_open(data, len, POLES_PL, &csv, &err);
    if (rc) {
        free(data);
        return rc;
    }
    size_t col_s = SIZE_MAX, col_g = SIZE_MAX, col_t = SIZE_MAX;
    for (size_t i = 0; i < store_csv_columns(csv); i++) {
        const char *h = store_csv_column(csv, i);
        if (!strcmp(h, "surname"))
            col_s = i;
        else if (!strcmp(h, "given_names"))
            col_g = i;
        else if (!strcmp(h, "truth"))
            col_t = i;
    }
    if (col_s == SIZE_MAX || col_g == SIZE_MAX || col_t == SIZE_MAX)
        rc = KT_ERR_INPUT;
    const bench_corpus *c = &s->cyr;
    uint64_t st = 0x504F4C45ULL;
    int made = 0;
    store_csv_row row;
    while (rc == KT_OK && (rc = store_csv_next(csv, &row, &err)) == 1) {
        rc = KT_OK;
        long line = atol(row.fields[col_t]);
        size_t at = SIZE_MAX;
        for (size_t i = 0; i < c->n && at == SIZE_MAX; i++)
            if (c->recs[i].line == line)
                at = i;
        /* a row whose given name is the other surname Memorial gives in
         * brackets ("Лещиньский (Ленский)") has no given name to type */
        if (at == SIZE_MAX || !row.fields[col_g][0] || row.fields[col_g][0] == '(' ||
            has_twin(c, at))
            continue;
        const char *sur = row.fields[col_s], *giv = row.fields[col_g];
        char g1[128], buf[512], w[256];
        first_word(giv, g1, sizeof g1);
        snprintf(buf, sizeof buf, "%s %s", g1, sur);
        const char *q = arena_strdup(&s->arena, buf);
        rc = q ? push_query_for(s, cap, 'j', "cyr", 0, c->recs[at].id, q, NULL) : KT_ERR_NOMEM;
        char *fs = bench_fold_ascii(sur), *fg = bench_fold_ascii(g1);
        if (!fs || !fg)
            rc = KT_ERR_NOMEM;
        int ok = 0;
        for (int tries = 0; rc == KT_OK && !ok && tries < 3; tries++) {
            switch ((made + tries) % 3) {
            case 0:
                ok = slip(fs, made % 4, &st, w, sizeof w);
                if (ok)
                    snprintf(buf, sizeof buf, "%s %s", fg, w);
                break;
            case 1:
                ok = misread(fs, &st, w, sizeof w);
                if (ok)
                    snprintf(buf, sizeof buf, (made / 3) % 2 ? "%s %s" : "%2$s %1$s", fg, w);
                break;
            default: {
                size_t il = 1;
                while (g1[il] && ((unsigned char)g1[il] & 0xC0) == 0x80)
                    il++;
                snprintf(buf, sizeof buf, "%.*s. %s", (int)il, g1, sur);
                ok = 1;
            }
            }
        }
        if (rc == KT_OK && ok) {
            q = arena_strdup(&s->arena, buf);
            rc = q ? push_query_for(s, cap, 'k', "cyr", 0, c->recs[at].id, q, NULL)
                   : KT_ERR_NOMEM;
        }
        free(fs);
        free(fg);
        made++;
    }
    store_csv_close(csv);
    free(data);
    return rc < 0 ? rc : KT_OK;
}

static int build_queries(bench_set *s)
{
    size_t cap = 0;
    int rc;
    for (size_t i = 0; i < s->npersons; i++) {
        const bench_person *p = &s->persons[i];
        int person = (int)i + 1;
        char buf[512];
        snprintf(buf, sizeof buf, "%s %s", p->pl_given, p->pl_surname);
        const char *a = arena_strdup(&s->arena, buf);
        char *folded = bench_fold_ascii(buf);
        const char *b = folded ? arena_strdup(&s->arena, folded) : NULL;
        free(folded);
        const char *d = join_name(&s->arena, p->ru_surname, p->ru_given,
                                  p->ru_patronymic);
        if (!a || !b || !d)
            return KT_ERR_NOMEM;
        if ((rc = push_query(s, &cap, 'a', "cyr", person, a, NULL)) ||
            (rc = push_query(s, &cap, 'b', "cyr", person, b, NULL)) ||
            (rc = push_query(s, &cap, 'd', "lat", person, d, NULL)) ||
            (rc = add_other_queries(s, &cap, person)) ||
            (rc = add_damaged_queries(s, &cap, person)))
            return rc;
    }
    if ((rc = add_memorial_queries(s, &cap)))
        return rc;
    return add_polish_spelled_queries(s, &cap);
}

static const char *splice(struct bench_arena **ar, const char *a, const char *b,
                          uint64_t *st);

/* Splices seven surnames in ten of records [from, c->n) with another
 * record's of that range (see splice), for a corpus as varied as a real one
 * of that size. */
static int splice_range(bench_corpus *c, size_t from, uint64_t seed)
{
    size_t n = c->n - from;
    for (size_t i = from; i < c->n && n > 1; i++) {
        if (rand_below(&seed, 10) >= 7)
            continue;
        bench_rec *r = &c->recs[i];
        const char *sur = splice(&c->arena, r->surname,
                                 c->recs[from + rand_below(&seed, n)].surname, &seed);
        const char *name = sur ? join_name(&c->arena, sur, r->given, r->patronymic) : NULL;
        if (!sur || !name)
            return KT_ERR_NOMEM;
        r->surname = sur;
        r->name = name;
    }
    return KT_OK;
}

int bench_set_build(bench_set *s, const char *memorial_path, kt_error *err)
{
    return bench_set_build_scaled(s, memorial_path, 0, err);
}

int bench_set_build_scaled(bench_set *s, const char *memorial_path, size_t extra,
                           kt_error *err)
{
    memset(s, 0, sizeof *s);
    s->cyr.script = "cyr";
    s->lat.script = "lat";
    kt_error_clear(err);
    int rc = load_persons(s, err);
    if (rc)
        goto fail;

    name_class *classes = NULL;
    size_t nclasses = 0;
    if ((rc = load_classes(&s->arena, &classes, &nclasses, err)))
        goto fail;
    twin_rules t = {0};
    t.p = arena_alloc(&s->arena, s->npersons * sizeof *t.p);
    if (!t.p) {
        rc = KT_ERR_NOMEM;
        goto fail;
    }
    t.n = s->npersons;
    t.classes = classes;
    t.nclasses = nclasses;
    for (size_t i = 0; i < s->npersons; i++) {
        const bench_person *p = &s->persons[i];
        twin_person *tp = &t.p[i];
        char g1[128];
        twin_key(p->pl_surname, tp->pl_surname, sizeof tp->pl_surname);
        twin_key(p->ru_surname, tp->ru_surname, sizeof tp->ru_surname);
        twin_key(p->ru_given, tp->ru_given, sizeof tp->ru_given);
        first_word(p->pl_given, g1, sizeof g1);
        twin_key(g1, tp->pl_given, sizeof tp->pl_given);
        tp->cls = class_of_polish(classes, nclasses, tp->pl_given);
    }

    name_lists l;
    if ((rc = load_lists(&s->arena, &l, err)))
        goto fail;

    size_t cap_cyr = 0, cap_lat = 0;
    for (size_t i = 0; i < s->npersons && rc == KT_OK; i++) {
        const bench_person *p = &s->persons[i];
        rc = make_rec(&s->cyr, &cap_cyr, p->ru_surname, p->ru_given,
                      p->ru_patronymic, "", p->year, (int)i + 1);
        if (rc == KT_OK)
            rc = make_rec(&s->lat, &cap_lat, p->pl_surname, p->pl_given, "",
                          p->father, p->year, (int)i + 1);
    }
    if (rc)
        goto fail;
    if ((rc = add_memorial(&s->cyr, &cap_cyr, &t, memorial_path, err)) ||
        (rc = add_generated_cyr(&s->cyr, &cap_cyr, &t, &l, BENCH_DISTRACTORS, SEED_CYR)) ||
        (rc = add_generated_lat(&s->lat, &cap_lat, &t, &l, BENCH_DISTRACTORS, SEED_LAT)))
        goto fail;
    if (extra) {
        /* more of them, the twin rules as before, surnames spliced */
        size_t c0 = s->cyr.n, l0 = s->lat.n;
        if ((rc = add_generated_cyr(&s->cyr, &cap_cyr, &t, &l, BENCH_DISTRACTORS + extra,
                                    SEED_CYR ^ 0x5CA1ED)) ||
            (rc = add_generated_lat(&s->lat, &cap_lat, &t, &l, BENCH_DISTRACTORS + extra,
                                    SEED_LAT ^ 0x5CA1ED)) ||
            (rc = splice_range(&s->cyr, c0, SEED_CYR ^ 0x591CE)) ||
            (rc = splice_range(&s->lat, l0, SEED_LAT ^ 0x591CE)))
            goto fail;
    }
    corpus_shuffle(&s->cyr, SEED_CYR ^ 1);
    corpus_shuffle(&s->lat, SEED_LAT ^ 1);
    for (size_t i = 0; i < s->cyr.n; i++)
        if (s->cyr.recs[i].person)
            s->persons[s->cyr.recs[i].person - 1].cyr_id = s->cyr.recs[i].id;
    for (size_t i = 0; i < s->lat.n; i++)
        if (s->lat.recs[i].person)
            s->persons[s->lat.recs[i].person - 1].lat_id = s->lat.recs[i].id;
    if ((rc = build_queries(s)))
        goto fail;
    return KT_OK;

fail:
    if (rc == KT_ERR_NOMEM && !err->message[0])
        kt_error_set(err, "out of memory building the corpora");
    bench_set_free(s);
    return rc;
}

void bench_corpus_free(bench_corpus *c)
{
    free(c->recs);
    arena_free(c->arena);
    c->recs = NULL;
    c->arena = NULL;
    c->n = 0;
}

void bench_set_free(bench_set *s)
{
    bench_corpus_free(&s->cyr);
    bench_corpus_free(&s->lat);
    free(s->persons);
    free(s->queries);
    arena_free(s->arena);
    memset(s, 0, sizeof *s);
}

const bench_corpus *bench_set_corpus(const bench_set *s, const char *script)
{
    return strcmp(script, "cyr") == 0 ? &s->cyr : &s->lat;
}

/* Byte offsets of the code points of s (at most max). */
static int cp_starts(const char *s, size_t *at, int max)
{
    int n = 0;
    for (size_t i = 0; s[i] && n < max; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            at[n++] = i;
    return n;
}

/* A new surname from the head of `a` and the tail of `b` (same script), cut
 * at code points: "Kowal|czyk" + "Zieli|ński" → "Kowalński". Real lists of a
 * million people hold a hundred thousand surnames or more, not the few
 * hundred of the name lists; without this, one surname would stand for a
 * thousand records and flatter the build (encoded once) and skew latency. */
static const char *splice(struct bench_arena **ar, const char *a, const char *b,
                          uint64_t *st)
{
    size_t pa[64], pb[64];
    int na = cp_starts(a, pa, 64), nb = cp_starts(b, pb, 64);
    if (na < 4 || nb < 4)
        return a;
    size_t i = pa[2 + rand_below(st, (size_t)na - 3)]; /* keep >= 2 letters */
    size_t j = pb[1 + rand_below(st, (size_t)nb - 2)]; /* take >= 1 letter */
    size_t lb = strlen(b + j);
    char *out = arena_alloc(ar, i + lb + 1);
    if (!out)
        return NULL;
    memcpy(out, a, i);
    memcpy(out + i, b + j, lb + 1);
    return out;
}

/* Distinct strings among the records' surnames (FNV-1a, open addressing). */
static size_t distinct_surnames(const bench_corpus *c)
{
    size_t cap = 1;
    while (cap < c->n * 2)
        cap <<= 1;
    uint64_t *h = calloc(cap, sizeof *h);
    if (!h)
        return 0;
    size_t distinct = 0;
    for (size_t i = 0; i < c->n; i++) {
        uint64_t x = 1469598103934665603ULL;
        for (const char *p = c->recs[i].surname; *p; p++)
            x = (x ^ (unsigned char)*p) * 1099511628211ULL;
        x |= 1; /* 0 marks an empty slot */
        size_t k = (size_t)x & (cap - 1);
        while (h[k] && h[k] != x)
            k = (k + 1) & (cap - 1);
        if (!h[k]) {
            h[k] = x;
            distinct++;
        }
    }
    free(h);
    return distinct;
}

size_t bench_distinct_surnames(const bench_corpus *c)
{
    return distinct_surnames(c);
}

int bench_synthetic(bench_corpus *c, size_t n, uint64_t seed, kt_error *err)
{
    memset(c, 0, sizeof *c);
    c->script = "mix";
    kt_error_clear(err);
    name_lists l;
    int rc = load_lists(&c->arena, &l, err);
    if (rc)
        goto fail;
    bench_corpus cyr = {.script = "cyr"}, lat = {.script = "lat"};
    size_t cap_c = 0, cap_l = 0;
    cyr.arena = c->arena; /* share one arena: the strings outlive the halves */
    rc = add_generated_cyr(&cyr, &cap_c, NULL, &l, n / 2, seed ^ SEED_MIX);
    lat.arena = cyr.arena;
    if (rc == KT_OK)
        rc = add_generated_lat(&lat, &cap_l, NULL, &l, n - n / 2, seed ^ SEED_LAT);
    c->arena = lat.arena;
    if (rc == KT_OK) {
        c->recs = malloc(n * sizeof *c->recs);
        if (!c->recs)
            rc = KT_ERR_NOMEM;
    }
    if (rc == KT_OK) {
        for (size_t i = 0; i < n; i++) {
            /* alternate scripts, so neither half is contiguous */
            const bench_corpus *from = (i % 2 == 0 && i / 2 < cyr.n) ? &cyr : &lat;
            size_t at = from == &cyr ? i / 2 : i - (i + 1) / 2;
            if (from == &lat && at >= lat.n)
                at = lat.n - 1;
            c->recs[i] = from->recs[at];
            c->recs[i].id = (int64_t)i + 1;
        }
        c->n = n;
        c->generated = n;
        /* seven records in ten get a spliced surname (see splice); records
         * of one script sit at indices of one parity */
        uint64_t st = seed ^ 0x73706c696365ULL;
        for (size_t i = 0; i < n && rc == KT_OK; i++) {
            if (rand_below(&st, 10) >= 7)
                continue;
            size_t other = rand_below(&st, n / 2) * 2 + (i % 2);
            if (other >= n)
                continue;
            bench_rec *r = &c->recs[i];
            const char *s = splice(&c->arena, r->surname, c->recs[other].surname, &st);
            const char *name = s ? join_name(&c->arena, s, r->given, r->patronymic) : NULL;
            if (!s || !name) {
                rc = KT_ERR_NOMEM;
                break;
            }
            r->surname = s;
            r->name = name;
        }
    }
    free(cyr.recs);
    free(lat.recs);
    if (rc)
        goto fail;
    return KT_OK;
fail:
    if (rc == KT_ERR_NOMEM && !err->message[0])
        kt_error_set(err, "out of memory building the synthetic corpus");
    bench_corpus_free(c);
    return rc;
}

void bench_rec_to_store(const bench_rec *r, const char *source_key,
                        store_record *out)
{
    memset(out, 0, sizeof *out);
    out->id = r->id;
    out->source_key = source_key;
    out->surname = r->surname;
    out->given_names = r->given;
    out->patronymic = r->patronymic;
    out->father_name = r->father;
    out->name = r->name;
    out->birth_year = r->year;
    out->raw = r->name;
}
