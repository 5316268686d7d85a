/*
 * cmd_export.c — `kartoteka export KIND ...`: what the database holds,
 * written out for other tools, one kind per entry of the table below.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
    const char *kind;
    cli_command_fn fn;
    const char *summary;
} kinds[] = {
    {"persons", cmd_export_persons, "persons as CSV, JSON or GEDCOM 5.5.1"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: kartoteka export KIND [options]   (kartoteka export KIND --help)\n\n"
                 "kinds:\n");
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        fprintf(out, "  %-10s %s\n", kinds[i].kind, kinds[i].summary);
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
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(argv[1], kinds[i].kind))
            return kinds[i].fn(argc - 1, argv + 1);
    return cli_usage_error("export", "unknown kind '%s' (see 'kartoteka export --help')",
                           argv[1]);
}
