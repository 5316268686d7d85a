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
        json_t *j = json_object();
        json_object_set_new(j, "key", json_string(s->key));
        json_object_set_new(j, "title", store_json_str(s->title));
        json_object_set_new(j, "records", json_integer(records));
        json_object_set_new(j, "linked_records", json_integer(linked));
        json_object_set_new(j, "language", store_json_str(s->language));
        json_object_set_new(j, "script", store_json_str(s->script));
        json_object_set_new(j, "reference", store_json_str(s->reference));
        json_object_set_new(j, "date", store_json_str(s->date));
        json_object_set_new(j, "licence", store_json_str(s->licence));
        json_object_set_new(j, "url", store_json_str(s->url));
        json_object_set_new(j, "file_name", store_json_str(s->file_name));
        json_object_set_new(j, "checksum", store_json_str(s->checksum));
        json_object_set_new(j, "imported_at", store_json_str(s->imported_at));
        return listing_out_json(o, j);
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
