/*
 * cmd_documents.c — `kartoteka documents [--json]`: the key documents
 * (orders, notes, lists, reports), dated, with authors, signatories and
 * where they are kept or were published.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/listing.h"
#include "store/history.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka documents [--long] [--db FILE] [--json]\n"
        "\n"
        "Key documents: the NKVD orders, Beria's note and the decision of\n"
        "5 March 1940, the Shelepin note, the dispatch lists, reports and later\n"
        "publications, with date, author, signatories and archive or publication.\n"
        "\n"
        "options:\n"
        "  --long      with signatories, archive, summary and source URLs\n"
        "  --db FILE   database (default ./" CLI_DEFAULT_DB ")\n"
        "  --json      as JSON (source URLs as an array)\n"
        "  --help      this text\n");
}

typedef struct out {
    listing_table *table;
    json_t *json;
    int longform, n;
} out;

static int add_document(void *ctx, const history_document *d)
{
    out *o = ctx;
    o->n++;
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "id", json_string(d->id));
        json_object_set_new(j, "date", listing_json_str(d->date));
        json_object_set_new(j, "title", json_string(d->title));
        json_object_set_new(j, "author", listing_json_str(d->author));
        json_object_set_new(j, "signatories", listing_json_str(d->signatories));
        json_object_set_new(j, "archive_or_publication",
                            listing_json_str(d->archive_or_publication));
        json_object_set_new(j, "summary", listing_json_str(d->summary));
        json_object_set_new(j, "source_urls", listing_json_urls(d->source_urls));
        return json_array_append_new(o->json, j) ? KT_ERR_NOMEM : 0;
    }
    if (o->longform) {
        printf("%s%s  %s\n", o->n > 1 ? "\n" : "", d->date, d->title);
        if (*d->author)
            printf("    author: %s\n", d->author);
        if (*d->signatories)
            printf("    signed: %s\n", d->signatories);
        if (*d->archive_or_publication)
            printf("    kept/published: %s\n", d->archive_or_publication);
        if (*d->summary)
            listing_wrap(stdout, d->summary, 4, 76);
        const char *u = d->source_urls;
        char url[2048];
        while (history_url_next(&u, url, sizeof url))
            printf("    %s\n", url);
        return 0;
    }
    const char *row[] = {d->date, d->title, d->author};
    return listing_table_add(o->table, row) ? KT_ERR_NOMEM : 0;
}

int cmd_documents(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"long", no_argument, NULL, 'l'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = CLI_DEFAULT_DB;
    int json = 0, longform = 0, c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l': longform = 1; break;
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
    static const char *const headers[] = {"DATE", "DOCUMENT", "AUTHOR"};
    out o = {.longform = longform};
    if (json)
        o.json = json_array();
    else if (!longform) {
        o.table = listing_table_new(3, headers);
        listing_table_max(o.table, 1, 72);
        listing_table_max(o.table, 2, 40);
    }
    kt_error err;
    kt_error_clear(&err);
    int rc = history_documents_each(st, add_document, &o, &err);
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
    if (o.n == 0)
        printf("No documents in this database (kartoteka init loads them).\n");
    else if (o.table) {
        listing_table_print(o.table, stdout, 0);
        printf("\n%d documents; signatories, archives, summaries and sources: "
               "kartoteka documents --long\n", o.n);
    }
    listing_table_free(o.table);
    return CLI_EXIT_OK;
}
