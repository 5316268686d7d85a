/*
 * cmd_sources.c — `kartoteka sources [--long] [--db FILE] [--json]`: the
 * sources in the database with their record counts, and with --long what
 * each is: archive reference, licence, URL, file and checksum.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/listing.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka sources [--long] [--db FILE] [--json]\n"
        "\n"
        "Lists the sources (lists, registers, books) the records come from:\n"
        "key, title, number of records, language and script, date imported.\n"
        "--long adds what each source is: its archive reference or publication,\n"
        "licence, URL (as given to 'kartoteka import --archive-ref --licence --url'),\n"
        "the file imported and its SHA-256.\n"
        "\n"
        "options:\n"
        "  --long      every field of each source, one block each\n"
        "  --db FILE   database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
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
             s->language && *s->language && s->script ? "/" : "",
             s->script ? s->script : "");
    if (o->longform) {
        char l[32];
        printf("%s%s  %s\n", o->n > 1 ? "\n" : "", s->key, s->title ? s->title : "");
        printf("  records    %s (%s linked to a person)\n",
               listing_number(records, n, sizeof n), listing_number(linked, l, sizeof l));
        const struct {
            const char *label, *value;
        } f[] = {{"language", lang},         {"archive", s->reference}, {"date", s->date},
                 {"licence", s->licence},    {"url", s->url},           {"file", s->file_name},
                 {"sha256", s->checksum},    {"imported", s->imported_at}};
        for (size_t i = 0; i < sizeof f / sizeof *f; i++)
            if (f[i].value && *f[i].value)
                printf("  %-10s %s\n", f[i].label, f[i].value);
        return 0;
    }
    const char *date = s->imported_at ? s->imported_at : "";
    char day[11];
    snprintf(day, sizeof day, "%s", date); /* the day is enough here */
    const char *row[] = {s->key, s->title, listing_number(records, n, sizeof n), lang,
                         day};
    return listing_out_row(o, row);
}

int cmd_sources(int argc, char **argv)
{
    const char *db = cli_default_db();
    int json = 0, longform = 0;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "json", .flag = &json},
        {.name = "long", .flag = &longform},
        {.name = NULL},
    };
    int code;
    store *st = cli_start(argc, argv, opts, usage, &db, &code);
    if (!st)
        return code;
    static const char *const headers[] = {"KEY", "TITLE", "RECORDS", "LANGUAGE",
                                          "IMPORTED"};
    listing_out o;
    listing_out_start(&o, json, longform && !json, 5, headers);
    if (o.table) {
        listing_table_max(o.table, 1, 60);
        listing_table_right(o.table, 2);
    }
    kt_error err;
    kt_error_clear(&err);
    int rc = store_sources_each(st, add_source, &o, &err);
    store_close(st);
    return listing_out_finish(&o, rc, &err,
                              "No sources yet. Add one with: kartoteka import FILE --source KEY",
                              NULL);
}
