/*
 * persons.c — persons with their records and links, decisions on pairs,
 * doubtful pairs, and the link runs that undo reverses (see persons.h for
 * the invariants).
 */
#include "store/persons.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int db_fail(store *st, kt_error *err, const char *what)
{
    kt_error_set(err, "%s: %s", what, sqlite3_errmsg(store_db(st)));
    return KT_ERR;
}

static sqlite3_stmt *prepare(store *st, const char *sql, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
        db_fail(st, err, "preparing a statement");
        sqlite3_finalize(s);
        return NULL;
    }
    return s;
}

static const char *text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

/* Runs a statement that returns no rows; KT_OK or a database error. */
static int run(store *st, sqlite3_stmt *s, kt_error *err, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? KT_OK : db_fail(st, err, what);
}

/* Copies of the strings handed out by the getters, one set per thread (a
 * web server answers on several), freed on the next call and when the
 * thread ends. */
#define KEPT_SLOTS 8
static pthread_key_t kept_key;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;

static void kept_free(void *p)
{
    char **v = p;
    for (int i = 0; i < KEPT_SLOTS; i++)
        free(v[i]);
    free(v);
}

static void kept_init(void)
{
    pthread_key_create(&kept_key, kept_free);
}

static const char *keep(int slot, const char *v)
{
    pthread_once(&kept_once, kept_init);
    char **kept = pthread_getspecific(kept_key);
    if (!kept) {
        kept = calloc(KEPT_SLOTS, sizeof *kept);
        if (!kept || pthread_setspecific(kept_key, kept) != 0) {
            free(kept);
            return NULL;
        }
    }
    free(kept[slot]);
    kept[slot] = v ? strdup(v) : NULL;
    return kept[slot];
}

/* ---- persons ------------------------------------------------------------- */

#define PERSON_COLS "p.id, p.label, p.created_at," \
    " (SELECT count(*) FROM record r WHERE r.person_id = p.id)"

static void person_from_row(sqlite3_stmt *s, store_person *p)
{
    p->id = sqlite3_column_int64(s, 0);
    p->label = text(s, 1);
    p->created_at = text(s, 2);
    p->nrecords = sqlite3_column_int64(s, 3);
}

int store_person_get(store *st, int64_t id, store_person *out, kt_error *err)
{
    sqlite3_stmt *s = prepare(st, "SELECT " PERSON_COLS " FROM person p WHERE p.id = ?1",
                              err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return db_fail(st, err, "reading a person");
        kt_error_set(err, "no person with id %lld", (long long)id);
        return KT_ERR_NOTFOUND;
    }
    person_from_row(s, out);
    out->label = keep(0, out->label);
    out->created_at = keep(1, out->created_at);
    sqlite3_finalize(s);
    return KT_OK;
}

