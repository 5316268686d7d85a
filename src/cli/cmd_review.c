/*
 * cmd_review.c — `kartoteka review`: the doubtful pairs of the last linkage
 * with their explanation, and a person's decision on a pair
 * (`review accept|reject PAIR [--why TEXT] [--by NAME]`), which every later
 * `kartoteka link` respects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "link/link.h"
#include "store/json.h"
#include "store/persons.h"

#define DEFAULT_LIMIT 20

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka review [--limit N] [--db FILE] [--json]\n"
        "       kartoteka review accept|reject PAIR [--why TEXT] [--by NAME] [--db FILE]\n"
        "\n"
        "Without a decision: lists the pairs of records the last 'kartoteka link'\n"
        "found doubtful (or that a stronger link or a list's one-record-per-man rule\n"
        "kept apart), best first, each record with its source, key and name, and the\n"
        "weight each field gave.\n"
        "\n"
        "accept PAIR  the two records are one man: their persons become one now,\n"
        "             and every later link keeps them together;\n"
        "reject PAIR  two men: the second record leaves the first one's person, and\n"
        "             no later link puts them together.\n"
        "PAIR is two record ids, as 'review' prints them: 12-345 (or 12,345, or\n"
        "12 345). The decision records who (--by, default $USER), when and why;\n"
        "'kartoteka undo' reverts it.\n"
        "\n"
        "options:\n"
        "  --limit N   at most N pairs (default %d; 0 = all)\n"
        "  --why TEXT  the reason, kept with the decision\n"
        "  --by NAME   who decides (default $USER)\n"
        "  --db FILE   database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json      as JSON: {\"pairs\": [{\"pair\", \"weight\", \"why\", \"a\", \"b\"}],\n"
        "              \"shown\", \"total\", \"truncated\"}; a decision: the decision\n"
        "  --help      this text\n", DEFAULT_LIMIT);
}

static json_t *record_brief_json(store *st, int64_t id)
{
    store_record r;
    kt_error err;
    if (store_record_get(st, id, &r, &err) != KT_OK)
        return json_null();
    return store_record_json(&r);
}

static void print_record(store *st, int64_t id)
{
    store_record r;
    kt_error err;
    if (store_record_get(st, id, &r, &err) != KT_OK) {
        printf("  record %lld (gone)\n", (long long)id);
        return;
    }
    const char *father = r.patronymic ? r.patronymic : r.father_name;
    printf("  record %lld  %s %s  %s%s%s%s%s", (long long)r.id, r.source_key,
           r.record_key ? r.record_key : "-", r.surname ? r.surname : r.name ? r.name : "",
           r.given_names ? " " : "", r.given_names ? r.given_names : "",
           father ? " " : "", father ? father : "");
    if (r.birth_year)
        printf(", %d", r.birth_year);
    if (r.rank)
        printf(", %s", r.rank);
    if (r.person_id)
        printf("  [person %lld]", (long long)r.person_id);
    printf("\n");
}

typedef struct listing {
    store *st;
    int json;
    json_t *items;
    long n;
} listing;

static int add_pair(void *ctx, const store_pair *p)
{
    listing *l = ctx;
    l->n++;
    if (l->json) {
        json_t *j = json_object();
        char pair[64];
        snprintf(pair, sizeof pair, "%lld-%lld", (long long)p->record_a,
                 (long long)p->record_b);
        json_object_set_new(j, "pair", json_string(pair));
        json_object_set_new(j, "weight", json_real(p->weight));
        json_object_set_new(j, "why", store_json_str(p->why));
        json_object_set_new(j, "a", record_brief_json(l->st, p->record_a));
        json_object_set_new(j, "b", record_brief_json(l->st, p->record_b));
        return json_array_append_new(l->items, j) ? KT_ERR_NOMEM : 0;
    }
    printf("%lld-%lld  weight %+.1f\n", (long long)p->record_a, (long long)p->record_b,
           p->weight);
    print_record(l->st, p->record_a);
    print_record(l->st, p->record_b);
    const char *w = p->why ? p->why : "";
    while (*w) {
        size_t n = strcspn(w, "\n");
        printf("    %.*s\n", (int)n, w);
        w += n + (w[n] == '\n');
    }
    printf("\n");
    return 0;
}

/* "12-345", "12,345" or "12" "345". */
static int read_pair(int nops, char **ops, int64_t *a, int64_t *b)
{
    char *end;
    if (nops == 2) {
        *a = strtoll(ops[0], &end, 10);
        if (*end || *a <= 0)
            return -1;
        *b = strtoll(ops[1], &end, 10);
        return *end || *b <= 0 ? -1 : 0;
    }
    if (nops != 1)
        return -1;
    *a = strtoll(ops[0], &end, 10);
    if ((*end != '-' && *end != ',') || *a <= 0)
        return -1;
    *b = strtoll(end + 1, &end, 10);
    return *end || *b <= 0 ? -1 : 0;
}

