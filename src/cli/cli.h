/*
 * cli.h — what every `kartoteka <command>` shares: the command table, exit
 * codes, the default database path and small output helpers.
 *
 * Each command lives in its own file, src/cli/cmd_<command>.c, and does its
 * work through the library modules (store, names, index) that the web server
 * uses too. Commands print; library code does not.
 */
#ifndef KT_CLI_H
#define KT_CLI_H

#include <stdio.h>

#include "util/error.h"

/* Exit codes (documented in `kartoteka --help` and the README). */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_ERROR = 1,    /* runtime failure: database, I/O */
    CLI_EXIT_USAGE = 2,    /* wrong arguments */
    CLI_EXIT_INPUT = 3,    /* input rejected (bad file, bad row); nothing changed */
    CLI_EXIT_REFUSED = 4,  /* refused: e.g. the same file imported twice */
    CLI_EXIT_NOTFOUND = 5, /* asked for something that is not there */
};

#define CLI_DEFAULT_DB "kartoteka.db"

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

/* Prints "kartoteka: <formatted error>" to stderr. */
void cli_print_error(const kt_error *err);
/* Prints "kartoteka <cmd>: <message>" to stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Maps a library status (KT_ERR_*) to an exit code. */
int cli_exit_for(int status);

#endif