int store_persons_each(store *st, const char *source_key, long limit,
                       store_person_fn cb, void *ctx, kt_error *err)
{
    sqlite3_stmt *s = prepare(st, source_key
        ? "SELECT " PERSON_COLS " FROM person p WHERE p.id IN"
          " (SELECT r.person_id FROM record r JOIN source so ON so.id = r.source_id"
          "  WHERE so.key = ?1) ORDER BY p.id LIMIT ?2"
        : "SELECT " PERSON_COLS " FROM person p ORDER BY p.id LIMIT ?2", err);
    if (!s)
        return KT_ERR;
    if (source_key)
        sqlite3_bind_text(s, 1, source_key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
    int rc, ret = 0;
    store_person p;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        person_from_row(s, &p);
        if ((ret = cb(ctx, &p)) != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = db_fail(st, err, "reading persons");
    sqlite3_finalize(s);
    return ret;
}

typedef struct id_list {
    int64_t *v;
    size_t n, cap;
} id_list;

static int add_id(void *ctx, const store_person *p)
{
    id_list *x = ctx;
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 256;
        int64_t *v = realloc(x->v, cap * sizeof *v);
        if (!v)
            return KT_ERR_NOMEM;
        x->v = v;
        x->cap = cap;
    }
    x->v[x->n++] = p->id;
    return 0;
}

int store_person_ids(store *st, const char *source_key, long limit, int64_t **ids,
                     size_t *n, kt_error *err)
{
    id_list x = {0};
    int rc = store_persons_each(st, source_key, limit, add_id, &x, err);
    if (rc != KT_OK) {
        free(x.v);
        if (rc == KT_ERR_NOMEM)
            kt_error_set(err, "out of memory");
        return rc;
    }
    *ids = x.v;
    *n = x.n;
    return KT_OK;
}

int64_t store_persons_count(store *st, const char *source_key)
{
    kt_error err;
    sqlite3_stmt *s = prepare(st, source_key
        ? "SELECT count(DISTINCT r.person_id) FROM record r JOIN source so"
          " ON so.id = r.source_id WHERE so.key = ?1"
        : "SELECT count(*) FROM person", &err);
    if (!s)
        return -1;
    if (source_key)
        sqlite3_bind_text(s, 1, source_key, -1, SQLITE_TRANSIENT);
    int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return n;
}

#define LINK_COLS "pr.person_id, pr.record_id, pr.method, pr.weight, pr.by, pr.why," \
    " pr.created_at"

static void link_from_row(sqlite3_stmt *s, int col, store_link *l)
{
    l->person_id = sqlite3_column_int64(s, col);
    l->record_id = sqlite3_column_int64(s, col + 1);
    l->method = text(s, col + 2);
    l->weight = sqlite3_column_double(s, col + 3);
    l->by = text(s, col + 4);
    l->why = text(s, col + 5);
    l->created_at = text(s, col + 6);
}

int store_link_get(store *st, int64_t record_id, store_link *out, kt_error *err)
{
    sqlite3_stmt *s = prepare(st, "SELECT " LINK_COLS " FROM person_record pr"
                              " WHERE pr.record_id = ?1", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, record_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return db_fail(st, err, "reading a link");
        kt_error_set(err, "record %lld is not linked to a person", (long long)record_id);
        return KT_ERR_NOTFOUND;
    }
    link_from_row(s, 0, out);
    out->method = keep(2, out->method);
    out->by = keep(3, out->by);
    out->why = keep(4, out->why);
    out->created_at = keep(5, out->created_at);
    sqlite3_finalize(s);
    return KT_OK;
}

int store_person_records_each(store *st, int64_t person_id,
                              store_person_record_fn cb, void *ctx, kt_error *err)
{
    /* The links are read first, then each record: the callback may use the
     * store, and store_record_get owns its strings until its next call. */
    sqlite3_stmt *s = prepare(st, "SELECT " LINK_COLS " FROM person_record pr"
                              " JOIN record r ON r.id = pr.record_id"
                              " WHERE pr.person_id = ?1 ORDER BY r.source_id, r.id", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, person_id);
    size_t n = 0, cap = 0;
    struct row {
        store_link l;
        char *method, *by, *why, *at;
    } *rows = NULL;
    int rc, ret = KT_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 8;
            struct row *grown = realloc(rows, cap * sizeof *rows);
            if (!grown) {
                ret = KT_ERR_NOMEM;
                break;
            }
            rows = grown;
        }
        struct row *w = &rows[n++];
        link_from_row(s, 0, &w->l);
        w->method = w->l.method ? strdup(w->l.method) : NULL;
        w->by = w->l.by ? strdup(w->l.by) : NULL;
        w->why = w->l.why ? strdup(w->l.why) : NULL;
        w->at = w->l.created_at ? strdup(w->l.created_at) : NULL;
        w->l.method = w->method;
        w->l.by = w->by;
        w->l.why = w->why;
        w->l.created_at = w->at;
    }
    if (ret == KT_OK && rc != SQLITE_DONE)
        ret = db_fail(st, err, "reading a person's records");
    sqlite3_finalize(s);
    if (ret == KT_ERR_NOMEM)
        kt_error_set(err, "out of memory");
    for (size_t i = 0; i < n && ret == KT_OK; i++) {
        store_record r;
        if ((ret = store_record_get(st, rows[i].l.record_id, &r, err)) == KT_OK)
            ret = cb(ctx, &r, &rows[i].l);
    }
    for (size_t i = 0; i < n; i++) {
        free(rows[i].method);
        free(rows[i].by);
        free(rows[i].why);
        free(rows[i].at);
    }
    free(rows);
    return ret;
}

