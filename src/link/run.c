/*
 * run.c — the linkage run on the store: reads the records, their links and
 * the human decisions, links them in memory (link.c), and writes persons in
 * one transaction; and a human decision applied at once.
 *
 * Guarantees:
 *  - persons keep their ids: a cluster takes the person most of its records
 *    already belong to (ties: the older person); only a cluster with no
 *    person gets a new one;
 *  - a link made by hand or shipped (method review or bundled) stays with
 *    its person unless a human decision moves it;
 *  - a link is written only when it changes, so a second run on unchanged
 *    data writes nothing and leaves no run to undo;
 *  - every change goes through store_run_* (a snapshot first), so undo
 *    restores the persons exactly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link/link.h"
#include "link/set.h"
#include "store/persons.h"

#define REVIEW_MAX 20000   /* doubtful pairs kept for review */
#define WHY_MAX 1536

/* A record as read, with its current link. */
typedef struct run_rec {
    int64_t id;
    int source;
    int64_t person;
    char method[8];      /* "" = not linked */
    double weight;
    char *by, *why;
    char *surname, *given, *patronymic, *father, *whole, *date, *place, *rank, *camp;
    char *label_src;     /* source key, for explanations */
    char *record_key;
    int year;
} run_rec;

typedef struct reader {
    run_rec *v;
    size_t n, cap;
    const char *source_key;
    int source;
    int oom;
} reader;

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

static int read_record(void *ctx, const store_record *r)
{
    reader *rd = ctx;
    if (rd->n == rd->cap) {
        size_t cap = rd->cap ? 2 * rd->cap : 1024;
        run_rec *v = realloc(rd->v, cap * sizeof *v);
        if (!v)
            return KT_ERR_NOMEM;
        rd->v = v;
        rd->cap = cap;
    }
    run_rec *x = &rd->v[rd->n++];
    memset(x, 0, sizeof *x);
    x->id = r->id;
    x->source = rd->source;
    x->person = r->person_id;
    x->year = r->birth_year;
    x->surname = dup_or_null(r->surname);
    x->given = dup_or_null(r->given_names);
    x->patronymic = dup_or_null(r->patronymic);
    x->father = dup_or_null(r->father_name);
    x->whole = dup_or_null(r->name);
    x->date = dup_or_null(r->birth_date);
    x->place = dup_or_null(r->birth_place);
    x->rank = dup_or_null(r->rank);
    x->camp = dup_or_null(r->camp);
    x->record_key = dup_or_null(r->record_key);
    x->label_src = dup_or_null(r->source_key);
    return 0;
}

static void free_recs(run_rec *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        run_rec *x = &v[i];
        free(x->by);
        free(x->why);
        free(x->surname);
        free(x->given);
        free(x->patronymic);
        free(x->father);
        free(x->whole);
        free(x->date);
        free(x->place);
        free(x->rank);
        free(x->camp);
        free(x->record_key);
        free(x->label_src);
    }
    free(v);
}

static int cmp_rec_id(const void *a, const void *b)
{
    const run_rec *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static run_rec *rec_by_id(run_rec *v, size_t n, int64_t id)
{
    run_rec key = {.id = id};
    return bsearch(&key, v, n, sizeof *v, cmp_rec_id);
}

/* The current links of the records read (method, weight, by, why). */
static int read_links(store *st, run_rec *v, size_t n, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), "SELECT record_id, method, weight, by, why"
                           " FROM person_record", -1, &s, NULL) != SQLITE_OK) {
        kt_error_set(err, "reading links: %s", sqlite3_errmsg(store_db(st)));
        return KT_ERR;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
        run_rec *x = rec_by_id(v, n, sqlite3_column_int64(s, 0));
        if (!x)
            continue;
        snprintf(x->method, sizeof x->method, "%s", sqlite3_column_text(s, 1));
        x->weight = sqlite3_column_double(s, 2);
        x->by = dup_or_null((const char *)sqlite3_column_text(s, 3));
        x->why = dup_or_null((const char *)sqlite3_column_text(s, 4));
    }
    sqlite3_finalize(s);
    return KT_OK;
}

static int is_fixed(const run_rec *x)
{
    return !strcmp(x->method, "bundled") || !strcmp(x->method, "review");
}

/* Decisions on records of the run, by index. */
typedef struct decisions {
    link_decision *v;
    store_decision *src;  /* by, why copied */
    size_t n, cap;
    run_rec *recs;
    size_t nrecs;
    int oom;
} decisions;

