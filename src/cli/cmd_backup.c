/*
 * cmd_backup.c — `kartoteka backup FILE [--db FILE] [--json]`: a checked
 * copy of the database, taken with SQLite's online backup while imports
 * or the web server go on (store_backup, store/maintenance.h).
 */
#include <stdio.h>

#include "cli/cli.h"
#include "store/maintenance.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka backup FILE [--db FILE] [--json]\n"
        "\n"
        "Copies the database into the new file FILE: one consistent snapshot,\n"
        "taken with SQLite's online backup, safe while an import or the web\n"
        "server writes. The copy is verified (quick_check, the kartoteka identity)\n"
        "and flushed to disk before it gets its name, so FILE is either a whole,\n"
        "checked database or absent. FILE must not exist: a backup never\n"
        "overwrites. The file a killed backup to FILE left beside it\n"
        "(FILE.partial-PID-XXXXXX, its process gone) is removed, saying so.\n"
        "\n"
        "To restore: kartoteka restore FILE --db DATABASE (one transaction, safe\n"
        "while others read); or, with nothing else using the database, copy FILE\n"
        "over it and delete DATABASE-wal and DATABASE-shm. Then: kartoteka check.\n"
        "\n"
        "options:\n"
        "  --db FILE   database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json      the outcome as JSON\n"
        "  --help      this text\n"
        "\n"
        "exit codes: 0 backed up; 1 database or file system failure (nothing\n"
        "left behind); 2 wrong arguments; 3 FILE is the database itself or a\n"
        "directory; 4 FILE exists; 5 no database\n");
}

int cmd_backup(int argc, char **argv)
{
    const char *db = cli_default_db();
    int json = 0;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    const char *dest = NULL;
    int code = cli_options_operand(argc, argv, opts, usage,
                                   "which FILE? (kartoteka backup FILE)", &dest);
    if (code != CLI_CONTINUE)
        return code;
    store *st = cli_open_store(db, &code);
    if (!st)
        return code;
    /* what a killed backup to the same file left */
    kt_leftovers_sweep(KT_LEFTOVER_BACKUP, dest, cli_report_leftover, argv[0], NULL);
    kt_error err;
    kt_error_clear(&err);
    store_backup_result res;
    int rc = store_backup(st, dest, &res, &err);
    store_close(st);
    if (rc != KT_OK)
        return cli_fail(rc, &err);
    if (json)
        return cli_print_json(json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:i, s:s}", "database",
                                        db, "backup", dest, "bytes", (json_int_t)res.bytes,
                                        "pages", (json_int_t)res.pages, "sources",
                                        (json_int_t)res.sources, "records",
                                        (json_int_t)res.records, "schema_version",
                                        res.schema_version, "quick_check", "ok"),
                              JSON_COMPACT)
                   ? CLI_EXIT_ERROR
                   : CLI_EXIT_OK;
    printf("backed up %s to %s: %lld records in %lld sources, schema version %d, "
           "%lld bytes; quick_check ok\n",
           db, dest, (long long)res.records, (long long)res.sources, res.schema_version,
           (long long)res.bytes);
    return CLI_EXIT_OK;
}
