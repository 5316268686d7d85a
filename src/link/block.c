/*
 * block.c — candidate pairs: records of different lists that share a
 * surname key with birth years close enough.
 *
 * Each record gives the keys of every reading of its surname (and of each
 * part of a double surname): the skeleton and its one-class deletions
 * (names_keys), so a dropped, added or changed letter still meets. The
 * (key, year) entries are radix-sorted; within a key the records whose
 * years lie within LINK_YEAR_WINDOW (or are unknown) pair up. A key shared
 * by very many records (a deletion of a common name) pairs only where one
 * side has it as its whole skeleton, which bounds the work without losing
 * the pairs a real letter difference makes. Two records meet under many
 * keys; the pairs are sorted and made distinct at the end.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "link/block.h"

/* Entries of a key beyond which deletion keys alone do not pair. */
#define CROWDED 256
/* Partners tried for a record of unknown year in one key. */
#define UNKNOWN_YEAR_REACH 1000

typedef struct entry {
    uint64_t key;
    uint32_t rec;
    uint16_t year;
    uint8_t full;   /* the key is the record's whole skeleton */
    uint8_t pad;
} entry;

int link_sort_u64(uint64_t *v, size_t n)
{
    uint64_t *tmp = malloc((n + 1) * sizeof *tmp);
    size_t *count = malloc(65536 * sizeof *count);
    if (!tmp || !count) {
        free(tmp);
        free(count);
        return -1;
    }
    uint64_t *src = v, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xffff]++;
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xffff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    /* four passes: the sorted numbers are back in v */
    free(tmp);
    free(count);
    return 0;
}

/* Sorts entries by key, then year (LSD radix: year first, then the key's
 * four 16-bit digits; each pass is stable). */
static int sort_entries(entry *v, size_t n)
{
    entry *tmp = malloc((n + 1) * sizeof *tmp);
    size_t *count = malloc(65536 * sizeof *count);
    if (!tmp || !count) {
        free(tmp);
        free(count);
        return -1;
    }
    entry *src = v, *dst = tmp;
    for (int pass = 0; pass < 5; pass++) {
        memset(count, 0, 65536 * sizeof *count);
#define DIGIT(e) (pass == 0 ? (e).year : (size_t)(((e).key >> (16 * (pass - 1))) & 0xffff))
        for (size_t i = 0; i < n; i++)
            count[DIGIT(src[i])]++;
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[DIGIT(src[i])]++] = src[i];
#undef DIGIT
        entry *t = src;
        src = dst;
        dst = t;
    }
    /* five passes: the result is in tmp */
    memcpy(v, src, n * sizeof *v);
    free(tmp);
    free(count);
    return 0;
}

/* The keys of one surname word, appended to out (at most cap). */
static size_t word_keys(const names_word *w, entry *out, size_t cap, uint32_t rec,
                        uint16_t year)
{
    size_t n = 0;
    for (int r = 0; r < w->nread; r++) {
        char sk[NAMES_SKELETON_MAX + 1];
        int sl = names_skeleton(w->read[r].ph, w->read[r].len, sk, sizeof sk);
        if (sl <= 0)
            continue;
        uint64_t k[NAMES_KEYS_MAX];
        int nk = names_keys(sk, (size_t)sl, k);
        for (int i = 0; i < nk && n < cap; i++)
            out[n++] = (entry){k[i], rec, year, (uint8_t)(i == 0), 0};
    }
    return n;
}

static int cmp_entry_key(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (int)y->full - (int)x->full; /* the whole skeleton wins */
}

/* All distinct keys of record i. */
static size_t record_keys(const link_set *s, uint32_t i, entry *out, size_t cap)
{
    const link_feat *f = &s->rec[i];
    uint16_t year = f->year > 0 ? (uint16_t)f->year : 0;
    size_t n = word_keys(&f->surname, out, cap, i, year);
    for (int p = 0; p < f->nparts; p++)
        n += word_keys(&s->parts[f->part + p], out + n, cap - n, i, year);
    qsort(out, n, sizeof *out, cmp_entry_key);
    size_t k = 0;
    for (size_t j = 0; j < n; j++)
        if (k == 0 || out[k - 1].key != out[j].key)
            out[k++] = out[j];
    return k;
}

typedef struct pairs_out {
    uint64_t *v;
    size_t n, cap;
    int oom;
} pairs_out;

static void pair_add(pairs_out *o, uint32_t a, uint32_t b)
{
    if (o->n == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 1 << 16;
        uint64_t *v = realloc(o->v, cap * sizeof *v);
        if (!v) {
            o->oom = 1;
            return;
        }
        o->v = v;
        o->cap = cap;
    }
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    o->v[o->n++] = (uint64_t)a << 32 | b;
}

typedef struct block_job {
    const link_set *s;
    const entry *e;
    size_t from, to;     /* entries, on key boundaries */
    pairs_out out;
} block_job;

