/*
 * cmd_documents.c — `kartoteka documents [--json]`: the key documents
 * (orders, notes, lists, reports), dated, with authors, signatories and
 * where they are kept or were published.
 */
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
        "  --db FILE   database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json      as JSON (source URLs as an array)\n"
        "  --help      this text\n");
}

static int add_document(void *ctx, const history_document *d)
{
    listing_out *o = ctx;
    o->n++;
    if (o->json) {
return listing_out_json(o, store_document_json(d));
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
        listing_urls(d->source_urls);
        return 0;
    }
    const char *row[] = {d->date, d->title, d->author};
    return listing_out_row(o, row);
}

int cmd_documents(int argc, char **argv)
{
    const char *db = cli_default_db();
    int json = 0, longform = 0;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "long", .flag = &longform},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    int code;
    store *st = cli_start(argc, argv, opts, usage, &db, &code);
    if (!st)
        return code;
    static const char *const headers[] = {"DATE", "DOCUMENT", "AUTHOR"};
    listing_out o;
    listing_out_start(&o, json, longform, 3, headers);
    listing_table_max(o.table, 1, 72);
    listing_table_max(o.table, 2, 40);
    kt_error err;
    kt_error_clear(&err);
    int rc = history_documents_each(st, add_document, &o, &err);
    store_close(st);
    return listing_out_finish(&o, rc, &err,
                              "No documents in this database (kartoteka init loads them).",
                              "documents; signatories, archives, summaries and sources: "
                              "kartoteka documents --long");
}
