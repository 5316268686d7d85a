/*
 * history.c — loads the bundled history tables (places, events, figures,
 * documents) from their TSV files into the store.
 *
 * Guarantees:
 *  - The header line must name exactly the expected columns, in order, and
 *    every row must have that many fields; otherwise the error names the
 *    file, the line and the column.
 *  - Values are checked before they are stored: required text present,
 *    dates ISO with reduced precision, numbers numeric, place kinds known,
 *    every row cites at least one URL, events refer to known places.
 *  - Quantities' titles (quantities.tsv, loaded after figures.tsv) are
 *    given for quantities the figures count, and for each of them: a title
 *    for an unknown quantity names its line; a quantity left without one
 *    is named at the end of the file, where its row belongs.
 *  - A table is replaced as a whole in one transaction (savepoint when the
 *    caller has one open): a bad row leaves the previous content in place.
 */
#include "store/history.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/history_tsv.h"
#include "util/embedded.h"

enum coltype {
    COL_TEXT,   /* free text; empty = unknown */
    COL_DATE,   /* ISO date, reduced precision allowed */
    COL_INT,    /* integer */
    COL_REAL,   /* decimal number */
    COL_URLS,   /* " | "-separated URLs, at least one */
    COL_KIND,   /* place kind, from place_kinds */
    COL_PLACES, /* ";"-separated place ids: stored in event_place */
    COL_QUANTITY, /* a quantity key that figures.tsv counts */
};

typedef struct colspec {
    const char *name;
    enum coltype type;
    int required;
} colspec;

typedef struct tablespec {
    const char *file;  /* base name of the TSV */
    const char *table; /* SQL table */
    int ncols;
    colspec cols[12];
} tablespec;

/* The columns as documented in data/history/README.md. */
static const tablespec tables[] = {
    {"places.tsv", "place", 12, {
        {"id", COL_TEXT, 1}, {"name_en", COL_TEXT, 1}, {"name_pl", COL_TEXT, 0},
        {"name_ru", COL_TEXT, 0}, {"kind", COL_KIND, 1}, {"latitude", COL_REAL, 0},
        {"longitude", COL_REAL, 0}, {"coord_note", COL_TEXT, 0},
        {"opened", COL_DATE, 0}, {"closed", COL_DATE, 0},
        {"description", COL_TEXT, 0}, {"source_urls", COL_URLS, 1}}},
    {"events.tsv", "event", 7, {
        {"id", COL_TEXT, 1}, {"date_start", COL_DATE, 1}, {"date_end", COL_DATE, 0},
        {"title", COL_TEXT, 1}, {"place_ids", COL_PLACES, 0},
        {"description", COL_TEXT, 0}, {"source_urls", COL_URLS, 1}}},
    {"figures.tsv", "figure", 9, {
        {"id", COL_TEXT, 1}, {"quantity", COL_TEXT, 1}, {"value_low", COL_INT, 0},
        {"value_high", COL_INT, 0}, {"as_of", COL_DATE, 0}, {"claimant", COL_TEXT, 1},
        {"basis", COL_TEXT, 0}, {"note", COL_TEXT, 0}, {"source_urls", COL_URLS, 1}}},
    {"quantities.tsv", "quantity", 3, {
        {"quantity", COL_QUANTITY, 1}, {"title_en", COL_TEXT, 1},
        {"title_pl", COL_TEXT, 1}}},
    {"documents.tsv", "document", 8, {
        {"id", COL_TEXT, 1}, {"date", COL_DATE, 0}, {"title", COL_TEXT, 1},
        {"author", COL_TEXT, 0}, {"signatories", COL_TEXT, 0},
        {"archive_or_publication", COL_TEXT, 0}, {"summary", COL_TEXT, 0},
        {"source_urls", COL_URLS, 1}}},
};

static const char *const place_kinds[] = {
    "pow_camp", "transit_camp", "prison", "execution_site", "burial_site",
    "cemetery", "town", "other", NULL,
};