static int fathers_meet(const link_feat *a, const link_feat *b)
{
    for (int i = 0; i < a->father_ncls; i++)
        for (int j = 0; j < b->father_ncls; j++)
            if (a->father_cls[i] == b->father_cls[j])
                return 1;
    return 0;
}

/* Two given names that may be one: a first letter in common among their
 * forms (Jan, Ян, Иван and J. all can be one). */
static int given_may_meet(const link_feat *a, const link_feat *b)
{
    return !a->given_initials || !b->given_initials ||
           (a->given_initials & b->given_initials) != 0;
}

static int may_pair(const link_set *s, const entry *x, const entry *y)
{
    const link_feat *a = &s->rec[x->rec], *b = &s->rec[y->rec];
    if (a->source == b->source)
        return 0;
    if (a->fixed && b->fixed && a->person_id && a->person_id == b->person_id)
        return 0;
    /* given names that cannot be one name (no form of one starts as a form
     * of the other does) make two men, unless the fathers agree (a given
     * name Russified past recognition); a missing one says nothing */
    if (a->has_given && b->has_given && !given_may_meet(a, b) && !fathers_meet(a, b))
        return 0;
    return 1;
}

static void block_group(block_job *j, size_t g0, size_t g1)
{
    const entry *e = j->e;
    int crowded = g1 - g0 > CROWDED;
    for (size_t i = g0; i < g1 && !j->out.oom; i++) {
        size_t reach = 0;
        for (size_t k = i + 1; k < g1; k++) {
            if (e[i].year && e[k].year > e[i].year + LINK_YEAR_WINDOW)
                break;
            if (!e[i].year && ++reach > UNKNOWN_YEAR_REACH)
                break;
            if (crowded && !e[i].full && !e[k].full)
                continue;
            if (may_pair(j->s, &e[i], &e[k]))
                pair_add(&j->out, e[i].rec, e[k].rec);
        }
    }
}

static void *block_slice(void *arg)
{
    block_job *j = arg;
    size_t g0 = j->from;
    while (g0 < j->to) {
        size_t g1 = g0 + 1;
        while (g1 < j->to && j->e[g1].key == j->e[g0].key)
            g1++;
        block_group(j, g0, g1);
        g0 = g1;
    }
    return NULL;
}

int link_block(const link_set *s, int threads, uint64_t **pairs, size_t *npairs)
{
    *pairs = NULL;
    *npairs = 0;
    size_t cap = 0, n = 0;
    entry *e = NULL;
    entry scratch[4 * (NAMES_KEYS_MAX * NAMES_READINGS_MAX)];
    for (uint32_t i = 0; i < s->n; i++) {
        size_t k = record_keys(s, i, scratch, sizeof scratch / sizeof scratch[0]);
        if (n + k > cap) {
            cap = cap ? 2 * cap : 1 << 16;
            while (cap < n + k)
                cap *= 2;
            entry *grown = realloc(e, cap * sizeof *e);
            if (!grown) {
                free(e);
                return -1;
            }
            e = grown;
        }
        if (k)
            memcpy(e + n, scratch, k * sizeof *e);
        n += k;
    }
    if (n > 0 && sort_entries(e, n) != 0) {
        free(e);
        return -1;
    }
    if (threads < 1)
        threads = 1;
    if (threads > 16)
        threads = 16;
    block_job job[16];
    pthread_t tid[16];
    int started[16] = {0};
    size_t from = 0;
    for (int t = 0; t < threads; t++) {
        size_t to = t == threads - 1 ? n : n * (size_t)(t + 1) / (size_t)threads;
        while (to < n && to > 0 && e[to].key == e[to - 1].key)
            to++;
        if (to < from)
            to = from;
        job[t] = (block_job){.s = s, .e = e, .from = from, .to = to};
        from = to;
    }
    for (int t = 0; t < threads - 1; t++)
        started[t] = pthread_create(&tid[t], NULL, block_slice, &job[t]) == 0;
    for (int t = 0; t < threads; t++)
        if (!started[t])
            block_slice(&job[t]);
    size_t total = 0;
    int oom = 0;
    for (int t = 0; t < threads; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        total += job[t].out.n;
        oom |= job[t].out.oom;
    }
    free(e);
    uint64_t *all = oom ? NULL : malloc((total + 1) * sizeof *all);
    size_t at = 0;
    for (int t = 0; t < threads; t++) {
        if (all && job[t].out.n)
            memcpy(all + at, job[t].out.v, job[t].out.n * sizeof *all);
        at += job[t].out.n;
        free(job[t].out.v);
    }
    if (!all || link_sort_u64(all, total) != 0) {
        free(all);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < total; i++)
        if (k == 0 || all[k - 1] != all[i])
            all[k++] = all[i];
    *pairs = all;
    *npairs = k;
    return 0;
}
