/*
 * cmd_init.c — `kartoteka init [--db FILE] [--force]`: creates a database
 * and loads the bundled data (history and the two-spelling persons).
 *
 * Guarantees: an existing file is never overwritten without --force, and
 * even with --force only when it is a kartoteka database (or empty). The
 * new database is built under a temporary name beside FILE and renamed
 * into place at the end, so a failed init leaves no half-built file and
 * the previous database intact; the temporary name carries the process id
 * (util/leftover.h), and the file a killed init left is removed by the
 * next init of the same database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/history.h"
#include "store/store.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka init [--db FILE] [--force]\n"
        "\n"
        "Creates a new registry database and loads the bundled data: camps,\n"
        "prisons and execution sites; the timeline; key documents; the contested\n"
        "figures with every claim and its sources; and real persons with their\n"
        "names in Polish and in Russian spelling.\n"
        "\n"
        "The database is built beside FILE (FILE.init-PID-XXXXXX) and renamed into\n"
        "place when whole; what a killed init of FILE left there (its process\n"
        "gone) is removed, saying so.\n"
        "\n"
        "options:\n"
        "  --db FILE   database to create (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --force     replace FILE if it is already a kartoteka database\n"
        "  --help      this text\n"
        "\n"
        "exit codes: 0 created; 1 failure; 2 wrong arguments; 4 FILE exists\n"
        "(without --force) or is not a kartoteka database.\n");
}

#define PATH_CAP 4100 /* paths are checked to be shorter than 4000 */

static void remove_side_files(const char *path)
{
    char p[PATH_CAP + 8];
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static void remove_db_files(const char *path)
{
    unlink(path);
    remove_side_files(path);
}

int cmd_init(int argc, char **argv)
{
    const char *db = cli_default_db();
    int force = 0;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "force", .flag = &force},
        {.name = NULL},
    };
    int code = cli_options_only(argc, argv, opts, usage);
    if (code != CLI_CONTINUE)
        return code;
    if (strlen(db) > 4000)
        return cli_usage_error(argv[0], "database path too long");

    struct stat sb;
    if (stat(db, &sb) == 0) {
        if (!force) {
            fprintf(stderr, "kartoteka init: %s already exists; use --force to "
                    "replace it\n", db);
            return CLI_EXIT_REFUSED;
        }
        if (!S_ISREG(sb.st_mode) || !store_file_replaceable(db)) {
            fprintf(stderr, "kartoteka init: %s is not a kartoteka database; "
                    "not replacing it, even with --force\n", db);
            return CLI_EXIT_REFUSED;
        }
    }

    kt_leftovers_sweep(KT_LEFTOVER_INIT, db, cli_report_leftover, argv[0], NULL);
    char tmp[PATH_CAP];
    kt_leftover_name(KT_LEFTOVER_INIT, db, tmp, sizeof tmp); /* fits: db < 4000 bytes */
    int fd = mkstemp(tmp);
    if (fd < 0) {
        perror("kartoteka init: cannot create a file beside the database");
        return CLI_EXIT_ERROR;
    }
    close(fd);

    kt_error err;
    kt_error_clear(&err);
    store *st = NULL;
    history_counts n;
    int rc = store_open(tmp, 1, &st, &err);
    if (rc == KT_OK)
        rc = history_load(st, &n, &err);
    int version = st ? store_schema_version(st) : 0;
    store_close(st); /* checkpoints and removes the -wal file */
    if (rc != KT_OK) {
        cli_print_error(&err);
        remove_db_files(tmp);
        return cli_exit_for(rc) == CLI_EXIT_INPUT ? CLI_EXIT_ERROR : cli_exit_for(rc);
    }
    /* A stale -wal of the replaced file would be replayed into the new one. */
    remove_side_files(db);
    if (rename(tmp, db) != 0) {
        perror("kartoteka init: cannot move the new database into place");
        remove_db_files(tmp);
        return CLI_EXIT_ERROR;
    }

    printf("Created %s (schema version %d) with the bundled data:\n", db, version);
    printf("  %d places, %d events, %d figures (claims about %d quantities), %d documents\n",
           n.places, n.events, n.figures, n.quantities, n.documents);
    printf("  %d real persons, each with a Polish and a Russian record "
           "(%d records in sources %s, %s)\n", n.persons, n.person_records,
           HISTORY_PERSONS_PL, HISTORY_PERSONS_RU);
    char stats[PATH_CAP + 32];
    snprintf(stats, sizeof stats, "kartoteka stats%s%s", strcmp(db, CLI_DEFAULT_DB) ?
             " --db " : "", strcmp(db, CLI_DEFAULT_DB) ? db : "");
    printf("\nNext:\n"
           "  %-36s what the database holds\n"
           "  %-36s one contested number, every claim\n"
           "  %-36s add a list of your own\n",
           stats, "kartoteka figures pow_taken_1939", "kartoteka import FILE --source KEY");
    return CLI_EXIT_OK;
}