/* ---- decisions ------------------------------------------------------------ */

static void order_pair(int64_t *a, int64_t *b)
{
    if (*a > *b) {
        int64_t t = *a;
        *a = *b;
        *b = t;
    }
}

#define DECISION_COLS "record_a, record_b, decision, by, why, created_at"

static void decision_from_row(sqlite3_stmt *s, store_decision *d)
{
    d->record_a = sqlite3_column_int64(s, 0);
    d->record_b = sqlite3_column_int64(s, 1);
    d->decision = text(s, 2);
    d->by = text(s, 3);
    d->why = text(s, 4);
    d->created_at = text(s, 5);
}

int store_decisions_each(store *st, store_decision_fn cb, void *ctx, kt_error *err)
{
    sqlite3_stmt *s = prepare(st, "SELECT " DECISION_COLS " FROM link_decision"
                              " ORDER BY record_a, record_b", err);
    if (!s)
        return KT_ERR;
    int rc, ret = 0;
    store_decision d;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        decision_from_row(s, &d);
        if ((ret = cb(ctx, &d)) != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = db_fail(st, err, "reading decisions");
    sqlite3_finalize(s);
    return ret;
}

int store_decision_get(store *st, int64_t a, int64_t b, store_decision *out,
                       kt_error *err)
{
    order_pair(&a, &b);
    sqlite3_stmt *s = prepare(st, "SELECT " DECISION_COLS " FROM link_decision"
                              " WHERE record_a = ?1 AND record_b = ?2", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return db_fail(st, err, "reading a decision");
        kt_error_set(err, "no decision on records %lld and %lld", (long long)a,
                     (long long)b);
        return KT_ERR_NOTFOUND;
    }
    decision_from_row(s, out);
    out->decision = keep(2, out->decision);
    out->by = keep(3, out->by);
    out->why = keep(4, out->why);
    out->created_at = keep(5, out->created_at);
    sqlite3_finalize(s);
    return KT_OK;
}

/* ---- doubtful pairs -------------------------------------------------------- */

int store_pairs_clear(store *st, kt_error *err)
{
    sqlite3_stmt *s = prepare(st, "DELETE FROM link_pair", err);
    return s ? run(st, s, err, "clearing the doubtful pairs") : KT_ERR;
}

int store_pair_add(store *st, const store_pair *p, kt_error *err)
{
    int64_t a = p->record_a, b = p->record_b;
    order_pair(&a, &b);
    sqlite3_stmt *s = prepare(st, "INSERT OR REPLACE INTO link_pair(record_a, record_b,"
                              " weight, why) VALUES (?1, ?2, ?3, ?4)", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    sqlite3_bind_double(s, 3, p->weight);
    bind_opt(s, 4, p->why);
    return run(st, s, err, "keeping a doubtful pair");
}

/* The pairs waiting for review: those without a decision. */
#define PAIRS_WAITING " FROM link_pair p WHERE NOT EXISTS (SELECT 1 FROM link_decision d" \
    " WHERE d.record_a = p.record_a AND d.record_b = p.record_b)"

int store_pairs_each(store *st, long limit, store_pair_fn cb, void *ctx, kt_error *err)
{
    sqlite3_stmt *s = prepare(st, "SELECT p.record_a, p.record_b, p.weight, p.why"
                              PAIRS_WAITING " ORDER BY p.weight DESC, p.record_a, p.record_b LIMIT ?1",
                              err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, limit > 0 ? limit : -1);
    int rc, ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_pair p = {sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
                        sqlite3_column_double(s, 2), text(s, 3)};
        if ((ret = cb(ctx, &p)) != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = db_fail(st, err, "reading the doubtful pairs");
    sqlite3_finalize(s);
    return ret;
}

int64_t store_pairs_count(store *st)
{
    kt_error err;
    sqlite3_stmt *s = prepare(st, "SELECT count(*)" PAIRS_WAITING, &err);
    if (!s)
        return -1;
    int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return n;
}

int store_pair_get(store *st, int64_t a, int64_t b, store_pair *out, kt_error *err)
{
    order_pair(&a, &b);
    sqlite3_stmt *s = prepare(st, "SELECT record_a, record_b, weight, why FROM link_pair"
                              " WHERE record_a = ?1 AND record_b = ?2", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return db_fail(st, err, "reading a pair");
        kt_error_set(err, "records %lld and %lld are not a pair under review",
                     (long long)a, (long long)b);
        return KT_ERR_NOTFOUND;
    }
    out->record_a = sqlite3_column_int64(s, 0);
    out->record_b = sqlite3_column_int64(s, 1);
    out->weight = sqlite3_column_double(s, 2);
    out->why = keep(6, text(s, 3));
    sqlite3_finalize(s);
    return KT_OK;
}

/* ---- runs ------------------------------------------------------------------ */

int store_run_begin(store *st, const char *kind, const char *by,
                    const char *detail, int64_t record_a, int64_t record_b,
                    int64_t *run_id, kt_error *err)
{
    order_pair(&record_a, &record_b);
    sqlite3_stmt *s = prepare(st, "INSERT INTO link_run(kind, by, detail, record_a,"
        " record_b, prev_decision, prev_by, prev_why, prev_at)"
        " SELECT ?1, ?2, ?3, ?4, ?5, d.decision, d.by, d.why, d.created_at"
        " FROM (SELECT 1) LEFT JOIN link_decision d ON d.record_a = ?4"
        " AND d.record_b = ?5", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_TRANSIENT);
    bind_opt(s, 2, by);
    bind_opt(s, 3, detail);
    if (record_a > 0) {
        sqlite3_bind_int64(s, 4, record_a);
        sqlite3_bind_int64(s, 5, record_b);
    }
    int rc = run(st, s, err, "starting a link run");
    if (rc == KT_OK)
        *run_id = sqlite3_last_insert_rowid(store_db(st));
    return rc;
}

/* The record's link as it was before the run, once per record and run. */
static int snapshot(store *st, int64_t run_id, int64_t record_id, kt_error *err)
{
    sqlite3_stmt *s = prepare(st, "INSERT OR IGNORE INTO link_run_record(run_id,"
        " record_id, person_id, method, weight, by, why, created_at)"
        " SELECT ?1, r.id, pr.person_id, pr.method, pr.weight, pr.by, pr.why,"
        " pr.created_at FROM record r LEFT JOIN person_record pr"
        " ON pr.record_id = r.id WHERE r.id = ?2", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, record_id);
    return run(st, s, err, "keeping a link for undo");
}

int store_run_link(store *st, int64_t run_id, int64_t person_id, int64_t record_id,
                   const char *method, double weight, const char *by,
                   const char *why, kt_error *err)
{
    int rc = snapshot(st, run_id, record_id, err);
    return rc == KT_OK ? store_link_add(st, person_id, record_id, method, weight, by,
                                        why, err)
                       : rc;
}

int store_run_unlink(store *st, int64_t run_id, int64_t record_id, kt_error *err)
{
    int rc = snapshot(st, run_id, record_id, err);
    if (rc != KT_OK)
        return rc;
    sqlite3_stmt *s = prepare(st, "DELETE FROM person_record WHERE record_id = ?1", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, record_id);
    if ((rc = run(st, s, err, "unlinking a record")) != KT_OK)
        return rc;
    if (!(s = prepare(st, "UPDATE record SET person_id = NULL WHERE id = ?1", err)))
        return KT_ERR;
    sqlite3_bind_int64(s, 1, record_id);
    return run(st, s, err, "unlinking a record");
}

int store_run_person_add(store *st, int64_t run_id, const char *label,
                         int64_t *person_id, kt_error *err)
{
    int rc = store_person_add(st, label, person_id, err);
    if (rc != KT_OK)
        return rc;
    sqlite3_stmt *s = prepare(st, "INSERT INTO link_run_person(run_id, person_id, action)"
                              " VALUES (?1, ?2, 'created')", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, *person_id);
    return run(st, s, err, "noting a new person");
}

int store_run_prune(store *st, int64_t run_id, kt_error *err)
{
    /* Only persons this run touched can have been emptied by it. */
    static const char *const sql[] = {
        "INSERT OR IGNORE INTO link_run_person(run_id, person_id, action, label,"
        " created_at) SELECT ?1, p.id, 'deleted', p.label, p.created_at FROM person p"
        " WHERE p.id IN (SELECT person_id FROM link_run_record WHERE run_id = ?1)"
        " AND NOT EXISTS (SELECT 1 FROM record r WHERE r.person_id = p.id)"
        " AND NOT EXISTS (SELECT 1 FROM person_alias a WHERE a.person_id = p.id)",
        "DELETE FROM person WHERE id IN (SELECT person_id FROM link_run_person"
        " WHERE run_id = ?1 AND action = 'deleted')",
        /* a person made and emptied within the run leaves no trace */
        "DELETE FROM person WHERE id IN (SELECT person_id FROM link_run_person"
        " WHERE run_id = ?1 AND action = 'created') AND NOT EXISTS (SELECT 1 FROM"
        " record r WHERE r.person_id = person.id)",
        "DELETE FROM link_run_person WHERE run_id = ?1 AND action = 'created'"
        " AND person_id NOT IN (SELECT id FROM person)",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *s = prepare(st, sql[i], err);
        if (!s)
            return KT_ERR;
        sqlite3_bind_int64(s, 1, run_id);
        int rc = run(st, s, err, "removing emptied persons");
        if (rc != KT_OK)
            return rc;
    }
    return KT_OK;
}

int store_run_decide(store *st, int64_t run_id, int64_t a, int64_t b,
                     const char *decision, const char *by, const char *why,
                     kt_error *err)
{
    (void)run_id; /* the decision it replaces was kept by store_run_begin */
    order_pair(&a, &b);
    sqlite3_stmt *s = prepare(st, "INSERT OR REPLACE INTO link_decision(record_a,"
                              " record_b, decision, by, why) VALUES (?1, ?2, ?3, ?4, ?5)",
                              err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    sqlite3_bind_text(s, 3, decision, -1, SQLITE_TRANSIENT);
    bind_opt(s, 4, by);
    bind_opt(s, 5, why);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY || rc == SQLITE_CONSTRAINT) {
        kt_error_set(err, "no records %lld and %lld to decide on", (long long)a,
                     (long long)b);
        return KT_ERR_NOTFOUND;
    }
    return rc == SQLITE_DONE ? KT_OK : db_fail(st, err, "recording a decision");
}

int64_t store_run_changes(store *st, int64_t run_id)
{
    kt_error err;
    sqlite3_stmt *s = prepare(st, "SELECT (SELECT count(*) FROM link_run_record"
                              " WHERE run_id = ?1) + (SELECT count(*) FROM"
                              " link_run_person WHERE run_id = ?1)", &err);
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, run_id);
    int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return n;
}

int store_run_drop_if_empty(store *st, int64_t run_id, kt_error *err)
{
    sqlite3_stmt *s = prepare(st, "DELETE FROM link_run WHERE id = ?1 AND kind = 'link'"
                              " AND NOT EXISTS (SELECT 1 FROM link_run_record WHERE"
                              " run_id = ?1) AND NOT EXISTS (SELECT 1 FROM"
                              " link_run_person WHERE run_id = ?1)", err);
    if (!s)
        return KT_ERR;
    sqlite3_bind_int64(s, 1, run_id);
    return run(st, s, err, "forgetting an empty run");
}

/* Runs each statement of sql with ?1 bound to run_id. */
static int run_all(store *st, const char *const *sql, size_t n, int64_t run_id,
                   kt_error *err, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *s = prepare(st, sql[i], err);
        if (!s)
            return KT_ERR;
        sqlite3_bind_int64(s, 1, run_id);
        int rc = run(st, s, err, what);
        if (rc != KT_OK)
            return rc;
    }
    return KT_OK;
}

int store_run_undo(store *st, store_undo_info *info, kt_error *err)
{
    memset(info, 0, sizeof *info);
    int rc = store_begin(st, err);
    if (rc != KT_OK)
        return rc;
    sqlite3_stmt *s = prepare(st, "SELECT id, kind, at, (SELECT count(*) FROM"
        " link_run_record WHERE run_id = link_run.id), (SELECT count(*) FROM"
        " link_run_person WHERE run_id = link_run.id) FROM link_run"
        " WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1", err);
    if (!s) {
        store_rollback(st);
        return KT_ERR;
    }
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        store_rollback(st);
        if (rc != SQLITE_DONE)
            return db_fail(st, err, "reading the link runs");
        kt_error_set(err, "nothing to undo: no link run or review decision left");
        return KT_ERR_NOTFOUND;
    }
    info->run_id = sqlite3_column_int64(s, 0);
    snprintf(info->kind, sizeof info->kind, "%s", text(s, 1));
    snprintf(info->at, sizeof info->at, "%s", text(s, 2));
    info->records = sqlite3_column_int64(s, 3);
    info->persons = sqlite3_column_int64(s, 4);
    sqlite3_finalize(s);
    static const char *const sql[] = {
        /* persons the run removed come back with their id */
        "INSERT INTO person(id, label, created_at) SELECT person_id, coalesce(label,''),"
        " created_at FROM link_run_person WHERE run_id = ?1 AND action = 'deleted'",
        /* every link it changed goes back to the row it replaced */
        "DELETE FROM person_record WHERE record_id IN (SELECT record_id FROM"
        " link_run_record WHERE run_id = ?1)",
        "INSERT INTO person_record(person_id, record_id, method, weight, by, why,"
        " created_at) SELECT person_id, record_id, method, weight, by, why, created_at"
        " FROM link_run_record WHERE run_id = ?1 AND person_id IS NOT NULL"
        " AND record_id IN (SELECT id FROM record)",
        "UPDATE record SET person_id = (SELECT c.person_id FROM link_run_record c"
        " WHERE c.run_id = ?1 AND c.record_id = record.id) WHERE id IN"
        " (SELECT record_id FROM link_run_record WHERE run_id = ?1)",
        /* persons it made go */
        "DELETE FROM person WHERE id IN (SELECT person_id FROM link_run_person"
        " WHERE run_id = ?1 AND action = 'created')",
        /* a decision it recorded gives way to the one before, if any */
        "DELETE FROM link_decision WHERE (record_a, record_b) IN (SELECT record_a,"
        " record_b FROM link_run WHERE id = ?1 AND record_a IS NOT NULL)",
        "INSERT INTO link_decision(record_a, record_b, decision, by, why, created_at)"
        " SELECT record_a, record_b, prev_decision, prev_by, prev_why, prev_at"
        " FROM link_run WHERE id = ?1 AND prev_decision IS NOT NULL"
        " AND record_a IN (SELECT id FROM record) AND record_b IN (SELECT id FROM record)",
        "UPDATE link_run SET undone_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
        " WHERE id = ?1",
    };
    rc = run_all(st, sql, sizeof sql / sizeof sql[0], info->run_id, err, "undoing a run");
    if (rc == KT_OK) {
        char obj[32], detail[160];
        snprintf(obj, sizeof obj, "run %lld", (long long)info->run_id);
        snprintf(detail, sizeof detail, "%s of %s undone: %lld links restored,"
                 " %lld persons restored or removed", info->kind, info->at,
                 (long long)info->records, (long long)info->persons);
        rc = store_audit(st, "undo", obj, detail, err);
    }
    if (rc == KT_OK)
        rc = store_commit(st, err);
    if (rc != KT_OK)
        store_rollback(st);
    return rc;
}
