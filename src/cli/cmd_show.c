/*
 * cmd_show.c — `kartoteka show ID [--record] [--json]`: one person as a
 * researcher wants to see him: every record side by side (each spelling,
 * field, source, archive reference, raw row), his other names, and why the
 * records were linked (the weight of each field). With --record, ID is a
 * record, shown with the person it belongs to; a record is also found by
 * its list's own key (`show --source S KEY`, or `show KEY` when one list
 * gives that key), the key people and other tools hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/listing.h"
#include "store/json.h"
#include "store/persons.h"

#define MAX_RECORDS 12
#define FIELD_ROWS 17

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka show ID [--record] [--db FILE] [--json]\n"
        "       kartoteka show KEY [--source SOURCE] [--db FILE] [--json]\n"
        "\n"
        "Shows person ID: each of his records side by side (source, archive\n"
        "reference, the list's own key, the store's id, every field as the list\n"
        "writes it, the raw row), his other names with their sources, and why each\n"
        "record was linked: by whom or by what, and the weight each field gave.\n"
        "With --record, ID is a record id: the record, and its person if it has one.\n"
        "\n"
        "A record is also found by its list's own key (the record_key that\n"
        "'records', 'search' and the exports print): 'show --source nkvd_1940 417'\n"
        "shows record 417 of that list (a key, even when it is a number), and\n"
        "'show P001' the record whose key is P001 when one list gives that key;\n"
        "when several do, they are named and --source chooses.\n"
        "\n"
        "options:\n"
        "  --record    ID is a record, not a person\n"
        "  --source S  KEY is the key of a record of source S (see 'kartoteka sources')\n"
        "  --db FILE   database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json      the person as JSON (the shape of 'persons --json' and the web)\n"
        "  --help      this text\n");
}

typedef struct side {
    int n;
    store_record rec[MAX_RECORDS];
    store_link link[MAX_RECORDS];
    char *copies[MAX_RECORDS][32];
    int more;
} side;

static const char *keep(side *s, int i, int slot, const char *v)
{
    s->copies[i][slot] = v ? strdup(v) : NULL;
    return s->copies[i][slot];
}

static int add_side(void *ctx, const store_record *r, const store_link *l)
{
    side *s = ctx;
    if (s->n == MAX_RECORDS) {
        s->more++;
        return 0;
    }
    int i = s->n++, k = 0;
    store_record *c = &s->rec[i];
    *c = *r;
    c->source_key = keep(s, i, k++, r->source_key);
    c->record_key = keep(s, i, k++, r->record_key);
    c->surname = keep(s, i, k++, r->surname);
    c->given_names = keep(s, i, k++, r->given_names);
    c->patronymic = keep(s, i, k++, r->patronymic);
    c->father_name = keep(s, i, k++, r->father_name);
    c->name = keep(s, i, k++, r->name);
    c->birth_date = keep(s, i, k++, r->birth_date);
    c->birth_place = keep(s, i, k++, r->birth_place);
    c->rank = keep(s, i, k++, r->rank);
    c->occupation = keep(s, i, k++, r->occupation);
    c->camp = keep(s, i, k++, r->camp);
    c->fate = keep(s, i, k++, r->fate);
    c->fate_date = keep(s, i, k++, r->fate_date);
    c->fate_place = keep(s, i, k++, r->fate_place);
    c->list_position = keep(s, i, k++, r->list_position);
    c->note = keep(s, i, k++, r->note);
    c->raw = keep(s, i, k++, r->raw);
    c->source_urls = keep(s, i, k++, r->source_urls);
    s->link[i] = *l;
    s->link[i].method = keep(s, i, k++, l->method);
    s->link[i].by = keep(s, i, k++, l->by);
    s->link[i].why = keep(s, i, k++, l->why);
    s->link[i].created_at = keep(s, i, k++, l->created_at);
    return 0;
}

static void side_free(side *s)
{
    for (int i = 0; i < s->n; i++)
        for (int k = 0; k < 32; k++)
            free(s->copies[i][k]);
}

static int print_alias(void *ctx, const store_alias *a)
{
    (void)ctx;
    printf("  %s (%s%s%s)\n", a->name, a->kind, a->note ? "; " : "", a->note ? a->note : "");
    if (a->source_urls)
        listing_urls(a->source_urls);
    return 0;
}

static void print_person(store *st, const store_person *p, side *s)
{
    if (p->id) {
        printf("person %lld  %s\n", (long long)p->id, p->label);
        printf("%lld record%s, created %s\n\n", (long long)p->nrecords,
               p->nrecords == 1 ? "" : "s", p->created_at);
    } else {
        printf("%s\n\n", p->label);
    }
    static const char *const field[FIELD_ROWS] = {
        "source", "reference", "record_key", "record id", "surname", "given names",
        "father", "whole name", "born", "birth place", "rank", "camp", "fate",
        "fate date, place", "list position", "note", "raw row",
    };
    const char *headers[MAX_RECORDS + 1] = {""};
    char head[MAX_RECORDS][32];
    for (int i = 0; i < s->n; i++) {
        snprintf(head[i], sizeof head[i], "record %d", i + 1);
        headers[i + 1] = head[i];
    }
    listing_table *t = listing_table_new(s->n + 1, headers);
    for (int i = 0; i < s->n; i++)
        listing_table_max(t, i + 1, s->n > 3 ? 24 : 36);
    char cells[MAX_RECORDS][FIELD_ROWS][160];
    for (int i = 0; i < s->n; i++) {
        const store_record *r = &s->rec[i];
        store_source src;
        kt_error err;
        char ref[160] = "";
        if (store_source_get(st, r->source_key, &src, &err) == KT_OK && src.reference)
            snprintf(ref, sizeof ref, "%s", src.reference);
        const char *father = r->patronymic ? r->patronymic : r->father_name;
        char born[64] = "";
        if (r->birth_date)
            snprintf(born, sizeof born, "%s", r->birth_date);
        else if (r->birth_year)
            snprintf(born, sizeof born, "%d", r->birth_year);
        const char *v[FIELD_ROWS] = {
            r->source_key, ref, r->record_key, NULL, r->surname, r->given_names, father,
            r->name, born, r->birth_place, r->rank ? r->rank : r->occupation, r->camp,
            r->fate, NULL, r->list_position, r->note, r->raw,
        };
        for (int f = 0; f < FIELD_ROWS; f++)
            snprintf(cells[i][f], sizeof cells[i][f], "%s", v[f] ? v[f] : "");
        snprintf(cells[i][3], sizeof cells[i][3], "%lld", (long long)r->id);
        snprintf(cells[i][13], sizeof cells[i][13], "%s%s%s", r->fate_date ? r->fate_date : "",
                 r->fate_date && r->fate_place ? ", " : "", r->fate_place ? r->fate_place : "");
    }
    for (int f = 0; f < FIELD_ROWS; f++) {
        const char *row[MAX_RECORDS + 1] = {field[f]};
        int any = 0;
        for (int i = 0; i < s->n; i++) {
            row[i + 1] = cells[i][f];
            any |= cells[i][f][0] != '\0';
        }
        if (any)
            listing_table_add(t, row);
    }
    listing_table_print(t, stdout, 0);
    listing_table_free(t);
    if (s->more)
        printf("(%d more records: --json shows them all)\n", s->more);
    int urls = 0;
    for (int i = 0; i < s->n; i++) {
        if (!s->rec[i].source_urls)
            continue;
        if (!urls++)
            printf("\nwhere the records can be seen:\n");
        printf("  record %d:\n", i + 1);
        listing_urls(s->rec[i].source_urls);
    }
    kt_error err;
    printf("\nother names:\n");
    if (store_aliases_each(st, p->id, print_alias, NULL, &err) == KT_OK &&
        store_count(st, "person_alias") >= 0) {
        /* nothing printed means none */
    }
    printf("\nwhy linked:\n");
    for (int i = 0; i < s->n; i++) {
        const store_link *l = &s->link[i];
        printf("  record %d (%s %s): %s", i + 1, s->rec[i].source_key,
               s->rec[i].record_key ? s->rec[i].record_key : "-", l->method);
        if (l->by)
            printf(" by %s", l->by);
        if (l->created_at)
            printf(", %s", l->created_at);
        if (!strcmp(l->method, "auto"))
            printf(", weight %+.1f", l->weight);
        printf("\n");
        const char *w = l->why ? l->why : "";
        while (*w) {
            size_t n = strcspn(w, "\n");
            printf("      %.*s\n", (int)n, w);
            w += n + (w[n] == '\n');
        }
    }
}

