/*
 * main.c — `kartoteka <command>`: finds the command and runs it.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
    const char *name;
    cli_command_fn fn;
    const char *summary;
} commands[] = {
    {"init", cmd_init, "create a database with the bundled data"},
    {"import", cmd_import, "import a CSV list as a new source"},
    {"search", cmd_search, "find people under any spelling of their name"},
    {"sources", cmd_sources, "list the sources and their record counts"},
    {"records", cmd_records, "list records (of one source with --source KEY)"},
    {"figures", cmd_figures, "contested figures, every estimate side by side"},
    {"events", cmd_events, "the timeline of events"},
    {"places", cmd_places, "camps, prisons, execution and burial sites"},
    {"documents", cmd_documents, "key documents and their archive references"},
    {"stats", cmd_stats, "an overview of what the database holds"},
    {"export", cmd_export, "write records or persons out as CSV, JSON or GEDCOM"},
    {"check", cmd_check, "check the database's integrity, links and raw rows"},
    {"backup", cmd_backup, "copy the database safely while it is in use"},
    {"restore", cmd_restore, "replace the database's contents with a backup's"},
    {"serve", cmd_serve, "the registry on the web: pages and a JSON API"},
    {"link", cmd_link, "link the lists' records into persons"},
    {"persons", cmd_persons, "list persons with their records"},
    {"show", cmd_show, "one person (or record): every record side by side, why linked"},
    {"review", cmd_review, "doubtful pairs; accept or reject a pair"},
    {"undo", cmd_undo, "revert the latest link run or review decision"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "kartoteka — registry of Polish prisoners of war in the USSR after 1939\n\n"
            "usage: kartoteka <command> [options]   (kartoteka <command> --help)\n\n"
            "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\ncommon options: --db FILE (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB "),\n"
            "                --json, --help; kartoteka --version\n\n"
            "exit codes:\n"
            "  0  success\n"
            "  1  runtime failure (database, file system)\n"
            "  2  wrong arguments\n"
            "  3  input rejected (bad file or row); nothing was changed\n"
            "  4  refused (e.g. the same file imported twice without --replace)\n"
            "  5  not found\n");
}

int main(int argc, char **argv)
{
    cli_safe_output();
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("kartoteka %s\n", CLI_VERSION);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "kartoteka: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
