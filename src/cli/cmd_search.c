/*
 * cmd_search.c — `kartoteka search`: finds people under any spelling of
 * their name. Opens the name index of the store at start (the snapshot
 * beside the database, or built and written there: index_open), then answers
 * one query (the words on the command line) or one query per line of a
 * batch file, as text (rank, score, name, year, source, and why) or as
 * JSON, one line per query. Results are grouped by person: a man found
 * under several records is one result, his best record first, the others
 * listed under it (JSON "records": each with record_id, record_key, source,
 * name and score). One line per query:
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
        "  --limit N      at most N results per query (default %d; 0 = all, up\n"
        "                 to %d); a list cut short says so (JSON: \"truncated\")\n"
        "  --json         JSON, one line per query\n"
        "  --born YEAR    only records born within --tolerance years of YEAR\n"
        "                 (records without a year are kept)\n"
        "  --tolerance N  years either side for --born (default 2)\n"
        "  --camp C       only records whose camp contains C (\"Kozielsk\" also\n"
        "                 finds \"Козельск\")\n"
        "  --fate F       only records whose fate contains F, or states the same\n"
        "                 fate in any language (\"shot\" finds \"расстрелян\",\n"
        "                 \"rozstrzelany\"; also died, released, missing)\n"
        "  --batch FILE   one query per line from FILE ('-' = standard input)\n"
        "  --db FILE      database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --help         this text\n"
        "\n"
        "examples:\n"
        "  kartoteka search Mieczysław Smorawiński\n"
        "  kartoteka search 'Smoravinskiy 1893'\n"
        "  kartoteka search --json 'Ольшина-Вильчинский'\n"
        "  kartoteka search --born 1905 --camp Starobielsk Kowalski S.\n"
        "  kartoteka search --batch queries.txt --json > results.jsonl\n"
        "\n"
        "A query is at most %d characters; a longer one is refused (exit code 2).\n",
        DEFAULT_LIMIT, MAX_LIMIT, CLI_QUERY_MAX);
}

typedef struct search_opts {
    long limit;
    int json;
    index_filter filter;
} search_opts;

/* Answers one query on stdout: one result per person (a man with three
 * records shows once, with his records), best first. Returns 0, or -1 when
 * the query failed. */
static int answer(const kt_index *ix, const char *query, const search_opts *o, index_hit *hits)
{
    if (o->json) {
        json_t *top = index_search_json(ix, query, &o->filter, (int)o->limit);
        char *s = top ? json_dumps(top, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                            JSON_REAL_PRECISION(4)) : NULL;
        json_decref(top);
        if (!s)
            return -1;
        printf("%s\n", s);
        free(s);
        return 0;
    }
    int want = (int)o->limit * INDEX_HITS_PER_RESULT + 1;
    int n = index_query(ix, query, &o->filter, hits, want);
    if (n < 0)
        return -1;
    int *first = malloc(sizeof *first * (size_t)(n + 1));
    int *next = malloc(sizeof *next * (size_t)(n + 1));
    int ngroups = first && next ? index_group_hits(ix, query, hits, n, first, next) : -1;
    if (ngroups < 0) {
        free(first);
        free(next);
        return -1;
    }
    /* more results than asked, or as many hits as fetched: cut short */
    int truncated = ngroups > o->limit || n == want;
    if (ngroups > o->limit)
        ngroups = (int)o->limit;
    char why[WHY_MAX][160];
    if (n == 0)
        printf("No one found for \"%s\".\n", query);
    for (int g = 0; g < ngroups; g++) {
        for (int i = first[g]; i >= 0; i = next[i]) {
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
            if (i == first[g])
                printf("%2d. %.2f  %s%s  [%s%s, record %lld%s]\n", g + 1, hits[i].score,
                       e.name, year, e.source_key && *e.source_key ? e.source_key : "?", key,
                       (long long)e.record_id, person);
            else /* the same man in another list */
                printf("    %.2f  %s%s  [%s%s, record %lld]\n", hits[i].score, e.name, year,
                       e.source_key && *e.source_key ? e.source_key : "?", key,
                       (long long)e.record_id);
            int nw = index_explain(ix, query, hits[i].slot, why, WHY_MAX);
            for (int k = 0; k < nw; k++)
                printf("      %s\n", why[k]);
        }
    }
    if (truncated)
        printf("\nThe first %d shown; --limit N for more.\n", ngroups);
    free(first);
    free(next);
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
    cli_progress progress;
    cli_progress_start(&progress, "searching", "queries");
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        cli_progress_rows(&progress, lineno, 0, 0);
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (!o->json)
            printf("%s== %s\n", lineno > 1 ? "\n" : "", line);
        char where[512];
        snprintf(where, sizeof where, "%s:%ld", path, lineno);
        if (cli_query_check("search", where, line) != CLI_CONTINUE) {
            code = CLI_EXIT_USAGE;
            continue;
        }
        if (answer(ix, line, o, hits) < 0) {
            fprintf(stderr, "kartoteka search: %s:%ld: the query could not be read\n", path, lineno);
            code = CLI_EXIT_INPUT;
        }
    }
    cli_progress_end(&progress);
    free(line);
    if (f != stdin)
        fclose(f);
    return code;
}

int cmd_search(int argc, char **argv)
{
    const char *db = cli_default_db(), *batch = NULL;
    search_opts o = {.limit = DEFAULT_LIMIT, .filter.born_tolerance = 2};
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "limit", .read = cli_read_limit, .dest = &o.limit},
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
    if (o.limit == 0 || o.limit > MAX_LIMIT)
        o.limit = MAX_LIMIT;
    /* the query: the remaining words, joined */
    size_t cap = 1, ql = 0;
    for (int i = first; i < argc; i++)
        cap += strlen(argv[i]) + 1;
    char *query = malloc(cap);
    if (!query) {
        fprintf(stderr, "kartoteka search: out of memory\n");
        return CLI_EXIT_ERROR;
    }
    query[0] = '\0';
    for (int i = first; i < argc; i++) {
        size_t l = strlen(argv[i]);
        if (ql)
            query[ql++] = ' ';
        memcpy(query + ql, argv[i], l);
        ql += l;
        query[ql] = '\0';
    }
    code = CLI_CONTINUE;
    if (!batch && ql == 0)
        code = cli_usage_error(argv[0], "what to search for? e.g. kartoteka search Smorawiński");
    else if (batch && ql)
        code = cli_usage_error(argv[0], "give either --batch FILE or a query, not both");
    else if (!batch)
        code = cli_query_check(argv[0], NULL, query);
    if (code != CLI_CONTINUE) {
        free(query);
        return code;
    }

    store *st = cli_open_store(db, &code);
    if (!st) {
        free(query);
        return code;
    }
    kt_error err;
    kt_error_clear(&err);
    kt_index *ix = NULL;
    int rc = index_open(st, &ix, &err);
    /* an index built here was written for the next run: the next writer
     * removes what a killed one left */
    if (rc == KT_OK && !index_from_snapshot(ix))
        index_snapshot_sweep(st, cli_report_leftover, argv[0], NULL);
    store_close(st);
    if (rc != KT_OK) {
        free(query);
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    index_hit *hits = malloc(sizeof *hits * (size_t)(o.limit * INDEX_HITS_PER_RESULT + 1));
    if (!hits) {
        free(query);
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
    free(query);
    free(hits);
    index_free(ix);
    return code;
}
