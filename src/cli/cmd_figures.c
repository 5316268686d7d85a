/*
 * cmd_figures.c — `kartoteka figures [QUANTITY] [--json]`: the contested
 * numbers. Without a quantity, the list of quantities with how many claims
 * each has and their range; with one, every claim side by side — value,
 * date, claimant, basis — then each claim's note and source URLs.
 *
 * The registry does not pick a winner: all claims are shown, lowest first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/listing.h"
#include "store/history.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka figures [QUANTITY] [--db FILE] [--json]\n"
        "\n"
        "Contested figures: how many prisoners were taken, how many were killed at\n"
        "each site, and others. Sources disagree; every claim is kept with who\n"
        "makes it, on what basis, as of when, and where it was published.\n"
        "\n"
        "  kartoteka figures                  the quantities, with claims and range\n"
        "  kartoteka figures pow_taken_1939   every claim about one quantity\n"
        "\n"
        "Values read: '190,584' (one number), '230,000–450,000' (a range),\n"
        "'up to 125,000', 'more than 254,500'.\n"
        "\n"
        "options:\n"
        "  --db FILE   database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json      as JSON (source URLs as arrays)\n"
        "  --help      this text\n"
        "\n"
        "exit codes: 0 shown; 5 no such quantity (similar keys are named).\n");
}

typedef struct out {
    listing_out list; /* list.n numbers the claims in the text */
    /* Notes and URLs, printed under the table, by claim number. */
    char **notes;
    size_t nnotes;
} out;

static int add_quantity(void *ctx, const history_quantity *q)
{
    listing_out *o = &((out *)ctx)->list;
    if (o->json) {
return listing_out_json(o, store_quantity_json(q));
    }
    char claims[16], lo[32], hi[32], range[80];
    snprintf(claims, sizeof claims, "%d", q->claims);
    listing_number(q->min, lo, sizeof lo);
    listing_number(q->max, hi, sizeof hi);
    if (q->min == q->max)
        snprintf(range, sizeof range, "%s", lo);
    else
        snprintf(range, sizeof range, "%s \xe2\x80\x93 %s", lo, hi);
    const char *row[] = {q->quantity, claims, range};
    return listing_out_row(o, row);
}

static int add_figure(void *ctx, const history_figure *f)
{
    out *o = ctx;
    char value[96];
    store_figure_value_text(f, value, sizeof value);
    if (o->list.json) {
return listing_out_json(&o->list, store_figure_json(f));
    }
    char num[16];
    snprintf(num, sizeof num, "[%d]", ++o->list.n);
    const char *row[] = {num, value, f->as_of, f->claimant, f->basis};
    if (listing_out_row(&o->list, row))
        return KT_ERR_NOMEM;
    /* Keep "note\nurl\nurl..." for the part below the table. */
    size_t len = strlen(f->note) + strlen(f->source_urls) + 8;
    char *text = malloc(len);
    char **notes = realloc(o->notes, (o->nnotes + 1) * sizeof *notes);
    if (!text || !notes) {
        free(text);
        if (notes)
            o->notes = notes;
        return KT_ERR_NOMEM;
    }
    snprintf(text, len, "%s\n%s", f->note, f->source_urls);
    o->notes = notes;
    o->notes[o->nnotes++] = text;
    return 0;
}

static void print_notes(const out *o)
{
    for (size_t i = 0; i < o->nnotes; i++) {
        char *nl = strchr(o->notes[i], '\n');
        *nl = '\0';
        printf("\n[%zu]\n", i + 1);
        if (*o->notes[i])
            listing_wrap(stdout, o->notes[i], 4, 76);
        listing_urls(nl + 1);
    }
}

int cmd_figures(int argc, char **argv)
{
    const char *db = cli_default_db(), *quantity = NULL;
    int json = 0, first;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    /* Options may follow the quantity: "figures pow_taken_1939 --json". */
    int code = cli_options(argc, argv, opts, CLI_OPTIONS_ANYWHERE, usage, &first);
    if (code != CLI_CONTINUE)
        return code;
    if (first < argc)
        quantity = argv[first++];
    if (first < argc)
        return cli_usage_error(argv[0], "one quantity at a time ('%s' is extra)",
                               argv[first]);

    store *st = cli_open_store(db, &code);
    if (!st)
        return code;
    out o = {0};
    kt_error err;
    kt_error_clear(&err);
    int rc;
    if (!quantity) {
        static const char *const headers[] = {"QUANTITY", "CLAIMS", "RANGE"};
        listing_out_start(&o.list, json, 0, 3, headers);
        listing_table_right(o.list.table, 1);
        rc = history_quantities_each(st, add_quantity, &o, &err);
    } else {
        static const char *const headers[] = {"", "VALUE", "AS OF", "CLAIMANT", "BASIS"};
        listing_out_start(&o.list, json, 0, 5, headers);
        listing_table_right(o.list.table, 1);
        listing_table_max(o.list.table, 3, 44);
        listing_table_max(o.list.table, 4, 36);
        rc = history_figures_each(st, quantity, add_figure, &o, &err);
    }
    store_close(st);
    if (rc == KT_OK && json && quantity) {
        /* One quantity: its claims under its key. */
        json_t *j = json_object();
        json_object_set_new(j, "quantity", json_string(quantity));
        json_object_set_new(j, "claims", o.list.json_items);
        o.list.json_items = j;
    }
    code = listing_out_end(&o.list, rc, &err);
    if (code == CLI_CONTINUE && !quantity) {
        if (listing_table_rows(o.list.table) == 0)
            printf("No figures in this database (kartoteka init loads them).\n");
        else {
            listing_table_print(o.list.table, stdout, 0);
            printf("\nEvery claim about one quantity: kartoteka figures QUANTITY\n");
        }
    } else if (code == CLI_CONTINUE) {
        printf("%s: %d claims, lowest first\n\n", quantity, o.list.n);
        listing_table_print(o.list.table, stdout, 2);
        print_notes(&o);
    }
    listing_out_free(&o.list);
    for (size_t i = 0; i < o.nnotes; i++)
        free(o.notes[i]);
    free(o.notes);
    return code == CLI_CONTINUE ? CLI_EXIT_OK : code;
}
