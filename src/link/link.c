/*
 * link.c — the linkage of a set in memory: blocking, comparison of the
 * candidate pairs (in parallel), EM, decisions, one-to-one assignment and
 * clustering into persons.
 *
 * Guarantees:
 *  - deterministic: the same records and decisions give the same pairs,
 *    weights and clusters (threads split the work, never the order of the
 *    results);
 *  - a human reject is never overruled: two records a person said are two
 *    men never end in one cluster; a human accept joins them unless it
 *    contradicts a reject;
 *  - kept links (by hand or shipped) are never broken by the computation;
 *  - a cluster holds at most one record of each list, unless a person or a
 *    kept link said otherwise.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "link/block.h"
#include "link/set.h"
#include "link/weights.h"

void link_options_default(link_options *o)
{
    o->link_p = 0.5;
    o->review_p = 0.02;
    o->threads = 1;
    o->one_to_one = 1;
}

void link_result_free(link_result *r)
{
    free(r->pairs);
    free(r->cluster);
    memset(r, 0, sizeof *r);
}

/* ---- comparing the candidates -------------------------------------------- */

typedef struct compare_job {
    const link_set *s;
    const uint64_t *pairs;
    uint32_t *pattern;
    size_t from, to;
    uint64_t *hist;
} compare_job;

static void *compare_slice(void *arg)
{
    compare_job *j = arg;
    for (size_t i = j->from; i < j->to; i++) {
        uint8_t level[LINK_NFIELDS];
        link_compare(j->s, (uint32_t)(j->pairs[i] >> 32), (uint32_t)j->pairs[i], level);
        j->pattern[i] = link_pattern(level);
        j->hist[j->pattern[i]]++;
    }
    return NULL;
}

static int compare_all(const link_set *s, const uint64_t *pairs, size_t n, int threads,
                       uint32_t *pattern, uint64_t *hist)
{
    uint32_t npat = link_pattern_count();
    if (threads > 16)
        threads = 16;
    compare_job job[16];
    pthread_t tid[16];
    int started[16] = {0};
    for (int t = 0; t < threads; t++) {
        job[t] = (compare_job){s, pairs, pattern, n * (size_t)t / (size_t)threads,
                               n * (size_t)(t + 1) / (size_t)threads,
                               calloc(npat, sizeof(uint64_t))};
        if (!job[t].hist) {
            for (int k = 0; k < t; k++)
                free(job[k].hist);
            return -1;
        }
    }
    for (int t = 0; t < threads - 1; t++)
        started[t] = pthread_create(&tid[t], NULL, compare_slice, &job[t]) == 0;
    for (int t = 0; t < threads; t++)
        if (!started[t])
            compare_slice(&job[t]);
    for (int t = 0; t < threads; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        for (uint32_t p = 0; p < npat; p++)
            hist[p] += job[t].hist[p];
        free(job[t].hist);
    }
    return 0;
}

/* ---- clustering ------------------------------------------------------------ */

typedef struct clusters {
    uint32_t *parent;
    uint64_t *mask;      /* lists present in the cluster (bit source % 64) */
    /* rejects: for each record with one, its partners (sorted by record) */
    uint64_t *reject;    /* (a << 32 | b) both ways, sorted */
    size_t nreject;
} clusters;

static uint32_t find(clusters *c, uint32_t i)
{
    while (c->parent[i] != i) {
        c->parent[i] = c->parent[c->parent[i]];
        i = c->parent[i];
    }
    return i;
}

/* 1 when a rejected pair would end inside the merge of roots ra and rb.
 * Rejects are few: each is checked against the two roots. */
static int crosses_reject(clusters *c, uint32_t ra, uint32_t rb)
{
    for (size_t k = 0; k < c->nreject; k++) {
        uint32_t x = find(c, (uint32_t)(c->reject[k] >> 32));
        uint32_t y = find(c, (uint32_t)c->reject[k]);
        if ((x == ra && y == rb) || (x == rb && y == ra))
            return 1;
    }
    return 0;
}

/* Joins the clusters of a and b; with `strict`, only when they share no
 * list. Returns 1 when joined (or already one), 0 when refused. */
static int join(clusters *c, uint32_t a, uint32_t b, int strict)
{
    uint32_t ra = find(c, a), rb = find(c, b);
    if (ra == rb)
        return 1;
    if (strict && (c->mask[ra] & c->mask[rb]))
        return 0;
    if (c->nreject && crosses_reject(c, ra, rb))
        return 0;
    if (rb < ra) {
        uint32_t t = ra;
        ra = rb;
        rb = t;
    }
    c->parent[rb] = ra;
    c->mask[ra] |= c->mask[rb];
    return 1;
}