static int read_decision(void *ctx, const store_decision *d)
{
    decisions *ds = ctx;
    run_rec *a = rec_by_id(ds->recs, ds->nrecs, d->record_a);
    run_rec *b = rec_by_id(ds->recs, ds->nrecs, d->record_b);
    if (!a || !b)
        return 0; /* a record outside the run */
    if (ds->n == ds->cap) {
        size_t cap = ds->cap ? 2 * ds->cap : 64;
        link_decision *v = realloc(ds->v, cap * sizeof *v);
        if (!v)
            return KT_ERR_NOMEM;
        ds->v = v;
        store_decision *src = realloc(ds->src, cap * sizeof *src);
        if (!src)
            return KT_ERR_NOMEM;
        ds->src = src;
        ds->cap = cap;
    }
    ds->v[ds->n] = (link_decision){(uint32_t)(a - ds->recs), (uint32_t)(b - ds->recs),
                                   !strcmp(d->decision, "accept")};
    ds->src[ds->n] = (store_decision){d->record_a, d->record_b, NULL,
                                      dup_or_null(d->by), dup_or_null(d->why), NULL};
    ds->n++;
    return 0;
}

static void free_decisions(decisions *ds)
{
    for (size_t i = 0; i < ds->n; i++) {
        free((char *)ds->src[i].by);
        free((char *)ds->src[i].why);
    }
    free(ds->v);
    free(ds->src);
}

/* The person each cluster becomes. */
typedef struct claim {
    uint32_t cluster;
    int64_t person;
    uint32_t count;
} claim;

static int cmp_claim(const void *a, const void *b)
{
    const claim *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    return x->cluster < y->cluster ? -1 : x->cluster > y->cluster;
}

