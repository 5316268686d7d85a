/*
 * cmd_serve.c — `kartoteka serve`: the registry on the web (src/web/): the
 * pages at / and the JSON API under /api/, until interrupted.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "web/web.h"

/* The listener's limits a user may set: a timeout of an hour already lets
 * idle clients hold their slots for ever in practice; past 100,000
 * connections the process runs out of descriptors long before. */
#define TIMEOUT_MIN 1
#define TIMEOUT_MAX 3600
#define CONNECTIONS_MIN 1
#define CONNECTIONS_MAX 100000

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka serve [--db FILE] [--port N] [--bind ADDR]\n"
        "                       [--write-token-file FILE] [--threads N]\n"
        "                       [--search-cache N] [--timeout SECONDS]\n"
        "                       [--max-connections N] [--max-per-address N] [--quiet]\n"
        "\n"
        "Serves the registry on the web: search as you type, records and persons,\n"
        "figures, the timeline, the map, sources and documents, in Polish and\n"
        "English, at http://ADDR:PORT/, and the same data as JSON under /api/\n"
        "(/api/search?q=..., /api/records/ID, /api/persons/ID, /api/sources,\n"
        "/api/figures, /api/events, /api/places, /api/documents, /api/stats).\n"
        "\n"
        "The database is opened read-only. With --write-token-file, writes are\n"
        "allowed (POST /api/import?source=KEY with the CSV as the body, DELETE\n"
        "/api/sources/KEY) to a request carrying 'Authorization: Bearer TOKEN',\n"
        "TOKEN being the file's first line; every other write gets 401.\n"
        "\n"
        "options:\n"
        "  --db FILE                database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --port N                 port (default 8080; 0 = any free port)\n"
        "  --bind ADDR              address to listen on (default 127.0.0.1)\n"
        "  --write-token-file FILE  allow writes with the token in FILE\n"
        "  --threads N              request threads (default: one per core)\n"
        "  --search-cache N         answers to /api/search kept for repeated\n"
        "                           requests (default %d; 0 = none)\n"
        "  --timeout SECONDS        time a connection has to send a request's head,\n"
        "                           and may stay idle between requests (default %d;\n"
        "                           %d to %d); then it is closed\n"
        "  --max-connections N      connections open at once (default %d;\n"
        "                           %d to %d); past it a request is answered 503\n"
        "  --max-per-address N      connections open at once from one address\n"
        "                           (default %d; %d to %d); past it a connection is\n"
        "                           refused\n"
        "  --quiet                  no request log on standard error\n"
        "  --help                   this text\n"
        "\n"
        "Stops on Ctrl-C (SIGINT) or SIGTERM.\n", WEB_SEARCH_CACHE, WEB_TIMEOUT, TIMEOUT_MIN,
        TIMEOUT_MAX, WEB_MAX_CONNECTIONS, CONNECTIONS_MIN, CONNECTIONS_MAX, WEB_MAX_PER_IP,
        CONNECTIONS_MIN, CONNECTIONS_MAX);
}

static void log_line(void *ctx, const char *line)
{
    (void)ctx;
    time_t now = time(NULL);
    struct tm tm;
    char ts[32];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    fprintf(stderr, "%s %s\n", ts, line);
}

/* The token: the file's first line, without its line end. */
static char *read_token(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, f);
    fclose(f);
    if (n < 0) {
        free(line);
        return calloc(1, 1);
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

int cmd_serve(int argc, char **argv)
{
    const char *db = cli_default_db(), *bind = "127.0.0.1", *token_file = NULL;
    int port = 8080, threads = 0, quiet = 0, cache = WEB_SEARCH_CACHE;
    int timeout = WEB_TIMEOUT, max_connections = WEB_MAX_CONNECTIONS;
    int max_per_address = WEB_MAX_PER_IP;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "port", .number = &port, .lo = 0, .hi = 65535},
        {.name = "bind", .value = &bind},
        {.name = "write-token-file", .value = &token_file},
        {.name = "threads", .number = &threads, .lo = 1, .hi = 256},
        {.name = "search-cache", .number = &cache, .lo = 0, .hi = 1 << 24},
        {.name = "timeout", .number = &timeout, .lo = TIMEOUT_MIN, .hi = TIMEOUT_MAX},
        {.name = "max-connections", .number = &max_connections, .lo = CONNECTIONS_MIN,
         .hi = CONNECTIONS_MAX},
        {.name = "max-per-address", .number = &max_per_address, .lo = CONNECTIONS_MIN,
         .hi = CONNECTIONS_MAX},
        {.name = "quiet", .flag = &quiet},
        {.name = NULL},
    };
    int code = cli_options_only(argc, argv, opts, usage);
    if (code != CLI_CONTINUE)
        return code;
    char *token = NULL;
    if (token_file && !(token = read_token(token_file))) {
        fprintf(stderr, "kartoteka serve: cannot read the token file %s\n", token_file);
        return CLI_EXIT_ERROR;
    }
    web_config cfg = {.db_path = db, .bind = bind, .port = port, .write_token = token,
                      .threads = threads,
                      .search_cache = cache ? cache : -1, .log = quiet ? NULL : log_line,
                      .timeout = timeout, .max_connections = max_connections,
                      .max_per_ip = max_per_address};
    kt_error err;
    kt_error_clear(&err);
    web_app *app;
    int rc = web_app_open(&cfg, &app, &err);
    if (token) {
        memset(token, 0, strlen(token));
        free(token);
        cfg.write_token = NULL;
    }
    if (rc != KT_OK) {
        if (rc == KT_ERR_INPUT && token_file)
            fprintf(stderr, "kartoteka serve: %s: %s\n", token_file, err.message);
        else
            cli_print_error(&err);
        return cli_exit_for(rc);
    }
    /* Signals are taken by sigwait below, not by handlers: block them
     * before the server's threads start, so that they inherit the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    web_server *srv;
    rc = web_start(app, &cfg, &srv, &err);
    if (rc != KT_OK) {
        cli_print_error(&err);
        web_app_close(app);
        return cli_exit_for(rc);
    }
    printf("kartoteka: serving %s (%zu records indexed, %s) at http://%s:%d/\n", db,
           web_app_index_records(app), web_app_writable(app) ? "writes with the token"
                                                             : "read-only",
           bind, web_port(srv));
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig);
    fprintf(stderr, "kartoteka: stopping\n");
    web_stop(srv);
    web_app_close(app);
    return CLI_EXIT_OK;
}