static int beyond_name(const uint8_t *level)
{
    return level[LINK_F_YEAR] == 0 || level[LINK_F_YEAR] == 1 || level[LINK_F_FATHER] == 0 ||
           level[LINK_F_DATE] == 0;
}

static int cmp_kept(const void *x, const void *y)
{
    const struct { int64_t person; uint32_t i; } *a = x, *b = y;
    if (a->person != b->person)
        return a->person < b->person ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static int cmp_pair_weight(const void *x, const void *y)
{
    const link_pair *a = x, *b = y;
    if (a->weight != b->weight)
        return a->weight > b->weight ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static int cmp_pair_records(const void *x, const void *y)
{
    const link_pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

/* Applies decisions, one-to-one and clustering to the pairs (sorted by
 * weight, best first); fills r->cluster. */
static int cluster_pairs(const link_set *s, const link_options *o, const link_decision *dec,
                         size_t ndec, link_result *r)
{
    clusters c = {0};
    c.parent = malloc((s->n + 1) * sizeof *c.parent);
    c.mask = malloc((s->n + 1) * sizeof *c.mask);
    uint64_t *taken = calloc(s->n + 1, sizeof *taken); /* lists linked to, per record */
    c.reject = malloc((ndec + 1) * sizeof *c.reject);
    if (!c.parent || !c.mask || !taken || !c.reject) {
        free(c.parent);
        free(c.mask);
        free(taken);
        free(c.reject);
        return -1;
    }
    for (uint32_t i = 0; i < s->n; i++) {
        c.parent[i] = i;
        c.mask[i] = 1ull << (s->rec[i].source % 64);
    }
    for (size_t k = 0; k < ndec; k++)
        if (!dec[k].accept)
            c.reject[c.nreject++] = (uint64_t)dec[k].a << 32 | dec[k].b;
    /* 1. what people decided, then the kept links: persons of fixed records */
    for (size_t k = 0; k < ndec; k++)
        if (dec[k].accept)
            join(&c, dec[k].a, dec[k].b, 0);
    {
        /* records of one kept person join: sorted by person, neighbours */
        typedef struct { int64_t person; uint32_t i; } kept;
        kept *byp = malloc((s->n + 1) * sizeof *byp);
        size_t nb = 0;
        if (!byp) {
            free(c.parent);
            free(c.mask);
            free(taken);
            free(c.reject);
            return -1;
        }
        for (uint32_t i = 0; i < s->n; i++)
            if (s->rec[i].fixed && s->rec[i].person_id)
                byp[nb++] = (kept){s->rec[i].person_id, i};
        qsort(byp, nb, sizeof *byp, cmp_kept);
        for (size_t x = 1; x < nb; x++)
            if (byp[x].person == byp[x - 1].person)
                join(&c, byp[x - 1].i, byp[x].i, 0);
        free(byp);
    }
    /* 2. the computed links, best first, one-to-one and one record a list */
    for (size_t k = 0; k < r->npairs; k++) {
        link_pair *p = &r->pairs[k];
        if (p->status != LINK_PAIR_LINK)
            continue;
        uint64_t ba = 1ull << (s->rec[p->a].source % 64), bb = 1ull << (s->rec[p->b].source % 64);
        /* a person kept by hand or shipped takes a record automatically
         * only on more than the name: a year, a father or a date that agree
         * (a namesake of a known man goes to review instead) */
        if ((s->rec[p->a].fixed || s->rec[p->b].fixed) && !beyond_name(p->level)) {
            p->status = LINK_PAIR_REFUSED;
            continue;
        }
        int same = find(&c, p->a) == find(&c, p->b);
        if (!same && o->one_to_one && ((taken[p->a] & bb) || (taken[p->b] & ba))) {
            p->status = LINK_PAIR_REFUSED;
            continue;
        }
        if (!join(&c, p->a, p->b, 1)) {
            p->status = LINK_PAIR_REFUSED;
            continue;
        }
        taken[p->a] |= bb;
        taken[p->b] |= ba;
    }
    for (uint32_t i = 0; i < s->n; i++)
        r->cluster[i] = find(&c, i); /* the root is the cluster's smallest index */
    size_t *size = calloc(s->n + 1, sizeof *size);
    if (size) {
        for (uint32_t i = 0; i < s->n; i++)
            size[r->cluster[i]]++;
        for (uint32_t i = 0; i < s->n; i++)
            r->nlinked += size[r->cluster[i]] > 1;
        free(size);
    }
    free(c.parent);
    free(c.mask);
    free(taken);
    free(c.reject);
    return size ? 0 : -1;
}

/* ---- the whole ------------------------------------------------------------------ */

int link_compute(link_set *s, const link_options *o, const link_decision *dec,
                 size_t ndec, link_result *out, kt_error *err)
{
    memset(out, 0, sizeof *out);
    link_options def;
    if (!o) {
        link_options_default(&def);
        o = &def;
    }
    int threads = o->threads < 1 ? 1 : o->threads;
    uint64_t *cand = NULL;
    size_t ncand = 0;
    if (link_block(s, threads, &cand, &ncand) != 0)
        goto oom;
    out->compared = ncand;
    uint32_t npat = link_pattern_count();
    uint32_t *pattern = malloc((ncand + 1) * sizeof *pattern);
    uint64_t *hist = calloc(npat, sizeof *hist);
    if (!pattern || !hist || compare_all(s, cand, ncand, threads, pattern, hist) != 0) {
        free(pattern);
        free(hist);
        free(cand);
        goto oom;
    }
    link_model_fit(&out->model, hist);
    free(hist);
    /* the tf baseline: the expected frequency of an exactly agreeing name */
    {
        double s2 = 0, s3 = 0;
        for (size_t k = 0; k < s->ntf; k++) {
            double p = (double)s->tf_count[k] / (double)s->n;
            s2 += p * p;
            s3 += p * p * p;
        }
        out->model.tf_mean = s2 > 0 ? s3 / s2 : 0;
    }
    /* keep the pairs worth showing; decisions add theirs */
    size_t cap = 1024, n = 0;
    link_pair *pairs = malloc(cap * sizeof *pairs);
    if (!pairs) {
        free(pattern);
        free(cand);
        goto oom;
    }
    for (size_t i = 0; i < ncand; i++) {
        link_pair p = {0};
        p.a = (uint32_t)(cand[i] >> 32);
        p.b = (uint32_t)cand[i];
        link_pattern_decode(pattern[i], p.level);
        double w = link_weight(s, &out->model, p.a, p.b, p.level);
        double pr = link_probability(&out->model, w);
        if (pr < o->review_p)
            continue;
        p.weight = (float)w;
        p.p = (float)pr;
        p.status = pr >= o->link_p ? LINK_PAIR_LINK : LINK_PAIR_REVIEW;
        if (n == cap) {
            cap *= 2;
            link_pair *grown = realloc(pairs, cap * sizeof *grown);
            if (!grown) {
                free(pairs);
                free(pattern);
                free(cand);
                goto oom;
            }
            pairs = grown;
        }
        pairs[n++] = p;
    }
    free(pattern);
    free(cand);
    /* a decided pair is what the person said, whatever it weighs (the
     * candidates came sorted by records; decided ones are appended) */
    size_t sorted = n;
    for (size_t k = 0; k < ndec; k++) {
        uint32_t a = dec[k].a < dec[k].b ? dec[k].a : dec[k].b;
        uint32_t b = dec[k].a < dec[k].b ? dec[k].b : dec[k].a;
        link_pair key = {.a = a, .b = b};
        link_pair *hit = bsearch(&key, pairs, sorted, sizeof *pairs, cmp_pair_records);
        for (size_t x = sorted; !hit && x < n; x++)
            if (pairs[x].a == a && pairs[x].b == b)
                hit = &pairs[x];
        if (!hit) {
            if (n == cap) {
                cap *= 2;
                link_pair *grown = realloc(pairs, cap * sizeof *grown);
                if (!grown) {
                    free(pairs);
                    goto oom;
                }
                pairs = grown;
            }
            hit = &pairs[n++];
            *hit = key;
            link_compare(s, a, b, hit->level);
            hit->weight = (float)link_weight(s, &out->model, a, b, hit->level);
            hit->p = (float)link_probability(&out->model, hit->weight);
        }
        hit->status = dec[k].accept ? LINK_PAIR_LINK : LINK_PAIR_NONLINK;
    }
    qsort(pairs, n, sizeof *pairs, cmp_pair_weight);
    out->pairs = pairs;
    out->npairs = n;
    out->cluster = malloc((s->n + 1) * sizeof *out->cluster);
    if (!out->cluster || cluster_pairs(s, o, dec, ndec, out) != 0) {
        link_result_free(out);
        goto oom;
    }
    return KT_OK;
oom:
    kt_error_set(err, "out of memory linking %zu records", s->n);
    return KT_ERR_NOMEM;
}