static int cmp_claim_key(const void *a, const void *b)
{
    const claim *x = a, *y = b;
    if (x->cluster != y->cluster)
        return x->cluster < y->cluster ? -1 : 1;
    return x->person < y->person ? -1 : x->person > y->person;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void label_of(const run_rec *x, char *out, size_t cap)
{
    const char *s = x->surname ? x->surname : x->whole ? x->whole : "";
    snprintf(out, cap, "%s%s%s", s, x->given && x->surname ? " " : "",
             x->given && x->surname ? x->given : "");
}

int link_store_run(store *st, const char *const *sources, int nsources,
                   const char *by, link_report *rep, kt_error *err)
{
    memset(rep, 0, sizeof *rep);
    reader rd = {0};
    int rc = KT_OK;
    /* 1. the records, each list numbered */
    if (nsources > 0) {
        for (int i = 0; i < nsources && rc == KT_OK; i++) {
            rd.source = i;
            rc = store_records_each(st, sources[i], read_record, &rd, err);
        }
    } else {
        /* every source, numbered in key order */
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(store_db(st), "SELECT key FROM source ORDER BY id", -1, &s,
                               NULL) != SQLITE_OK) {
            kt_error_set(err, "reading sources: %s", sqlite3_errmsg(store_db(st)));
            return KT_ERR;
        }
        char **keys = NULL;
        size_t nk = 0;
        while (sqlite3_step(s) == SQLITE_ROW) {
            char **grown = realloc(keys, (nk + 1) * sizeof *keys);
            if (!grown)
                break;
            keys = grown;
            keys[nk++] = strdup((const char *)sqlite3_column_text(s, 0));
        }
        sqlite3_finalize(s);
        for (size_t i = 0; i < nk && rc == KT_OK; i++) {
            rd.source = (int)i;
            if (keys[i])
                rc = store_records_each(st, keys[i], read_record, &rd, err);
        }
        for (size_t i = 0; i < nk; i++)
            free(keys[i]);
        free(keys);
    }
    if (rc != KT_OK) {
        free_recs(rd.v, rd.n);
        if (rc == KT_ERR_NOMEM)
            kt_error_set(err, "out of memory reading records");
        return rc;
    }
    size_t n = rd.n;
    run_rec *v = rd.v;
    qsort(v, n, sizeof *v, cmp_rec_id);
    rep->records = (int64_t)n;
    decisions ds = {.recs = v, .nrecs = n};
    link_input *in = calloc(n + 1, sizeof *in);
    link_set *set = NULL;
    link_result res = {0};
    if (!in || read_links(st, v, n, err) != KT_OK ||
        store_decisions_each(st, read_decision, &ds, err) != KT_OK) {
        rc = in ? KT_ERR : KT_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        run_rec *x = &v[i];
        in[i] = (link_input){.id = x->id, .source = x->source % 256, .person_id = x->person,
                             .fixed = is_fixed(x), .surname = x->surname, .given = x->given,
                             .patronymic = x->patronymic, .father = x->father,
                             .whole = x->whole, .birth_year = x->year,
                             .birth_date = x->date, .birth_place = x->place,
                             .rank = x->rank, .camp = x->camp};
    }
    set = link_set_build(in, n, 2);
    free(in);
    in = NULL;
    link_options opt;
    link_options_default(&opt);
    opt.threads = 2;
    if (!set) {
        rc = KT_ERR_NOMEM;
        goto done;
    }
    if ((rc = link_compute(set, &opt, ds.v, ds.n, &res, err)) != KT_OK)
        goto done;
    rep->compared = res.compared;
    rep->model = res.model;

    /* 2. each cluster's person: the one most of its records have */
    size_t nclaim = 0;
    claim *claims = malloc((n + 1) * sizeof *claims);
    int64_t *person_of = calloc(n + 1, sizeof *person_of); /* per cluster root */
    uint32_t *size = calloc(n + 1, sizeof *size);
    if (!claims || !person_of || !size) {
        free(claims);
        free(person_of);
        free(size);
        rc = KT_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        size[res.cluster[i]]++;
    for (size_t i = 0; i < n; i++)
        if (size[res.cluster[i]] > 1 && v[i].person)
            claims[nclaim++] = (claim){res.cluster[i], v[i].person, 1};
    qsort(claims, nclaim, sizeof *claims, cmp_claim_key);
    size_t k = 0;
    for (size_t i = 0; i < nclaim; i++) {
        if (k && claims[k - 1].cluster == claims[i].cluster &&
            claims[k - 1].person == claims[i].person)
            claims[k - 1].count++;
        else
            claims[k++] = claims[i];
    }
    nclaim = k;
    qsort(claims, nclaim, sizeof *claims, cmp_claim);
    int64_t *taken = malloc((nclaim + 1) * sizeof *taken);
    size_t ntaken = 0;
    if (!taken) {
        free(claims);
        free(person_of);
        free(size);
        rc = KT_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < nclaim; i++) {
        /* taken is small next to the claims; kept sorted for the search */
        if (person_of[claims[i].cluster] ||
            bsearch(&claims[i].person, taken, ntaken, sizeof *taken, cmp_i64))
            continue;
        person_of[claims[i].cluster] = claims[i].person;
        size_t at = ntaken++;
        while (at > 0 && taken[at - 1] > claims[i].person) {
            taken[at] = taken[at - 1];
            at--;
        }
        taken[at] = claims[i].person;
    }
    free(claims);

    /* the best link of each record inside its cluster, for its why */
    uint32_t *best = malloc((n + 1) * sizeof *best);
    float *best_w = malloc((n + 1) * sizeof *best_w);
    if (!best || !best_w) {
        free(best);
        free(best_w);
        free(taken);
        free(person_of);
        free(size);
        rc = KT_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        best[i] = UINT32_MAX;
    for (size_t p = 0; p < res.npairs; p++) {
        link_pair *lp = &res.pairs[p];
        if (lp->status != LINK_PAIR_LINK || res.cluster[lp->a] != res.cluster[lp->b])
            continue;
        rep->links++;
        if (best[lp->a] == UINT32_MAX || lp->weight > best_w[lp->a]) {
            best[lp->a] = lp->b;
            best_w[lp->a] = lp->weight;
        }
        if (best[lp->b] == UINT32_MAX || lp->weight > best_w[lp->b]) {
            best[lp->b] = lp->a;
            best_w[lp->b] = lp->weight;
        }
    }

    /* 3. write what changed */
    int64_t run_id = 0;
    char *why = malloc(WHY_MAX), *expl = malloc(WHY_MAX);
    if (!why || !expl)
        rc = KT_ERR_NOMEM;
    if (rc == KT_OK)
        rc = store_begin(st, err);
    int began = rc == KT_OK;
    if (rc == KT_OK)
        rc = store_run_begin(st, "link", by, NULL, 0, 0, &run_id, err);
    for (size_t i = 0; i < n && rc == KT_OK; i++) {
        run_rec *x = &v[i];
        uint32_t c = res.cluster[i];
        if (size[c] < 2) {
            /* alone: an automatic link goes; a kept one stays unless its
             * person went to another cluster (a reject took it out) */
            int gone = x->person &&
                       bsearch(&x->person, taken, ntaken, sizeof *taken, cmp_i64);
            if (x->method[0] && (!is_fixed(x) || gone))
                rc = store_run_unlink(st, run_id, x->id, err);
            continue;
        }
        if (!person_of[c]) {
            char label[256];
            label_of(&v[c], label, sizeof label);
            rc = store_run_person_add(st, run_id, label, &person_of[c], err);
            rep->persons_new++;
            if (rc != KT_OK)
                break;
        }
        int64_t p = person_of[c];
        if (is_fixed(x)) {
            if (x->person != p)
                rc = store_run_link(st, run_id, p, x->id, x->method, x->weight, x->by,
                                    x->why, err);
            rep->changed += x->person != p;
            continue;
        }
        /* an automatic link: its best pair, or a human accept */
        const char *method = "auto", *who = by;
        double weight = 0;
        why[0] = '\0';
        for (size_t d = 0; d < ds.n; d++)
            if (ds.v[d].accept && (ds.v[d].a == i || ds.v[d].b == i) &&
                res.cluster[ds.v[d].a] == res.cluster[ds.v[d].b]) {
                method = "review";
                who = ds.src[d].by;
                snprintf(why, WHY_MAX, "%s", ds.src[d].why ? ds.src[d].why : "accepted");
                break;
            }
        if (!strcmp(method, "auto") && best[i] != UINT32_MAX) {
            const run_rec *o = &v[best[i]];
            link_explain(set, &res.model, (uint32_t)i, best[i], expl, WHY_MAX);
            snprintf(why, WHY_MAX, "with record %lld (%s %s):\n%s", (long long)o->id,
                     o->label_src ? o->label_src : "", o->record_key ? o->record_key : "",
                     expl);
            weight = (double)(int64_t)(best_w[i] * 100 + (best_w[i] >= 0 ? 0.5 : -0.5)) / 100;
        } else if (!strcmp(method, "auto")) {
            snprintf(why, WHY_MAX, "joined through the other records of the person");
        }
        int same = x->person == p && !strcmp(x->method, method) && x->weight == weight &&
                   !strcmp(x->why ? x->why : "", why) &&
                   !strcmp(x->by ? x->by : "", who ? who : "");
        if (!same) {
            rc = store_run_link(st, run_id, p, x->id, method, weight, who, why, err);
            rep->changed++;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (size[res.cluster[i]] > 1 && (size_t)res.cluster[i] == i)
            rep->persons_kept++;
    rep->persons_kept -= rep->persons_new;
    /* the doubtful pairs, best first, in place of the last run's */
    if (rc == KT_OK)
        rc = store_pairs_clear(st, err);
    for (size_t p = 0; p < res.npairs && rc == KT_OK && rep->review < REVIEW_MAX; p++) {
        link_pair *lp = &res.pairs[p];
        if (lp->status == LINK_PAIR_LINK || lp->status == LINK_PAIR_NONLINK ||
            res.cluster[lp->a] == res.cluster[lp->b])
            continue;
        link_explain(set, &res.model, lp->a, lp->b, expl, WHY_MAX);
        store_pair sp = {v[lp->a].id, v[lp->b].id, lp->weight, expl};
        rc = store_pair_add(st, &sp, err);
        rep->review++;
    }
    if (rc == KT_OK)
        rc = store_run_prune(st, run_id, err);
    if (rc == KT_OK && store_run_changes(st, run_id) == 0) {
        rc = store_run_drop_if_empty(st, run_id, err);
        run_id = 0;
    }
    if (rc == KT_OK && run_id) {
        char obj[32], detail[200];
        snprintf(obj, sizeof obj, "run %lld", (long long)run_id);
        snprintf(detail, sizeof detail, "%lld records, %llu pairs compared, %lld links"
                 " changed, %lld new persons", (long long)n,
                 (unsigned long long)res.compared, (long long)rep->changed,
                 (long long)rep->persons_new);
        rc = store_audit(st, "link", obj, detail, err);
    }
    if (rc == KT_OK && began)
        rc = store_commit(st, err);
    else if (began)
        store_rollback(st);
    rep->run_id = run_id;
    free(why);
    free(expl);
    free(best);
    free(best_w);
    free(taken);
    free(person_of);
    free(size);
done:
    if (rc == KT_ERR_NOMEM)
        kt_error_set(err, "out of memory linking %zu records", n);
    free(in);
    link_result_free(&res);
    link_set_free(set);
    free_decisions(&ds);
    free_recs(v, n);
    return rc;
}

/* ---- a human decision -------------------------------------------------------- */

typedef struct moves {
    int64_t *id;
    size_t n, cap;
} moves;

static int collect_record(void *ctx, const store_record *r, const store_link *l)
{
    (void)l;
    moves *m = ctx;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 16;
        int64_t *id = realloc(m->id, cap * sizeof *id);
        if (!id)
            return KT_ERR_NOMEM;
        m->id = id;
        m->cap = cap;
    }
    m->id[m->n++] = r->id;
    return 0;
}

/* Moves every record of person `from` to `to`, keeping each link's method,
 * weight, by and why. */
static int merge_persons(store *st, int64_t run_id, int64_t from, int64_t to, kt_error *err)
{
    moves m = {0};
    int rc = store_person_records_each(st, from, collect_record, &m, err);
    for (size_t i = 0; i < m.n && rc == KT_OK; i++) {
        store_link l;
        if ((rc = store_link_get(st, m.id[i], &l, err)) != KT_OK)
            break;
        char *method = strdup(l.method), *lby = dup_or_null(l.by), *lwhy = dup_or_null(l.why);
        double w = l.weight;
        rc = method ? store_run_link(st, run_id, to, m.id[i], method, w, lby, lwhy, err)
                    : KT_ERR_NOMEM;
        free(method);
        free(lby);
        free(lwhy);
    }
    free(m.id);
    return rc;
}

int link_store_decide(store *st, int64_t record_a, int64_t record_b, int accept,
                      const char *by, const char *why, int64_t *person_id, kt_error *err)
{
    store_record ra, rb;
    int rc;
    if (record_a == record_b) {
        kt_error_set(err, "a pair needs two different records, not %lld twice",
                     (long long)record_a);
        return KT_ERR_INPUT;
    }
    if ((rc = store_record_get(st, record_a, &ra, err)) != KT_OK)
        return rc;
    int64_t pa = ra.person_id;
    if ((rc = store_record_get(st, record_b, &rb, err)) != KT_OK)
        return rc;
    int64_t pb = rb.person_id;
    char label[256];
    snprintf(label, sizeof label, "%s%s%s", rb.surname ? rb.surname : rb.name ? rb.name : "",
             rb.given_names && rb.surname ? " " : "",
             rb.given_names && rb.surname ? rb.given_names : "");
    const char *text = why && *why ? why : accept ? "accepted" : "rejected";
    int64_t run_id;
    *person_id = 0;
    if ((rc = store_begin(st, err)) != KT_OK)
        return rc;
    rc = store_run_begin(st, accept ? "accept" : "reject", by, why, record_a, record_b,
                         &run_id, err);
    if (rc == KT_OK)
        rc = store_run_decide(st, run_id, record_a, record_b, accept ? "accept" : "reject",
                              by, why, err);
    if (rc == KT_OK && accept) {
        int64_t p = pa && pb ? (pa < pb ? pa : pb) : pa ? pa : pb;
        if (!p)
            rc = store_run_person_add(st, run_id, label, &p, err);
        if (rc == KT_OK && pa && pb && pa != pb)
            rc = merge_persons(st, run_id, pa == p ? pb : pa, p, err);
        if (rc == KT_OK)
            rc = store_run_link(st, run_id, p, record_a, "review", 0, by, text, err);
        if (rc == KT_OK)
            rc = store_run_link(st, run_id, p, record_b, "review", 0, by, text, err);
        *person_id = p;
    } else if (rc == KT_OK && pa && pa == pb) {
        /* two men: the second record leaves the first one's person */
        rc = store_run_unlink(st, run_id, record_b, err);
    }
    if (rc == KT_OK)
        rc = store_run_prune(st, run_id, err);
    if (rc == KT_OK) {
        char obj[64], detail[300];
        snprintf(obj, sizeof obj, "records %lld %lld", (long long)record_a,
                 (long long)record_b);
        snprintf(detail, sizeof detail, "%s by %s: %s", accept ? "merge" : "split",
                 by ? by : "?", text);
        rc = store_audit(st, accept ? "merge" : "split", obj, detail, err);
    }
    if (rc == KT_OK)
        return store_commit(st, err);
    store_rollback(st);
    return rc;
}
