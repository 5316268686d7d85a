/*
 * cmd_persons.c — `kartoteka persons [--source KEY] [--limit N] [--json]`:
 * each person with his records (source, the list's own key, the store's id,
 * the name as that list writes it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/json.h"
#include "store/persons.h"

#define DEFAULT_LIMIT 50

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka persons [--source KEY] [--limit N] [--db FILE] [--json]\n"
        "\n"
        "Lists persons (records judged to be one man) in id order, each with his\n"
        "records: source, the list's own key (record_key), the store's record id,\n"
        "the name as that list writes it, the year of birth, and how the record was\n"
        "linked. 'kartoteka show ID' gives one person in full.\n"
        "\n"
        "options:\n"
        "  --source KEY  only persons with a record in this source\n"
        "  --limit N     at most N persons (default %d; 0 = all)\n"
        "  --db FILE     database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json        {\"persons\": [each as 'kartoteka show --json' gives him],\n"
        "                \"shown\", \"total\", \"truncated\"}\n"
        "  --help        this text\n", DEFAULT_LIMIT);
}

typedef struct out {
    store *st;
    int json;
    long shown;
    kt_error *err;
} out;

static int print_record(void *ctx, const store_record *r, const store_link *l)
{
    (void)ctx;
    const char *father = r->patronymic ? r->patronymic : r->father_name;
    printf("  %-18s %-14s %8lld  %s%s%s%s%s", r->source_key,
           r->record_key ? r->record_key : "-", (long long)r->id,
           r->surname ? r->surname : r->name ? r->name : "",
           r->given_names ? " " : "", r->given_names ? r->given_names : "",
           father ? " " : "", father ? father : "");
    if (r->birth_year)
        printf(", %d", r->birth_year);
    printf("  (%s", l->method);
    if (!strcmp(l->method, "auto"))
        printf(" %+.1f", l->weight);
    printf(")\n");
    return 0;
}

int cmd_persons(int argc, char **argv)
{
    const char *db = cli_default_db(), *source = NULL;
    int json = 0, limit = DEFAULT_LIMIT;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "source", .value = &source},
        {.name = "limit", .number = &limit, .lo = 0, .hi = 1000000000},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    int code;
    store *st = cli_start(argc, argv, opts, usage, &db, &code);
    if (!st)
        return code;
    kt_error err;
    kt_error_clear(&err);
    if (source) {
        store_source src;
        if (store_source_get(st, source, &src, &err) != KT_OK) {
            store_close(st);
            return cli_fail(KT_ERR_NOTFOUND, &err);
        }
    }
    /* the ids first: each person is then read with other statements */
    struct { int64_t *v; size_t n; } x = {NULL, 0};
    int rc = store_person_ids(st, source, limit, &x.v, &x.n, &err);
    json_t *arr = json ? json_array() : NULL;
    for (size_t i = 0; i < x.n && rc == KT_OK; i++) {
        if (json) {
            json_t *p = store_person_json(st, x.v[i], &err);
            if (!p || json_array_append_new(arr, p))
                rc = KT_ERR;
            continue;
        }
        store_person p;
        if ((rc = store_person_get(st, x.v[i], &p, &err)) != KT_OK)
            break;
        printf("person %lld  %s  (%lld records)\n", (long long)p.id, p.label,
               (long long)p.nrecords);
        rc = store_person_records_each(st, x.v[i], print_record, NULL, &err);
        printf("\n");
    }
    int64_t total = store_persons_count(st, source);
    store_close(st);
    free(x.v);
    if (rc != KT_OK) {
        json_decref(arr);
        return cli_fail(rc, &err);
    }
    if (json) {
        /* the shape of 'records --json': the list, and whether it was cut */
        json_t *top = cli_json_page("persons", arr, (int64_t)x.n, total);
        return cli_print_json(top, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? CLI_EXIT_ERROR
                                                                          : CLI_EXIT_OK;
    }
    if (x.n == 0)
        printf("No persons%s%s.\n", source ? " with a record in " : "", source ? source : "");
    else if (total > (int64_t)x.n)
        printf("%zu of %lld persons shown (--limit N, 0 = all)\n", x.n, (long long)total);
    return CLI_EXIT_OK;
}
