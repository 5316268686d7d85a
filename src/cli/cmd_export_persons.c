/*
 * cmd_export_persons.c — `kartoteka export persons --format csv|json|gedcom
 * [--source KEY] [--output FILE]`: persons for other tools; GEDCOM 5.5.1
 * for genealogists (the writing is in src/link/export.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "link/link.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka export persons [--format csv|json|gedcom] [--source KEY]\n"
        "                                [--output FILE] [--db FILE]\n"
        "\n"
        "Writes every person (with a record in --source, if given):\n"
        "  csv     one row per record of a person: person id and label, source,\n"
        "          record_key, record id, the names, birth, rank, fate, and how\n"
        "          the record was linked (the default)\n"
        "  json    an array of persons as 'kartoteka show --json' gives them\n"
        "  gedcom  GEDCOM 5.5.1 (UTF-8): one individual per person with each name\n"
        "          form, the birth, the fate as an event, every record as a source\n"
        "          citation; Gramps and other genealogy programs import it\n"
        "\n"
        "options:\n"
        "  --format F     csv, json or gedcom\n"
        "  --source KEY   only persons with a record in this source\n"
        "  --output FILE  write to FILE (default: standard output)\n"
        "  --db FILE      database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --help         this text\n");
}

int cmd_export_persons(int argc, char **argv)
{
    const char *db = cli_default_db(), *format = "csv", *source = NULL, *output = NULL;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "format", .value = &format},
        {.name = "source", .value = &source},
        {.name = "output", .value = &output},
        {.name = NULL},
    };
    int code = cli_options_only(argc, argv, opts, usage);
    if (code != CLI_CONTINUE)
        return code;
    int fmt;
    if (!strcmp(format, "csv"))
        fmt = LINK_EXPORT_CSV;
    else if (!strcmp(format, "json"))
        fmt = LINK_EXPORT_JSON;
    else if (!strcmp(format, "gedcom") || !strcmp(format, "ged"))
        fmt = LINK_EXPORT_GEDCOM;
    else
        return cli_usage_error("export persons", "--format is csv, json or gedcom, not '%s'",
                               format);
    store *st = cli_open_store(db, &code);
    if (!st)
        return code;
    kt_error err;
    kt_error_clear(&err);
    if (source) {
        store_source src;
        if (store_source_get(st, source, &src, &err) != KT_OK) {
            store_close(st);
            return cli_fail(KT_ERR_NOTFOUND, &err);
        }
    }
    FILE *out = output ? fopen(output, "w") : stdout;
    if (!out) {
        store_close(st);
        kt_error_set(&err, "%s: cannot write", output);
        return cli_fail(KT_ERR, &err);
    }
    long count = 0;
    int rc = link_export_persons(st, fmt, source, out, &count, &err);
    store_close(st);
    if (output && fclose(out) != 0 && rc == KT_OK) {
        kt_error_set(&err, "%s: writing failed", output);
        rc = KT_ERR;
    }
    if (rc != KT_OK)
        return cli_fail(rc, &err);
    if (output)
        fprintf(stderr, "%ld persons written to %s\n", count, output);
    return CLI_EXIT_OK;
}
