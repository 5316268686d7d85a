/*
 * cmd_search.c — `kartoteka search`: finds people under any spelling of
 * their name. Opens the name index of the store at start (the snapshot
 * beside the database, or built and written there: index_open), then answers
 * one query (the words on the command line) or one query per line of a
 * batch file, as text (rank, score, name, year, source, and why) or as
 * JSON, one line per query:
 *   {"query":..., "results":[{"record_id":..., "record_key":..., "source":..., "person_id":...,
 *    "score":..., "name":..., "why":[...]}]}
 * A person is also found under the other names the registry holds for
 * him (a nom de guerre, a maiden name): such a hit is the person's record,
 * its first why line says which name and kind found it ("known as Jan
 * Karski (nom de guerre) = Jan Karski"), and its JSON carries
 * "alias":{"name":..., "kind":...}.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "index/index.h"

#define DEFAULT_LIMIT 10
#define MAX_LIMIT 1000
#define WHY_MAX 8

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka search [--db FILE] [--limit N] [--json] [--born YEAR]\n"
        "                        [--tolerance N] [--camp C] [--fate F] QUERY...\n"
        "       kartoteka search --batch FILE [--json] [options]\n"
        "\n"
        "Finds people under any spelling of their name: Polish with or without\n"
        "diacritics, Russian, Ukrainian or Belarusian Cyrillic, English, German,\n"
        "French or ISO 9 romanisations. A query may also hold a year of birth\n"
        "(\"1893\", \"ur. 1893\", \"1893 г.р.\"), a rank (\"kpt.\", \"капитан\"),\n"
        "initials (\"S.\") and a father (\"s. Jana\", \"Янович\"). People are also\n"
        "found under their other names (\"Jan Karski\", a nom de guerre, finds\n"
        "Kozielewski). Every result says why it matched, and names the record by\n"
        "its list's own key and the registry's id.\n"
        "\n"
        "The name index is kept beside the database (FILE.index), made on the\n"
        "first search and made again after the database has changed.\n"
        "\n"
        "options:\n"
        "  --limit N      at most N results per query (default %d)\n"
        "  --json         JSON, one line per query\n"
        "  --born YEAR    only records born within --tolerance years of YEAR\n"
        "                 (records without a year are kept)\n"
        "  --tolerance N  years either side for --born (default 2)\n"
        "  --camp C       only records whose camp contains C (\"Kozielsk\" also\n"
        "                 finds \"Козельск\")\n"
        "  --fate F       only records whose fate contains F\n"
        "  --batch FILE   one query per line from FILE ('-' = standard input)\n"
        "  --db FILE      database (default ./" CLI_DEFAULT_DB ")\n"
        "  --help         this text\n"
        "\n"
        "examples:\n"
        "  kartoteka search Mieczysław Smorawiński\n"
        "  kartoteka search 'Smoravinskiy 1893'\n"
        "  kartoteka search --json 'Ольшина-Вильчинский'\n"
        "  kartoteka search --born 1905 --camp Starobielsk Kowalski S.\n"
        "  kartoteka search --batch queries.txt --json > results.jsonl\n",
        DEFAULT_LIMIT);
}

typedef struct search_opts {
    int limit;
    int json;
    index_filter filter;
} search_opts;

/* Answers one query on stdout. Returns 0, or -1 when the query failed. */
static int answer(const kt_index *ix, const char *query, const search_opts *o, index_hit *hits)
{
    int n = index_query(ix, query, &o->filter, hits, o->limit);
    if (n < 0)
        return -1;
    char why[WHY_MAX][160];
    if (o->json) {
        json_t *res = json_array();
        for (int i = 0; i < n; i++) {
            index_entry e;
            index_entry_get(ix, hits[i].slot, &e);
            json_t *w = json_array();
            int nw = index_explain(ix, query, hits[i].slot, why, WHY_MAX);
            for (int k = 0; k < nw; k++)
                json_array_append_new(w, json_string(why[k]));
            json_t *r = json_object();
            json_object_set_new(r, "record_id", json_integer(e.record_id));
            json_object_set_new(r, "record_key", *e.record_key ? json_string(e.record_key) : json_null());
            json_object_set_new(r, "source", json_string(e.source_key ? e.source_key : ""));
            json_object_set_new(r, "person_id", e.person_id ? json_integer(e.person_id) : json_null());
            json_object_set_new(r, "score", json_real((double)(long)(hits[i].score * 10000 + 0.5) / 10000));
            json_object_set_new(r, "name", json_string(e.name ? e.name : ""));
            json_object_set_new(r, "birth_year", e.birth_year ? json_integer(e.birth_year) : json_null());
            json_object_set_new(r, "why", w);
            if (e.alias) {
                json_t *a = json_object();
                json_object_set_new(a, "name", json_string(e.alias));
                json_object_set_new(a, "kind", json_string(e.alias_kind));
                json_object_set_new(r, "alias", a);
            }
            json_array_append_new(res, r);
        }
        json_t *top = json_object();
        json_object_set_new(top, "query", json_string(query));
        json_object_set_new(top, "results", res);
        char *s = json_dumps(top, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                  JSON_REAL_PRECISION(4));
        json_decref(top);
        if (!s)
            return -1;
        printf("%s\n", s);
        free(s);
        return 0;
    }
    if (n == 0) {
        printf("No one found for \"%s\".\n", query);
        return 0;
    }
    for (int i = 0; i < n; i++) {
        index_entry e;
        index_entry_get(ix, hits[i].slot, &e);
        char year[16] = "";
        if (e.birth_year)
            snprintf(year, sizeof year, "  %d", e.birth_year);
        char key[80] = "";
        if (*e.record_key)
            snprintf(key, sizeof key, ", key %s", e.record_key);
        char person[48] = "";
        if (e.person_id)
            snprintf(person, sizeof person, ", person %lld", (long long)e.person_id);
        printf("%2d. %.2f  %s%s  [%s%s, record %lld%s]\n", i + 1, hits[i].score, e.name, year,
               e.source_key && *e.source_key ? e.source_key : "?", key,
               (long long)e.record_id, person);
        int nw = index_explain(ix, query, hits[i].slot, why, WHY_MAX);
        for (int k = 0; k < nw; k++)
            printf("      %s\n", why[k]);
    }
    return 0;
}

