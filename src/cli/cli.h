/*
 * cli.h — what every `kartoteka <command>` shares: the command table, exit
 * codes, the default database path, option reading, opening the database
 * and printing errors and JSON.
 *
 * Each command lives in its own file, src/cli/cmd_<command>.c, and does its
 * work through the library modules (store, names, index) that the web server
 * uses too. Commands print; library code does not.
 */
#ifndef KT_CLI_H
#define KT_CLI_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/store.h"
#include "util/error.h"
#include "util/leftover.h"

/* Exit codes (documented in `kartoteka --help` and the README). */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_ERROR = 1,    /* runtime failure: database, I/O */
    CLI_EXIT_USAGE = 2,    /* wrong arguments */
    CLI_EXIT_INPUT = 3,    /* input rejected (bad file, bad row); nothing changed */
    CLI_EXIT_REFUSED = 4,  /* refused: e.g. the same file imported twice */
    CLI_EXIT_NOTFOUND = 5, /* asked for something that is not there */
};

/* Returned by the helpers below when the command should go on; never an
 * exit code. */
#define CLI_CONTINUE (-1)

#define CLI_DEFAULT_DB "kartoteka.db"
/* The database a command uses without --db: $KARTOTEKA_DB when set and not
 * empty, else ./kartoteka.db. */
const char *cli_default_db(void);
/* The version `kartoteka --version` prints. */
#define CLI_VERSION "0.1.0"

/* Each command: argv[0] is the command name; returns an exit code. */
typedef int (*cli_command_fn)(int argc, char **argv);

int cmd_init(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_sources(int argc, char **argv);
int cmd_records(int argc, char **argv);
int cmd_figures(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_places(int argc, char **argv);
int cmd_documents(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_link(int argc, char **argv);
int cmd_persons(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_undo(int argc, char **argv);
int cmd_export_persons(int argc, char **argv);

/* Puts a filter on stdout and stderr that turns control characters (ESC
 * sequences from a hostile record; on a terminal also DEL and C1) into
 * U+FFFD, so that nothing a list holds can drive the terminal; line feeds
 * and tabs pass, and JSON stays exact. Called once, first thing in main. */
void cli_safe_output(void);

/* Prints "kartoteka: <formatted error>" to stderr. */
void cli_print_error(const kt_error *err);
/* Prints "kartoteka <cmd>: <message>" to stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Maps a library status (KT_ERR_*) to an exit code. */
int cli_exit_for(int status);
/* After a library call failed with status: prints err ("out of memory" when
 * the library left it empty, as a callback that ran out does) and returns
 * the exit code for status. */
int cli_fail(int status, kt_error *err);

/* One "--name" option of a command, in a table ended by {NULL}. Exactly one
 * of flag, value, number or read says what it does. */
typedef struct cli_option {
    const char *name;
    int *flag;           /* takes no value; sets *flag to 1 */
    const char **value;  /* takes a value, kept as given */
    int *number;         /* takes a whole number from lo to hi, or else
                          * "--name wants a number from lo to hi" */
    int lo, hi;
    /* takes a value that read() checks and stores in dest as the option is
     * met; returns 0, or CLI_EXIT_USAGE having said why */
    int (*read)(const char *cmd, const char *value, void *dest);
    void *dest;
} cli_option;

/* Where the options may stand: before the first operand only (the rest of
 * the line then belongs to the command, as a query does), or anywhere. */
enum { CLI_OPTIONS_FIRST, CLI_OPTIONS_ANYWHERE };

#define CLI_MAX_OPTIONS 15

/* Reads the options of argv[1..] with getopt_long (so "--name=VALUE" and
 * unambiguous prefixes work) plus --help and -h, which print usage(stdout).
 * Returns CLI_CONTINUE with *first set to the index of the first operand,
 * CLI_EXIT_OK after --help, or CLI_EXIT_USAGE having printed what was
 * wrong (an unknown option, a missing or bad value). */
int cli_options(int argc, char **argv, const cli_option *opts, int where,
                void (*usage)(FILE *), int *first);
/* The same for a command that takes no operands: one is a usage error. */
int cli_options_only(int argc, char **argv, const cli_option *opts,
                     void (*usage)(FILE *));

/* For a command with exactly one operand (a FILE): options anywhere, the
 * operand into *operand. Without one, the usage error asks `which` ("which
 * FILE? (kartoteka backup FILE)"); a second one is a usage error too. */
int cli_options_operand(int argc, char **argv, const cli_option *opts,
                        void (*usage)(FILE *), const char *which, const char **operand);

/* Opens an existing database for reading only (commands other than init
 * never create one; a database in a read-only directory or on read-only
 * media reads as well); on failure prints why (a missing file names
 * `kartoteka init`), sets *exit_code and returns NULL. */
store *cli_open_store(const char *path, int *exit_code);
/* The same for a command that writes (import, link, review...). */
store *cli_open_store_write(const char *path, int *exit_code);
/* The start of a command that takes no operands and reads a database
 * (read-only):
 * cli_options_only(), then cli_open_store(*db), db being the variable that
 * opts fills for --db. NULL when the command is over (after --help too),
 * with *exit_code set. */
store *cli_start(int argc, char **argv, const cli_option *opts, void (*usage)(FILE *),
                 const char *const *db, int *exit_code);

/* A progress line on stderr for work that runs longer than a second, only
 * when stderr is a terminal: "importing: 12,800 rows, 45%", rewritten in
 * place and cleared at the end. */
typedef struct cli_progress {
    const char *what, *unit; /* "importing", "rows" */
    double start, last; /* seconds */
    int tty, shown;
} cli_progress;
void cli_progress_start(cli_progress *p, const char *what, const char *unit);
/* Reports rows (or queries) done and bytes done of total (total 0: no
 * percentage);
 * ctx is the cli_progress (the shape of store_import_options.progress). */
void cli_progress_rows(void *ctx, long rows, size_t done, size_t total);
void cli_progress_end(cli_progress *p);

/* --limit N, the same in every command that lists: a whole number >= 0,
 * 0 meaning all (as many as the command gives). For a cli_option's read,
 * with dest a long. A listing cut short by it says so: in text a closing
 * line, in JSON "truncated": true. */
int cli_read_limit(const char *cmd, const char *value, void *dest);

/* The longest query a search reads (code points, as names_query_parse). */
#define CLI_QUERY_MAX 1024
/* CLI_CONTINUE when query can be asked; else prints, for every command and
 * every way a query comes (argument, batch line: `where` names the line, or
 * NULL), "kartoteka CMD: the query is too long (N characters; at most
 * 1024)" or that it is not UTF-8, and returns CLI_EXIT_USAGE. */
int cli_query_check(const char *cmd, const char *where, const char *query);

/* Dumps v with these jansson flags and a newline to stdout and releases v.
 * Returns 0, or -1 when v is NULL or writing failed. */
int cli_print_json(json_t *v, size_t flags);
/* For kt_leftovers_sweep (util/leftover.h), ctx being the command's name:
 * says on stderr what was done with a file a killed writer left ("kartoteka
 * backup: removed a partial backup left by process N: FILE"); a running
 * writer's file is not mentioned (it is at work). */
void cli_report_leftover(void *ctx, const kt_leftover *l);
/* A listing cut by --limit, as JSON: {key: items, "shown": N, "total": N,
 * "truncated": shown < total}; takes items; NULL on no memory. */
json_t *cli_json_page(const char *key, json_t *items, int64_t shown, int64_t total);

#endif
