/*
 * cmd_records.c — `kartoteka records [--source KEY] [--limit N] [--json]`:
 * records as their sources give them, one line each (text) or with every
 * field and the raw source row (JSON).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/listing.h"
#include "store/json.h"

#define DEFAULT_LIMIT 50

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka records [--source KEY] [--limit N] [--db FILE] [--json]\n"
        "\n"
        "Lists records in the order they were stored: the store's id, the source\n"
        "and the list's own key (KEY: 'kartoteka show --source SOURCE KEY' shows\n"
        "the record), surname, given names, father's name or patronymic, birth\n"
        "year, rank, camp, fate, and the person a record is linked to. --json\n"
        "gives every field, the raw source row and its line in the source file,\n"
        "as {\"records\": [...], \"shown\": N, \"total\": N, \"truncated\": false}.\n"
        "\n"
        "options:\n"
        "  --source KEY  only the records of this source (see 'kartoteka sources')\n"
        "  --limit N     at most N records (default %d; 0 = all); a list cut short\n"
        "                says so (JSON: \"truncated\": true)\n"
        "  --db FILE     database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json        full records as JSON\n"
        "  --help        this text\n", DEFAULT_LIMIT);
}

typedef struct out {
    long limit, shown;
    listing_table *table;
    int json; /* records are streamed, one JSON object a line, in an array */
} out;

static int add_record(void *ctx, const store_record *r)
{
    out *o = ctx;
    if (o->limit > 0 && o->shown >= o->limit)
        return 1; /* enough: stop the walk */
    o->shown++;
    if (o->json) {
        /* Streamed rather than built whole: --limit 0 on a million records
         * must not hold them all in memory. */
        json_t *j = store_record_json(r);
        char *text = j ? json_dumps(j, JSON_PRESERVE_ORDER) : NULL;
        json_decref(j);
        if (!text)
            return KT_ERR_NOMEM;
        printf("%s%s", o->shown > 1 ? ",\n  " : "\n  ", text);
        free(text);
        return 0;
    }
    char id[32], born[16] = "", person[32] = "";
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    if (r->birth_year)
        snprintf(born, sizeof born, "%d", r->birth_year);
    else if (r->birth_date)
        snprintf(born, sizeof born, "%s", r->birth_date);
    if (r->person_id)
        snprintf(person, sizeof person, "%lld", (long long)r->person_id);
    const char *surname = r->surname ? r->surname : r->name;
    const char *father = r->patronymic ? r->patronymic : r->father_name;
    const char *rank = r->rank ? r->rank : r->occupation;
    const char *row[] = {id, r->source_key, r->record_key, surname, r->given_names, father,
                         born, rank, r->camp, r->fate, person};
    return listing_table_add(o->table, row) ? KT_ERR_NOMEM : 0;
}

int cmd_records(int argc, char **argv)
{
    const char *db = cli_default_db(), *source = NULL;
    long limit = DEFAULT_LIMIT;
    int json = 0;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "source", .value = &source},
        {.name = "limit", .read = cli_read_limit, .dest = &limit},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    int code;
    store *st = cli_start(argc, argv, opts, usage, &db, &code);
    if (!st)
        return code;
    /* the store's id and the list's own key (the one people hold) */
    static const char *const headers[] = {"ID", "SOURCE", "KEY", "SURNAME", "GIVEN NAMES",
                                          "FATHER / PATRONYMIC", "BORN", "RANK",
                                          "CAMP", "FATE", "PERSON"};
    enum { NCOLS = sizeof headers / sizeof headers[0] };
    static const size_t widths[NCOLS] = {0, 18, 14, 24, 22, 16, 0, 20, 12, 28, 0};
    out o = {.limit = limit, .json = json};
    if (!json) {
        o.table = listing_table_new(NCOLS, headers);
        for (int i = 0; i < NCOLS; i++)
            listing_table_max(o.table, i, widths[i]);
        listing_table_right(o.table, 0);
        listing_table_right(o.table, NCOLS - 1);
    }
    kt_error err;
    kt_error_clear(&err);
    if (json)
        printf("{\"records\": [");
    int rc = store_records_each(st, source, add_record, &o, &err);
    int truncated = rc == 1; /* the walk stopped at a record beyond the limit */
    int64_t total = -1;
    if (rc == 1 || rc == KT_OK) {
        rc = KT_OK;
        if (source) {
            store_source src;
            sqlite3_stmt *s = NULL;
            if (store_source_get(st, source, &src, &err) == KT_OK &&
                sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM record WHERE"
                                   " source_id = ?1", -1, &s, NULL) == SQLITE_OK) {
                sqlite3_bind_int64(s, 1, src.id);
                if (sqlite3_step(s) == SQLITE_ROW)
                    total = sqlite3_column_int64(s, 0);
            }
            sqlite3_finalize(s);
        } else {
            total = store_count(st, "record");
        }
    }
    store_close(st);
    if (rc != KT_OK) {
        if (json)
            printf("\n]}\n"); /* keep what was written parseable */
        listing_table_free(o.table);
        return cli_fail(rc, &err);
    }
    if (json) {
        printf("%s, \"shown\": %ld, \"total\": %lld, \"truncated\": %s}\n",
               o.shown ? "\n]" : "]", o.shown, (long long)total, truncated ? "true" : "false");
        return fflush(stdout) == 0 && !ferror(stdout) ? CLI_EXIT_OK : CLI_EXIT_ERROR;
    }
    if (o.shown == 0) {
        printf("No records%s%s.\n", source ? " in source " : "", source ? source : "");
    } else {
        listing_table_print(o.table, stdout, 0);
        if (total > o.shown) {
            char a[32], b[32];
            printf("\n%s of %s records shown; --limit N for more, --limit 0 for all.\n",
                   listing_number(o.shown, a, sizeof a), listing_number(total, b, sizeof b));
        }
    }
    listing_table_free(o.table);
    return CLI_EXIT_OK;
}
