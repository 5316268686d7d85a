/*
 * cmd_restore.c — `kartoteka restore BACKUP [--db FILE] [--json]`: the
 * database's contents replaced by a backup's, in one transaction
 * (store_restore, store/maintenance.h).
 */
#include <stdio.h>

#include "cli/cli.h"
#include "store/maintenance.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka restore BACKUP [--db FILE] [--json]\n"
        "\n"
        "Replaces the contents of the database with those of BACKUP (made by\n"
        "'kartoteka backup'). BACKUP is verified first: an SQLite file with the\n"
        "kartoteka identity, a schema version this kartoteka knows, quick_check ok.\n"
        "The database is then rewritten in one transaction, through SQLite's online\n"
        "backup: other readers see the old contents or the new, never a mix. A\n"
        "database that does not exist is created; one that is not a kartoteka\n"
        "database is refused. Everything written since the backup is lost: make a\n"
        "backup of the current state first if in doubt.\n"
        "\n"
        "options:\n"
        "  --db FILE   database to restore into (default $KARTOTEKA_DB, else\n"
        "              ./" CLI_DEFAULT_DB ")\n"
        "  --json      the outcome as JSON\n"
        "  --help      this text\n"
        "\n"
        "exit codes: 0 restored; 1 database or file system failure (nothing\n"
        "changed); 2 wrong arguments; 3 BACKUP is not a sound kartoteka database,\n"
        "or the database is not one (nothing changed); 5 no BACKUP\n");
}

int cmd_restore(int argc, char **argv)
{
    const char *db = cli_default_db();
    int json = 0;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    const char *backup = NULL;
    int code = cli_options_operand(argc, argv, opts, usage,
                                   "which BACKUP? (kartoteka restore BACKUP --db FILE)", &backup);
    if (code != CLI_CONTINUE)
        return code;
    kt_error err;
    kt_error_clear(&err);
    store_backup_result res;
    int rc = store_restore(backup, db, &res, &err);
    if (rc != KT_OK)
        return cli_fail(rc, &err);
    if (json)
        return cli_print_json(json_pack("{s:s, s:s, s:I, s:I, s:i}", "database", db, "backup",
                                        backup, "sources", (json_int_t)res.sources, "records",
                                        (json_int_t)res.records, "schema_version",
                                        res.schema_version),
                              JSON_COMPACT)
                   ? CLI_EXIT_ERROR
                   : CLI_EXIT_OK;
    printf("restored %s from %s: %lld records in %lld sources, schema version %d\n", db, backup,
           (long long)res.records, (long long)res.sources, res.schema_version);
    return CLI_EXIT_OK;
}