/* The id of the record whose list's own key is key (of source when not
 * NULL); a key that several records share is an error naming them. */
static int record_by_key(store *st, const char *source, const char *key, long long *id,
                         kt_error *err)
{
    enum { SHOWN = 8 };
    int64_t ids[SHOWN];
    size_t n;
    int rc = store_record_ids_by_key(st, source, key, 0, ids, SHOWN, &n, err);
    if (rc != KT_OK)
        return cli_fail(rc, err);
    if (n == 0) {
        if (source)
            kt_error_set(err, "source '%s' has no record with the key '%s' (see 'kartoteka "
                         "records --source %s')", source, key, source);
        else
            kt_error_set(err, "'%s' is not an id, and no list gives it as a record's key "
                         "(see 'kartoteka records')", key);
        return cli_fail(KT_ERR_NOTFOUND, err);
    }
    if (n == 1) {
        *id = ids[0];
        return CLI_EXIT_OK;
    }
    fprintf(stderr, "kartoteka show: %zu records have the key '%s':\n", n, key);
    for (size_t i = 0; i < n && i < SHOWN; i++) {
        store_record r;
        if (store_record_get(st, ids[i], &r, err) == KT_OK)
            fprintf(stderr, "  record %lld  source %s  %s %s\n", (long long)ids[i],
                    r.source_key ? r.source_key : "-", r.surname ? r.surname : "",
                    r.given_names ? r.given_names : "");
    }
    if (n > SHOWN)
        fprintf(stderr, "  (and %zu more)\n", n - SHOWN);
    fprintf(stderr, "%s\n", source ? "show one by its id: 'kartoteka show --record ID'"
                                    : "name the list with --source SOURCE, or show one by its "
                                      "id: 'kartoteka show --record ID'");
    return CLI_EXIT_USAGE;
}