const char *const *history_place_kinds(void)
{
    return place_kinds;
}

int history_date_valid(const char *s)
{
    static const char *const shapes[] = {"dddd", "dddd-dd", "dddd-dd-dd"};
    size_t n = strlen(s);
    for (size_t k = 0; k < 3; k++) {
        if (strlen(shapes[k]) != n)
            continue;
        int ok = 1;
        for (size_t i = 0; i < n && ok; i++)
            ok = shapes[k][i] == 'd' ? isdigit((unsigned char)s[i]) : s[i] == '-';
        if (!ok)
            return 0;
        if (n >= 7) {
            int month = atoi(s + 5);
            if (month < 1 || month > 12)
                return 0;
        }
        if (n == 10) {
            int day = atoi(s + 8);
            if (day < 1 || day > 31)
                return 0;
        }
        return 1;
    }
    return 0;
}

int history_url_next(const char **p, char *buf, size_t cap)
{
    const char *s = *p;
    for (;;) {
        while (*s == ' ' || *s == '|')
            s++;
        if (!*s) {
            *p = s;
            return 0;
        }
        const char *sep = strstr(s, " | ");
        size_t len = sep ? (size_t)(sep - s) : strlen(s);
        while (len > 0 && s[len - 1] == ' ')
            len--;
        *p = sep ? sep + 3 : s + strlen(s);
        if (len == 0) {
            s = *p;
            continue;
        }
        if (cap > 0) {
            size_t c = len < cap - 1 ? len : cap - 1;
            memcpy(buf, s, c);
            buf[c] = '\0';
        }
        return 1;
    }
}

static int check_value(const colspec *c, const char *v, const char *path, long line,
                       kt_error *err)
{
    if (!*v) {
        if (c->required) {
            kt_error_at(err, path, line, c->name, "value missing");
            return KT_ERR_INPUT;
        }
        return KT_OK;
    }
    char *end = NULL;
    switch (c->type) {
    case COL_DATE:
        if (!history_date_valid(v)) {
            kt_error_at(err, path, line, c->name,
                        "'%s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", v);
            return KT_ERR_INPUT;
        }
        break;
    case COL_INT:
        errno = 0;
        (void)strtoll(v, &end, 10);
        if (errno || *end) {
            kt_error_at(err, path, line, c->name, "'%s' is not a whole number", v);
            return KT_ERR_INPUT;
        }
        break;
    case COL_REAL:
        errno = 0;
        (void)strtod(v, &end);
        if (errno || *end) {
            kt_error_at(err, path, line, c->name, "'%s' is not a number", v);
            return KT_ERR_INPUT;
        }
        break;
    case COL_URLS: {
        const char *p = v;
        char url[1024];
        int n = 0;
        while (history_url_next(&p, url, sizeof url)) {
            if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) {
                kt_error_at(err, path, line, c->name, "'%s' is not an http(s) URL", url);
                return KT_ERR_INPUT;
            }
            n++;
        }
        if (n == 0) {
            kt_error_at(err, path, line, c->name, "no source URL");
            return KT_ERR_INPUT;
        }
        break;
    }
    case COL_KIND: {
        for (size_t i = 0; place_kinds[i]; i++)
            if (!strcmp(v, place_kinds[i]))
                return KT_OK;
        kt_error_at(err, path, line, c->name, "unknown place kind '%s'", v);
        return KT_ERR_INPUT;
    }
    default:
        break;
    }
    return KT_OK;
}

static const tablespec *spec_for(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (!strcmp(base, tables[i].file))
            return &tables[i];
    return NULL;
}

