/*
 * cli.c — helpers shared by the commands: error printing and exit codes,
 * option reading, opening the database, JSON output.
 *
 * Guarantees: every message goes to stderr and says which command it is
 * about; option reading resets getopt, so a command may be run more than
 * once in one process (the tests do).
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

const char *cli_default_db(void)
{
    const char *env = getenv("KARTOTEKA_DB");
    return env && *env ? env : CLI_DEFAULT_DB;
}

void cli_print_error(const kt_error *err)
{
    char buf[2048];
    fprintf(stderr, "kartoteka: %s\n", kt_error_format(err, buf, sizeof buf));
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "kartoteka %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'kartoteka %s --help')\n", cmd);
    return CLI_EXIT_USAGE;
}

int cli_exit_for(int status)
{
    switch (status) {
    case KT_OK: return CLI_EXIT_OK;
    case KT_ERR_INPUT: return CLI_EXIT_INPUT;
    case KT_ERR_EXISTS: return CLI_EXIT_REFUSED;
    case KT_ERR_NOTFOUND: return CLI_EXIT_NOTFOUND;
    default: return CLI_EXIT_ERROR;
    }
}

int cli_fail(int status, kt_error *err)
{
    if (!err->message[0])
        kt_error_set(err, "out of memory");
    cli_print_error(err);
    return cli_exit_for(status);
}

/* getopt_long's code for opts[i]; above every char, so never 'h' or '?'. */
#define OPTION_CODE(i) (256 + (i))

static int read_number(const char *cmd, const cli_option *o, const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || end == s || v < o->lo || v > o->hi)
        return cli_usage_error(cmd, "--%s wants a number from %d to %d, not '%s'", o->name,
                               o->lo, o->hi, s);
    *o->number = (int)v;
    return 0;
}

int cli_options(int argc, char **argv, const cli_option *opts, int where,
                void (*usage)(FILE *), int *first)
{
    struct option longopts[CLI_MAX_OPTIONS + 2];
    int n = 0;
    for (; opts[n].name; n++) {
        if (n == CLI_MAX_OPTIONS)
            return cli_usage_error(argv[0], "more than %d options", CLI_MAX_OPTIONS);
        longopts[n] = (struct option){opts[n].name,
                                      opts[n].flag ? no_argument : required_argument,
                                      NULL, OPTION_CODE(n)};
    }
    longopts[n] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[n + 1] = (struct option){NULL, 0, NULL, 0};

    /* "+": stop at the first operand, which may itself start with "--" in a
     * query; without it getopt moves the operands behind the options. */
    const char *shortopts = where == CLI_OPTIONS_FIRST ? "+h" : "h";
    int c;
    optind = 0; /* glibc: start afresh, whatever an earlier call left */
    opterr = 0; /* the messages are ours */
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        if (c < OPTION_CODE(0) || c >= OPTION_CODE(n))
            return cli_usage_error(argv[0], "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        const cli_option *o = &opts[c - OPTION_CODE(0)];
        if (o->flag)
            *o->flag = 1;
        else if (o->value)
            *o->value = optarg;
        else if (o->number && read_number(argv[0], o, optarg))
            return CLI_EXIT_USAGE;
        else if (o->read && o->read(argv[0], optarg, o->dest))
            return CLI_EXIT_USAGE;
    }
    *first = optind;
    return CLI_CONTINUE;
}

int cli_options_only(int argc, char **argv, const cli_option *opts,
                     void (*usage)(FILE *))
{
    int first;
    int code = cli_options(argc, argv, opts, CLI_OPTIONS_FIRST, usage, &first);
    if (code == CLI_CONTINUE && first < argc)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[first]);
    return code;
}

int cli_options_operand(int argc, char **argv, const cli_option *opts,
                        void (*usage)(FILE *), const char *which, const char **operand)
{
    int first;
    int code = cli_options(argc, argv, opts, CLI_OPTIONS_ANYWHERE, usage, &first);
    if (code != CLI_CONTINUE)
        return code;
    if (first >= argc)
        return cli_usage_error(argv[0], "%s", which);
    if (first + 1 < argc)
        return cli_usage_error(argv[0], "one at a time ('%s' and '%s')", argv[first],
                               argv[first + 1]);
    *operand = argv[first];
    return CLI_CONTINUE;
}