int cmd_review(int argc, char **argv)
{
    const char *db = cli_default_db(), *why = NULL, *by = NULL;
    int json = 0, limit = DEFAULT_LIMIT, first;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "why", .value = &why},
        {.name = "by", .value = &by},
        {.name = "limit", .number = &limit, .lo = 0, .hi = 1000000000},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    int code = cli_options(argc, argv, opts, CLI_OPTIONS_ANYWHERE, usage, &first);
    if (code != CLI_CONTINUE)
        return code;
    kt_error err;
    kt_error_clear(&err);
    if (first < argc) {
        int accept = !strcmp(argv[first], "accept");
        if (!accept && strcmp(argv[first], "reject"))
            return cli_usage_error("review", "'%s' is not accept or reject", argv[first]);
        int64_t a, b;
        if (read_pair(argc - first - 1, argv + first + 1, &a, &b) != 0)
            return cli_usage_error("review", "%s wants a pair of record ids, e.g. 12-345",
                                   argv[first]);
        if (!by)
            by = getenv("USER") && *getenv("USER") ? getenv("USER") : "unknown";
        store *st = cli_open_store_write(db, &code);
        if (!st)
            return code;
        int64_t person = 0;
        int rc = link_store_decide(st, a, b, accept, by, why, &person, &err);
        store_close(st);
        if (rc != KT_OK)
            return cli_fail(rc, &err);
        if (json) {
            json_t *j = json_object();
            json_object_set_new(j, "decision", json_string(accept ? "accept" : "reject"));
            json_object_set_new(j, "record_a", json_integer(a < b ? a : b));
            json_object_set_new(j, "record_b", json_integer(a < b ? b : a));
            json_object_set_new(j, "by", json_string(by));
            json_object_set_new(j, "why", store_json_str(why));
            json_object_set_new(j, "person_id", person ? json_integer(person) : json_null());
            return cli_print_json(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? CLI_EXIT_ERROR
                                                                            : CLI_EXIT_OK;
        }
        if (accept)
            printf("accepted: records %lld and %lld are one man (person %lld)\n",
                   (long long)a, (long long)b, (long long)person);
        else
            printf("rejected: records %lld and %lld are two men\n", (long long)a,
                   (long long)b);
        return CLI_EXIT_OK;
    }
    store *st = cli_open_store(db, &code);
    if (!st)
        return code;
    listing l = {.st = st, .json = json, .items = json ? json_array() : NULL};
    int rc = store_pairs_each(st, limit, add_pair, &l, &err);
    int64_t total = store_pairs_count(st);
    store_close(st);
    if (rc == KT_OK && total < 0) {
        kt_error_set(&err, "cannot count the doubtful pairs");
        rc = KT_ERR;
    }
    if (rc != KT_OK) {
        json_decref(l.items);
        return cli_fail(rc, &err);
    }
    if (json) {
        /* the shape of 'records --json' and 'persons --json' */
        json_t *top = cli_json_page("pairs", l.items, l.n, total);
        return cli_print_json(top, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? CLI_EXIT_ERROR
                                                                          : CLI_EXIT_OK;
    }
    if (l.n == 0)
        printf("No doubtful pairs waiting (run 'kartoteka link' first).\n");
    else if (total > l.n)
        printf("%ld of %lld pairs shown (--limit N, 0 = all)\n", l.n, (long long)total);
    return CLI_EXIT_OK;
}