/* "INSERT INTO t(a, b, ...) VALUES (?1, ?2, ...)" over the stored columns. */
static char *insert_sql(const tablespec *t)
{
    char cols[512] = "", vals[256] = "";
    size_t nc = 0, nv = 0;
    int k = 0;
    for (int i = 0; i < t->ncols; i++) {
        if (t->cols[i].type == COL_PLACES)
            continue;
        k++;
        nc += snprintf(cols + nc, sizeof cols - nc, "%s%s", k > 1 ? ", " : "",
                       t->cols[i].name);
        nv += snprintf(vals + nv, sizeof vals - nv, "%s?%d", k > 1 ? ", " : "", k);
    }
    return sqlite3_mprintf("INSERT INTO %s(%s) VALUES (%s)", t->table, cols, vals);
}

static int add_event_places(sqlite3 *db, sqlite3_stmt *ins, const char *event_id,
                            const char *ids, const char *path, long line,
                            int *added, kt_error *err)
{
    char id[128];
    int pos = 0;
    const char *p = ids;
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        while (len > 0 && *p == ' ') {
            p++;
            len--;
        }
        while (len > 0 && p[len - 1] == ' ')
            len--;
        if (len > 0) {
            if (len >= sizeof id) {
                kt_error_at(err, path, line, "place_ids", "place id too long");
                return KT_ERR_INPUT;
            }
            memcpy(id, p, len);
            id[len] = '\0';
            sqlite3_bind_text(ins, 1, event_id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 2, id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(ins, 3, pos++);
            int rc = sqlite3_step(ins);
            sqlite3_reset(ins);
            if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
                kt_error_at(err, path, line, "place_ids",
                            "unknown place '%s' (not in places.tsv)", id);
                return KT_ERR_INPUT;
            }
            if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
                kt_error_at(err, path, line, "place_ids", "place '%s' listed twice", id);
                return KT_ERR_INPUT;
            }
            if (rc != SQLITE_DONE) {
                kt_error_at(err, path, line, "place_ids", "%s", sqlite3_errmsg(db));
                return KT_ERR;
            }
            (*added)++;
        }
        if (!semi)
            break;
        p = semi + 1;
    }
    return KT_OK;
}

/* A title is for a quantity that some claim counts (figures.tsv is loaded
 * first). *counted is prepared on first use; the caller finalizes it. */
static int quantity_counted(sqlite3 *db, sqlite3_stmt **counted, const char *quantity,
                            const char *path, long line, kt_error *err)
{
    if (!*counted && sqlite3_prepare_v2(db, "SELECT 1 FROM figure WHERE quantity = ?1"
                                        " LIMIT 1", -1, counted, NULL) != SQLITE_OK) {
        kt_error_at(err, path, line, "quantity", "%s", sqlite3_errmsg(db));
        return KT_ERR;
    }
    sqlite3_bind_text(*counted, 1, quantity, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(*counted);
    sqlite3_reset(*counted);
    if (rc == SQLITE_ROW)
        return KT_OK;
    if (rc == SQLITE_DONE) {
        kt_error_at(err, path, line, "quantity",
                    "no claim in figures.tsv counts '%s': a title names a quantity"
                    " the figures count", quantity);
        return KT_ERR_INPUT;
    }
    kt_error_at(err, path, line, "quantity", "%s", sqlite3_errmsg(db));
    return KT_ERR;
}

/* After quantities.tsv: every quantity the claims count has its title. The
 * error points at the end of the file, where the missing row belongs. */
static int quantities_titled(sqlite3 *db, const char *path, long end_line, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, "SELECT f.quantity, f.id FROM figure f WHERE NOT EXISTS"
                           " (SELECT 1 FROM quantity q WHERE q.quantity = f.quantity)"
                           " ORDER BY f.quantity, f.id LIMIT 1", -1, &s, NULL) != SQLITE_OK) {
        kt_error_at(err, path, end_line, NULL, "%s", sqlite3_errmsg(db));
        return KT_ERR;
    }
    int rc = sqlite3_step(s), ret = KT_OK;
    if (rc == SQLITE_ROW) {
        kt_error_at(err, path, end_line, "quantity",
                    "no title for '%s', which claim %s in figures.tsv counts:"
                    " every quantity needs a row here", sqlite3_column_text(s, 0),
                    sqlite3_column_text(s, 1));
        ret = KT_ERR_INPUT;
    } else if (rc != SQLITE_DONE) {
        kt_error_at(err, path, end_line, NULL, "%s", sqlite3_errmsg(db));
        ret = KT_ERR;
    }
    sqlite3_finalize(s);
    return ret;
}

