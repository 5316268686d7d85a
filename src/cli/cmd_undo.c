/*
 * cmd_undo.c — `kartoteka undo`: reverts the latest linkage run or review
 * decision, restoring the persons exactly as they were before it.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "store/persons.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka undo [--db FILE] [--json]\n"
        "\n"
        "Reverts the latest 'kartoteka link' run or 'kartoteka review accept|reject'\n"
        "not yet undone: every link it changed goes back to what it was (person,\n"
        "method, weight, who, why and when), the persons it made are removed, those\n"
        "it removed come back with their ids, and a decision it recorded gives way\n"
        "to the one before. Run it again to go further back. Exit code 5 when\n"
        "there is nothing to undo.\n"
        "\n"
        "options:\n"
        "  --db FILE   database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json      the report as JSON\n"
        "  --help      this text\n");
}

int cmd_undo(int argc, char **argv)
{
    const char *db = cli_default_db();
    int json = 0;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    int code = cli_options_only(argc, argv, opts, usage);
    if (code != CLI_CONTINUE)
        return code;
    store *st = cli_open_store_write(db, &code);
    if (!st)
        return code;
    kt_error err;
    kt_error_clear(&err);
    store_undo_info info;
    int rc = store_run_undo(st, &info, &err);
    store_close(st);
    if (rc != KT_OK)
        return cli_fail(rc, &err);
    if (json) {
        json_t *j = json_object();
        json_object_set_new(j, "run_id", json_integer(info.run_id));
        json_object_set_new(j, "kind", json_string(info.kind));
        json_object_set_new(j, "at", json_string(info.at));
        json_object_set_new(j, "links_restored", json_integer(info.records));
        json_object_set_new(j, "persons_restored_or_removed", json_integer(info.persons));
        return cli_print_json(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? CLI_EXIT_ERROR
                                                                        : CLI_EXIT_OK;
    }
    printf("undone: %s run %lld of %s (%lld links restored, %lld persons restored or"
           " removed)\n", info.kind, (long long)info.run_id, info.at,
           (long long)info.records, (long long)info.persons);
    return CLI_EXIT_OK;
}