static int run_batch(const kt_index *ix, const char *path, const search_opts *o, index_hit *hits)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "kartoteka search: cannot read %s\n", path);
        return CLI_EXIT_ERROR;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    int code = CLI_EXIT_OK;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (!o->json)
            printf("%s== %s\n", lineno > 1 ? "\n" : "", line);
        if (answer(ix, line, o, hits) < 0) {
            fprintf(stderr, "kartoteka search: %s:%ld: the query could not be read\n", path, lineno);
            code = CLI_EXIT_INPUT;
        }
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return code;
}

int cmd_search(int argc, char **argv)
{
    const char *db = CLI_DEFAULT_DB, *batch = NULL;
    search_opts o = {.limit = DEFAULT_LIMIT, .filter.born_tolerance = 2};
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "limit", .number = &o.limit, .lo = 1, .hi = MAX_LIMIT},
        {.name = "json", .flag = &o.json},
        {.name = "born", .number = &o.filter.born, .lo = 1800, .hi = 2000},
        {.name = "tolerance", .number = &o.filter.born_tolerance, .lo = 0, .hi = 50},
        {.name = "camp", .value = &o.filter.camp},
        {.name = "fate", .value = &o.filter.fate},
        {.name = "batch", .value = &batch},
        {.name = NULL},
    };
    /* Options may stand before or after the query words, as users type them
     * ("kartoteka search Smorawiński --limit 3"); after "--" every word is
     * part of the query. */
    int first;
    int code = cli_options(argc, argv, opts, CLI_OPTIONS_ANYWHERE, usage, &first);
    if (code != CLI_CONTINUE)
        return code;
    /* the query: the remaining words, joined */
    char query[2048] = "";
    size_t ql = 0;
    for (int i = first; i < argc; i++) {
        size_t l = strlen(argv[i]);
        if (ql + l + 2 > sizeof query)
            return cli_usage_error(argv[0], "the query is too long");
        if (ql)
            query[ql++] = ' ';
        memcpy(query + ql, argv[i], l);
        ql += l;
        query[ql] = '\0';
    }
    if (!batch && ql == 0)
        return cli_usage_error(argv[0], "what to search for? e.g. kartoteka search Smorawiński");
    if (batch && ql)
        return cli_usage_error(argv[0], "give either --batch FILE or a query, not both");

    store *st = cli_open_store(db, &code);
    if (!st)
        return code;
    kt_error err;
    kt_error_clear(&err);
    kt_index *ix = NULL;
    int rc = index_open(st, &ix, &err);
    store_close(st);
    if (rc != KT_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    index_hit *hits = malloc(sizeof *hits * (size_t)o.limit);
    if (!hits) {
        index_free(ix);
        fprintf(stderr, "kartoteka search: out of memory\n");
        return CLI_EXIT_ERROR;
    }
    if (batch) {
        code = run_batch(ix, batch, &o, hits);
    } else if (answer(ix, query, &o, hits) < 0) {
        fprintf(stderr, "kartoteka search: the query could not be read\n");
        code = CLI_EXIT_INPUT;
    } else {
        code = CLI_EXIT_OK;
    }
    free(hits);
    index_free(ix);
    return code;
}