/* The rows of one file into its (emptied) table; returns rows or KT_ERR_*. */
static int load_rows(store *st, const tablespec *t, const char *path,
                     const char *data, size_t len, kt_error *err)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *ins = NULL, *ins_place = NULL, *counted = NULL;
    char *sql = insert_sql(t);
    char del[64];
    htsv tsv;
    int rows = 0, event_places = 0, rc = KT_OK;

    htsv_init(&tsv, data, len);
    snprintf(del, sizeof del, "DELETE FROM %s", t->table);
    if (!sql || sqlite3_exec(db, del, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sql, -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO event_place(event_id, place_id, position)"
                           " VALUES (?1, ?2, ?3)", -1, &ins_place, NULL) != SQLITE_OK) {
        kt_error_at(err, path, 0, NULL, "preparing the load: %s", sqlite3_errmsg(db));
        rc = KT_ERR;
        goto done;
    }
    int r, header = 1;
    while ((r = htsv_next(&tsv)) == 1) {
        if (tsv.n != t->ncols) {
            kt_error_at(err, path, tsv.line, NULL, "%d columns, expected %d", tsv.n,
                        t->ncols);
            rc = KT_ERR_INPUT;
            goto done;
        }
        if (header) {
            /* The first line: the documented columns, in order. */
            header = 0;
            for (int i = 0; i < t->ncols; i++)
                if (strcmp(tsv.field[i], t->cols[i].name)) {
                    kt_error_at(err, path, tsv.line, tsv.field[i],
                                "header: expected column '%s'", t->cols[i].name);
                    rc = KT_ERR_INPUT;
                    goto done;
                }
            continue;
        }
        int k = 0;
        const char *places = NULL;
        for (int i = 0; i < t->ncols; i++) {
            const colspec *c = &t->cols[i];
            const char *v = tsv.field[i];
            if ((rc = check_value(c, v, path, tsv.line, err)) != KT_OK)
                goto done;
            if (c->type == COL_QUANTITY &&
                (rc = quantity_counted(db, &counted, v, path, tsv.line, err)) != KT_OK)
                goto done;
            if (c->type == COL_PLACES) {
                places = v;
                continue;
            }
            k++;
            if (!*v)
                sqlite3_bind_null(ins, k);
            else if (c->type == COL_INT)
                sqlite3_bind_int64(ins, k, strtoll(v, NULL, 10));
            else if (c->type == COL_REAL)
                sqlite3_bind_double(ins, k, strtod(v, NULL));
            else
                sqlite3_bind_text(ins, k, v, -1, SQLITE_TRANSIENT);
        }
        int s = sqlite3_step(ins);
        sqlite3_reset(ins);
        sqlite3_clear_bindings(ins);
        if (s == SQLITE_CONSTRAINT_PRIMARYKEY) {
            kt_error_at(err, path, tsv.line, t->cols[0].name, "%s '%s' used twice",
                        t->cols[0].name, tsv.field[0]);
            rc = KT_ERR_INPUT;
            goto done;
        }
        if (s == SQLITE_CONSTRAINT_CHECK) {
            kt_error_at(err, path, tsv.line, NULL, "row breaks a rule of table %s: %s",
                        t->table, sqlite3_errmsg(db));
            rc = KT_ERR_INPUT;
            goto done;
        }
        if (s != SQLITE_DONE) {
            kt_error_at(err, path, tsv.line, NULL, "%s", sqlite3_errmsg(db));
            rc = KT_ERR;
            goto done;
        }
        if (places && (rc = add_event_places(db, ins_place, tsv.field[0], places, path,
                                             tsv.line, &event_places, err)) != KT_OK)
            goto done;
        rows++;
    }
    if (r < 0) {
        kt_error_set(err, "out of memory reading %s", path);
        rc = KT_ERR_NOMEM;
    } else if (t->cols[0].type == COL_QUANTITY) {
        rc = quantities_titled(db, path, tsv.line + 1, err);
    }
