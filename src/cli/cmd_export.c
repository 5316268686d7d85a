/*
 * cmd_export.c — `kartoteka export KIND ...`: what the database holds,
 * written out for other tools. One kind per entry of the table below, each
 * with its own options; `records` writes records as CSV that `import`
 * reads back into an equal list, or JSON (store/export.h); `persons`
 * writes persons as CSV, JSON or GEDCOM (cmd_export_persons.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/export.h"

static void usage(FILE *out);

static void records_usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka export records [--source KEY] [--format csv|json]\n"
        "                                [--output FILE] [--db FILE]\n"
        "\n"
        "Writes records in the order they were stored, every field: as CSV (the\n"
        "default) with the import's column names, which 'kartoteka import' reads\n"
        "back into an equal list (names in brackets give the same other names), or\n"
        "as a JSON array of the records as 'records --json' shows them.\n"
        "\n"
        "options:\n"
        "  --source KEY   only the records of this source (default: all)\n"
        "  --format F     csv (default) or json\n"
        "  --output FILE  write to FILE (default: standard output)\n"
        "  --db FILE      database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --help         this text\n"
        "\n"
        "exit codes: 0 written; 1 database or file system failure; 2 wrong\n"
        "arguments; 5 no such source or no database\n");
}

static int export_records(int argc, char **argv)
{
    const char *db = cli_default_db(), *source = NULL, *format = "csv", *output = NULL;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "source", .value = &source},
        {.name = "format", .value = &format},
        {.name = "output", .value = &output},
        {.name = NULL},
    };
    int code = cli_options_only(argc, argv, opts, records_usage);
    if (code != CLI_CONTINUE)
        return code;
    int fmt;
    if (!strcmp(format, "csv"))
        fmt = STORE_EXPORT_CSV;
    else if (!strcmp(format, "json"))
        fmt = STORE_EXPORT_JSON;
    else
        return cli_usage_error("export records", "--format is csv or json, not '%s'", format);
    store *st = cli_open_store(db, &code);
    if (!st)
        return code;
    FILE *out = stdout;
    if (output && !(out = fopen(output, "wb"))) {
        fprintf(stderr, "kartoteka: %s: cannot write: %m\n", output);
        store_close(st);
        return CLI_EXIT_ERROR;
    }
    kt_error err;
    kt_error_clear(&err);
    long n = 0;
    int rc = store_export_records(st, source, fmt, out, &n, &err);
    if (out != stdout && fclose(out) != 0 && rc == KT_OK) {
        kt_error_set(&err, "%s: writing failed", output);
        rc = KT_ERR;
    }
    store_close(st);
    if (rc != KT_OK)
        return cli_fail(rc, &err);
    if (output)
        fprintf(stderr, "wrote %ld records to %s\n", n, output);
    return CLI_EXIT_OK;
}

/* The kinds that can be exported; another kind is one more line. */
static const struct {
    const char *name;
    cli_command_fn fn;
    const char *summary;
} kinds[] = {
    {"records", export_records, "records as CSV (re-importable) or JSON"},
    {"persons", cmd_export_persons, "persons as CSV, JSON or GEDCOM 5.5.1"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: kartoteka export KIND [options]   (kartoteka export KIND --help)\n\n"
                 "kinds:\n");
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        fprintf(out, "  %-10s %s\n", kinds[i].name, kinds[i].summary);
}

int cmd_export(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (!strcmp(argv[1], kinds[i].name))
            return kinds[i].fn(argc - 1, argv + 1);
    char list[256] = "";
    for (size_t i = 0, n = 0; i < sizeof kinds / sizeof *kinds && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", kinds[i].name);
    return cli_usage_error("export", "unknown kind '%s' (kinds: %s)", argv[1], list);
}