int cmd_show(int argc, char **argv)
{
    const char *db = cli_default_db(), *source = NULL;
    int json = 0, record = 0, first;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "record", .flag = &record},
        {.name = "source", .value = &source},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    int code = cli_options(argc, argv, opts, CLI_OPTIONS_ANYWHERE, usage, &first);
    if (code != CLI_CONTINUE)
        return code;
    if (first != argc - 1)
        return cli_usage_error("show", "wants one id or record key (see 'kartoteka persons')");
    char *end;
    long long id = strtoll(argv[first], &end, 10);
    int by_key = source || *end || end == argv[first] || id <= 0;
    if (by_key && record && !source)
        return cli_usage_error("show", "'%s' is not a record id (a list's own key is "
                               "shown with --source SOURCE, or without --record)",
                               argv[first]);
    store *st = cli_open_store(db, &code);
    if (!st)
        return code;
    kt_error err;
    kt_error_clear(&err);
    if (by_key) {
        code = record_by_key(st, source, argv[first], &id, &err);
        if (code != CLI_EXIT_OK) {
            store_close(st);
            return code;
        }
        record = 1;
    }
    int64_t person = id;
    if (record) {
        store_record r;
        int rc = store_record_get(st, id, &r, &err);
        if (rc != KT_OK) {
            store_close(st);
            return cli_fail(rc, &err);
        }
        person = r.person_id;
        if (!person) {
            int ok;
            if (json) {
                ok = cli_print_json(store_record_json(&r), JSON_INDENT(2) |
                                                           JSON_PRESERVE_ORDER) == 0;
            } else {
                char label[200];
                snprintf(label, sizeof label, "record %lld (%.60s, key %.60s): not linked to a person",
                         (long long)r.id, r.source_key ? r.source_key : "-",
                         r.record_key ? r.record_key : "-");
                side s = {0};
                add_side(&s, &r, &(store_link){.method = "none"});
                store_person none = {.id = 0, .label = label, .created_at = "-", .nrecords = 1};
                print_person(st, &none, &s);
                side_free(&s);
                ok = 1;
            }
            store_close(st);
            return ok ? CLI_EXIT_OK : CLI_EXIT_ERROR;
        }
    }
    if (json) {
        json_t *j = store_person_json(st, person, &err);
        store_close(st);
        if (!j)
            return cli_fail(err.message[0] && strstr(err.message, "no person")
                                ? KT_ERR_NOTFOUND : KT_ERR, &err);
        return cli_print_json(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? CLI_EXIT_ERROR
                                                                        : CLI_EXIT_OK;
    }
    store_person p;
    int rc = store_person_get(st, person, &p, &err);
    side s = {0};
    if (rc == KT_OK)
        rc = store_person_records_each(st, person, add_side, &s, &err);
    if (rc == KT_OK) {
        /* print_person reads sources; the person's strings are copies */
        char *label = strdup(p.label ? p.label : ""), *at = strdup(p.created_at ? p.created_at : "");
        store_person copy = p;
        copy.label = label;
        copy.created_at = at;
        print_person(st, &copy, &s);
        free(label);
        free(at);
    }
    side_free(&s);
    store_close(st);
    return rc == KT_OK ? CLI_EXIT_OK : cli_fail(rc, &err);
}