done:
    htsv_free(&tsv);
    sqlite3_finalize(ins);
    sqlite3_finalize(ins_place);
    sqlite3_finalize(counted);
    sqlite3_free(sql);
    return rc == KT_OK ? rows : rc;
}

int history_load_tsv(store *st, const char *path, const char *data, size_t len,
                     kt_error *err)
{
    const tablespec *t = spec_for(path);
    if (!t) {
        kt_error_at(err, path, 0, NULL, "not a history file (places.tsv, events.tsv, "
                    "figures.tsv, quantities.tsv or documents.tsv)");
        return KT_ERR_INPUT;
    }
    if (store_begin(st, err) != KT_OK)
        return KT_ERR;
    int rows = load_rows(st, t, path, data, len, err);
    if (rows < 0) {
        store_rollback(st);
        return rows;
    }
    if (store_commit(st, err) != KT_OK)
        return KT_ERR;
    return rows;
}

static const char *const history_files[] = {
    "data/history/places.tsv", "data/history/events.tsv",
    "data/history/figures.tsv", "data/history/quantities.tsv",
    "data/history/documents.tsv",
};

int history_load(store *st, history_counts *counts, kt_error *err)
{
    history_counts c = {0};
    int *slot[] = {&c.places, &c.events, &c.figures, &c.quantities, &c.documents};
    int rc = KT_ERR;
    if (store_begin(st, err) != KT_OK)
        return KT_ERR;
    /* Events refer to places: empty the link table first so that places
     * can be replaced. */
    if (sqlite3_exec(store_db(st), "DELETE FROM event_place; DELETE FROM event",
                     NULL, NULL, NULL) != SQLITE_OK) {
        kt_error_set(err, "clearing the history: %s", sqlite3_errmsg(store_db(st)));
        goto fail;
    }
    for (size_t i = 0; i < sizeof history_files / sizeof history_files[0]; i++) {
        const kt_blob *b = kt_embedded(history_files[i]);
        if (!b) {
            kt_error_at(err, history_files[i], 0, NULL, "not compiled into this binary");
            goto fail;
        }
        int n = history_load_tsv(st, b->path, b->data, b->len, err);
        if (n < 0) {
            rc = n;
            goto fail;
        }
        *slot[i] = n;
    }
    c.event_places = (int)store_count(st, "event_place");
    const kt_blob *b = kt_embedded("data/names/dev_persons.tsv");
    if (!b) {
        kt_error_at(err, "data/names/dev_persons.tsv", 0, NULL,
                    "not compiled into this binary");
        goto fail;
    }
    int n = history_load_persons(st, b->path, b->data, b->len, err);
    if (n < 0) {
        rc = n;
        goto fail;
    }
    c.persons = n;
    c.person_records = 2 * n;
    char detail[256];
    snprintf(detail, sizeof detail,
             "%d places, %d events (%d event places), %d figures (%d quantities), "
             "%d documents, %d persons (%d records)", c.places, c.events, c.event_places,
             c.figures, c.quantities, c.documents, c.persons, c.person_records);
    if (store_audit(st, "history_load", "bundled data", detail, err) != KT_OK)
        goto fail;
    if (store_commit(st, err) != KT_OK)
        return KT_ERR;
    if (counts)
        *counts = c;
    return KT_OK;
fail:
    store_rollback(st);
    return rc;
}