static store *open_store(const char *path, int write, int *exit_code)
{
    store *st = NULL;
    kt_error err;
    kt_error_clear(&err);
    int rc = write ? store_open(path, 0, &st, &err) : store_open_readonly(path, &st, &err);
    if (rc != KT_OK) {
        cli_print_error(&err);
        *exit_code = cli_exit_for(rc);
        return NULL;
    }
    *exit_code = CLI_EXIT_OK;
    return st;
}

store *cli_open_store(const char *path, int *exit_code)
{
    return open_store(path, 0, exit_code);
}

store *cli_open_store_write(const char *path, int *exit_code)
{
    return open_store(path, 1, exit_code);
}

store *cli_start(int argc, char **argv, const cli_option *opts, void (*usage)(FILE *),
                 const char *const *db, int *exit_code)
{
    *exit_code = cli_options_only(argc, argv, opts, usage);
    if (*exit_code != CLI_CONTINUE)
        return NULL;
    return cli_open_store(*db, exit_code);
}

int cli_print_json(json_t *v, size_t flags)
{
    if (!v)
        return -1;
    int rc = json_dumpf(v, stdout, flags);
    json_decref(v);
    if (rc != 0 || fputc('\n', stdout) == EOF)
        return -1;
    return 0;
}

void cli_report_leftover(void *ctx, const kt_leftover *l)
{
    char line[8192];
    if (!l->running)
        fprintf(stderr, "kartoteka %s: %s\n", (const char *)ctx,
                kt_leftover_describe(l, line, sizeof line));
}

json_t *cli_json_page(const char *key, json_t *items, int64_t shown, int64_t total)
{
    json_t *top = json_object();
    if (!top || json_object_set_new(top, key, items) ||
        json_object_set_new(top, "shown", json_integer(shown)) ||
        json_object_set_new(top, "total", json_integer(total)) ||
        json_object_set_new(top, "truncated", json_boolean(total > shown))) {
        if (!top)
            json_decref(items);
        json_decref(top);
        return NULL;
    }
    return top;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(cli_progress *p, const char *what, const char *unit)
{
    p->what = what;
    p->unit = unit;
    p->start = p->last = now_seconds();
    p->tty = isatty(STDERR_FILENO);
    p->shown = 0;
}

void cli_progress_rows(void *ctx, long rows, size_t done, size_t total)
{
    cli_progress *p = ctx;
    if (!p->tty)
        return;
    double t = now_seconds();
    if (t - p->start < 1.0 || t - p->last < 0.2)
        return;
    p->last = t;
    p->shown = 1;
    if (total)
        fprintf(stderr, "\r%s: %ld %s, %d%%\033[K", p->what, rows, p->unit,
                (int)(100.0 * (double)done / (double)total));
    else
        fprintf(stderr, "\r%s: %ld %s\033[K", p->what, rows, p->unit);
    fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
    if (p->shown)
        fprintf(stderr, "\r\033[K");
    p->shown = 0;
}

int cli_read_limit(const char *cmd, const char *value, void *dest)
{
    char *end;
    long limit = strtol(value, &end, 10);
    if (*end || end == value || limit < 0)
        return cli_usage_error(cmd, "--limit wants a whole number >= 0 (0 = all), not '%s'",
                               value);
    *(long *)dest = limit;
    return 0;
}

int cli_query_check(const char *cmd, const char *where, const char *query)
{
    long n = 0;
    utf8proc_int32_t cp;
    for (utf8proc_ssize_t i = 0, l; query[i]; i += l, n++) {
        l = utf8proc_iterate((const utf8proc_uint8_t *)query + i, -1, &cp);
        if (l <= 0) {
            fprintf(stderr, "kartoteka %s: %s%sthe query is not UTF-8 text\n", cmd,
                    where ? where : "", where ? ": " : "");
            return CLI_EXIT_USAGE;
        }
    }
    if (n > CLI_QUERY_MAX) {
        fprintf(stderr, "kartoteka %s: %s%sthe query is too long (%ld characters; at most %d)\n",
                cmd, where ? where : "", where ? ": " : "", n, CLI_QUERY_MAX);
        return CLI_EXIT_USAGE;
    }
    return CLI_CONTINUE;
}
