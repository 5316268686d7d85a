/*
 * cmd_stats.c — `kartoteka stats [--db FILE] [--json]`: an overview of what
 * the database holds. The first thing a newcomer runs after init, so it
 * says in words what each number is and where to look next.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/listing.h"
#include "store/history.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka stats [--db FILE] [--json]\n"
        "\n"
        "What the database holds: sources, records and persons; the bundled\n"
        "history (places, events, figures, documents); records per source; the\n"
        "schema version and the database file.\n"
        "\n"
        "options:\n"
        "  --db FILE   database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json      as JSON\n"
        "  --help      this text\n");
}

typedef struct per_source {
    listing_table *table;
    json_t *json;
    int64_t linked;
} per_source;

static int add_source(void *ctx, const store_source *s, int64_t records, int64_t linked)
{
    per_source *p = ctx;
    p->linked += linked;
    json_t *j = json_object();
    json_object_set_new(j, "key", json_string(s->key));
    json_object_set_new(j, "title", store_json_str(s->title));
    json_object_set_new(j, "records", json_integer(records));
    json_object_set_new(j, "linked_records", json_integer(linked));
    if (json_array_append_new(p->json, j))
        return KT_ERR_NOMEM;
    char a[32], b[32];
    const char *row[] = {s->key, listing_number(records, a, sizeof a),
                         listing_number(linked, b, sizeof b), s->title};
    return listing_table_add(p->table, row) ? KT_ERR_NOMEM : 0;
}

static int count_quantity(void *ctx, const history_quantity *q)
{
    (void)q;
    ++*(int64_t *)ctx;
    return 0;
}

/* "       37  places: ...          kartoteka places" — the texts are ASCII,
 * so byte padding is column padding. */
static void line(const char *number, const char *what, const char *command)
{
    if (*command)
        printf("  %10s  %-52s %s\n", number, what, command);
    else
        printf("  %10s  %s\n", number, what);
}

/* The latest audit entry: when and what last changed the database. */
static void last_change(store *st, char *at, size_t atcap, char *what, size_t whatcap)
{
    sqlite3_stmt *s = NULL;
    at[0] = what[0] = '\0';
    if (sqlite3_prepare_v2(store_db(st), "SELECT at, action, coalesce(object, '')"
                           " FROM audit_log ORDER BY id DESC LIMIT 1", -1, &s,
                           NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
        snprintf(at, atcap, "%s", (const char *)sqlite3_column_text(s, 0));
        snprintf(what, whatcap, "%s %s", (const char *)sqlite3_column_text(s, 1),
                 (const char *)sqlite3_column_text(s, 2));
    }
    sqlite3_finalize(s);
}

int cmd_stats(int argc, char **argv)
{
    const char *db = cli_default_db();
    int json = 0;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    int code;
    store *st = cli_start(argc, argv, opts, usage, &db, &code);
    if (!st)
        return code;
    static const char *const headers[] = {"SOURCE", "RECORDS", "LINKED", "TITLE"};
    per_source ps = {.table = listing_table_new(4, headers), .json = json_array()};
    listing_table_right(ps.table, 1);
    listing_table_right(ps.table, 2);
    listing_table_max(ps.table, 3, 60);
    int64_t quantities = 0;
    kt_error err;
    kt_error_clear(&err);
    int rc = store_sources_each(st, add_source, &ps, &err);
    if (rc == KT_OK)
        rc = history_quantities_each(st, count_quantity, &quantities, &err);
    const char *names[] = {"source", "record", "person", "place", "event", "figure",
                           "document"};
    int64_t n[7];
    for (int i = 0; i < 7; i++)
        n[i] = store_count(st, names[i]);
    char at[64], what[256];
    last_change(st, at, sizeof at, what, sizeof what);
    int version = store_schema_version(st);
    store_close(st);
    if (rc != KT_OK) {
        listing_table_free(ps.table);
        json_decref(ps.json);
        return cli_fail(rc, &err);
    }
    char path[PATH_MAX];
    if (!realpath(db, path))
        snprintf(path, sizeof path, "%s", db);

    if (json) {
        json_t *j = json_object();
        json_object_set_new(j, "database", json_string(path));
        json_object_set_new(j, "schema_version", json_integer(version));
        json_object_set_new(j, "sources", json_integer(n[0]));
        json_object_set_new(j, "records", json_integer(n[1]));
        json_object_set_new(j, "linked_records", json_integer(ps.linked));
        json_object_set_new(j, "persons", json_integer(n[2]));
        json_object_set_new(j, "places", json_integer(n[3]));
        json_object_set_new(j, "events", json_integer(n[4]));
        json_object_set_new(j, "figures", json_integer(n[5]));
        json_object_set_new(j, "figure_quantities", json_integer(quantities));
        json_object_set_new(j, "documents", json_integer(n[6]));
        json_object_set_new(j, "records_per_source", ps.json);
        json_object_set_new(j, "last_change_at", store_json_str(at));
        json_object_set_new(j, "last_change", store_json_str(what));
        listing_table_free(ps.table);
        return listing_json_print(j) ? CLI_EXIT_ERROR : CLI_EXIT_OK;
    }
    char b[7][32], linked[32];
    for (int i = 0; i < 7; i++)
        listing_number(n[i], b[i], sizeof b[i]);
    listing_number(ps.linked, linked, sizeof linked);
    printf("kartoteka database %s\n", path);
    printf("schema version %d%s\n\n", version,
           version == store_schema_latest() ? " (current)" : "");
    char quant[96], recs[96];
    snprintf(recs, sizeof recs, "records, %s of them linked to a person", linked);
    snprintf(quant, sizeof quant, "claims about %lld contested figures",
             (long long)quantities);
    printf("Registry\n");
    line(b[0], "sources: lists and registers", "kartoteka sources");
    line(b[1], recs, "kartoteka records");
    line(b[2], "persons: records judged to be one human being", "");
    printf("\nHistory\n");
    line(b[3], "places: camps, prisons, execution and burial sites", "kartoteka places");
    line(b[4], "events on the timeline", "kartoteka events");
    line(b[5], quant, "kartoteka figures");
    line(b[6], "key documents", "kartoteka documents");
    printf("\nRecords per source\n");
    if (listing_table_rows(ps.table) == 0)
        printf("  (none yet: kartoteka import FILE --source KEY)\n");
    else
        listing_table_print(ps.table, stdout, 2);
    if (at[0])
        printf("\nLast change: %s (%s)\n", at, what);
    listing_table_free(ps.table);
    json_decref(ps.json);
    return CLI_EXIT_OK;
}
