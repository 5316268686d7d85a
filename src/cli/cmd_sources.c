/*
 * cmd_sources.c — `kartoteka sources [--db FILE] [--json]`: the sources in
 * the database with their record counts.
 */
#include <getopt.h>
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

typedef struct out {
    listing_table *table;
    json_t *json;
} out;

static int add_source(void *ctx, const store_source *s, int64_t records, int64_t linked)
{
    out *o = ctx;
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "key", json_string(s->key));
        json_object_set_new(j, "title", listing_json_str(s->title));
        json_object_set_new(j, "records", json_integer(records));
        json_object_set_new(j, "linked_records", json_integer(linked));
        json_object_set_new(j, "language", listing_json_str(s->language));
        json_object_set_new(j, "script", listing_json_str(s->script));
        json_object_set_new(j, "reference", listing_json_str(s->reference));
        json_object_set_new(j, "date", listing_json_str(s->date));
        json_object_set_new(j, "licence", listing_json_str(s->licence));
        json_object_set_new(j, "url", listing_json_str(s->url));
        json_object_set_new(j, "file_name", listing_json_str(s->file_name));
        json_object_set_new(j, "checksum", listing_json_str(s->checksum));
        json_object_set_new(j, "imported_at", listing_json_str(s->imported_at));
        return json_array_append_new(o->json, j) ? KT_ERR_NOMEM : 0;
    }
    char n[32], lang[32];
    snprintf(lang, sizeof lang, "%s%s%s", s->language ? s->language : "",
             s->script ? "/" : "", s->script ? s->script : "");
    const char *date = s->imported_at ? s->imported_at : "";
    char day[11];
    snprintf(day, sizeof day, "%s", date); /* the day is enough here */
    const char *row[] = {s->key, s->title, listing_number(records, n, sizeof n), lang,
                         day};
    return listing_table_add(o->table, row) ? KT_ERR_NOMEM : 0;
}

int cmd_sources(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = CLI_DEFAULT_DB;
    int json = 0, c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default:
            return cli_usage_error(argv[0], "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);

    int code;
    store *st = listing_open(db, &code);
    if (!st)
        return code;
    static const char *const headers[] = {"KEY", "TITLE", "RECORDS", "LANGUAGE",
                                          "IMPORTED"};
    out o = {0};
    if (json)
        o.json = json_array();
    else {
        o.table = listing_table_new(5, headers);
        listing_table_max(o.table, 1, 60);
        listing_table_right(o.table, 2);
    }
    kt_error err;
    kt_error_clear(&err);
    int rc = store_sources_each(st, add_source, &o, &err);
    store_close(st);
    if (rc != KT_OK) {
        if (!err.message[0])
            kt_error_set(&err, "out of memory");
        cli_print_error(&err);
        json_decref(o.json);
        listing_table_free(o.table);
        return CLI_EXIT_ERROR;
    }
    if (json)
        return listing_json_print(o.json) ? CLI_EXIT_ERROR : CLI_EXIT_OK;
    if (listing_table_rows(o.table) == 0)
        printf("No sources yet. Add one with: kartoteka import FILE --source KEY\n");
    else
        listing_table_print(o.table, stdout, 0);
    listing_table_free(o.table);
    return CLI_EXIT_OK;
}
