/*
 * cmd_sources.c — `kartoteka sources [--db FILE] [--json]`: the sources in
 * the database with their record counts.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/listing.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka sources [--db FILE] [--json]\n"
        "\n"
        "Lists the sources (lists, registers, books) the records come from:\n"
        "key, title, number of records, language and script, date imported.\n"
        "\n"
        "options:\n"
        "  --db FILE   database (default ./" CLI_DEFAULT_DB ")\n"
        "  --json      all fields of every source, as JSON\n"
        "  --help      this text\n");
}

static int add_source(void *ctx, const store_source *s, int64_t records, int64_t linked)
{
    listing_out *o = ctx;
    o->n++;
    if (o->json) {
return listing_out_json(o, store_source_json(s, records, linked));
    }
    char n[32], lang[32];
    snprintf(lang, sizeof lang, "%s%s%s", s->language ? s->language : "",
             s->script ? "/" : "", s->script ? s->script : "");
    const char *date = s->imported_at ? s->imported_at : "";
    char day[11];
    snprintf(day, sizeof day, "%s", date); /* the day is enough here */
    const char *row[] = {s->key, s->title, listing_number(records, n, sizeof n), lang,
                         day};
    return listing_out_row(o, row);
}

int cmd_sources(int argc, char **argv)
{
    const char *db = CLI_DEFAULT_DB;
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
    static const char *const headers[] = {"KEY", "TITLE", "RECORDS", "LANGUAGE",
                                          "IMPORTED"};
    listing_out o;
    listing_out_start(&o, json, 0, 5, headers);
    listing_table_max(o.table, 1, 60);
    listing_table_right(o.table, 2);
    kt_error err;
    kt_error_clear(&err);
    int rc = store_sources_each(st, add_source, &o, &err);
    store_close(st);
    return listing_out_finish(&o, rc, &err,
                              "No sources yet. Add one with: kartoteka import FILE --source KEY",
                              NULL);
}
