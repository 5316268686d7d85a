/*
 * cmd_figures.c — `kartoteka figures [QUANTITY] [--json]`: the contested
 * numbers. Without a quantity, the list of quantities with how many claims
 * each has, their range and what each counts (its title); with one, its
 * title, then every claim side by side — value, date, claimant, basis —
 * then each claim's note and source URLs.
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
        "  kartoteka figures                  the quantities: what each counts, its\n"
        "                                     claims and their range\n"
        "  kartoteka figures pow_taken_1939   every claim about one quantity\n"
        "\n"
        "Values read: '190,584' (one number), '230,000–450,000' (a range),\n"
        "'up to 125,000', 'more than 254,500'.\n"
        "\n"
        "options:\n"
        "  --db FILE   database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json      as JSON (source URLs as arrays; each quantity's title in\n"
        "              English as \"title\", in Polish as \"title_pl\")\n"
        "  --help      this text\n"
        "\n"
        "exit codes: 0 shown; 5 no such quantity (similar keys are named).\n");
}

typedef struct out {
    listing_out list; /* list.n numbers the claims in the text */
    /* Notes and URLs, printed under the table, by claim number; without a
     * quantity, each quantity's title, printed under its row. */
    char **notes;
    size_t nnotes;
    char *title;    /* the one quantity's title ("" when the store has none) */
    json_t *titles; /* --json: its titles, "title" and "title_pl" */
} out;

/* Keeps a copy of text in o->notes; 0 or KT_ERR_NOMEM. */
static int keep_note(out *o, const char *text)
{
    char *copy = strdup(text);
    char **notes = realloc(o->notes, (o->nnotes + 1) * sizeof *notes);
    if (notes)
        o->notes = notes;
    if (!copy || !notes) {
        free(copy);
        return KT_ERR_NOMEM;
    }
    o->notes[o->nnotes++] = copy;
    return 0;
}

/* Without a quantity, the text keeps for each one "key\tclaims\trange\ttitle"
 * in notes, printed by print_quantities. */
static int add_quantity(void *ctx, const history_quantity *q)
{
    out *o = ctx;
    if (o->list.json) {
return listing_out_json(&o->list, store_quantity_json(q));
    }
    char lo[32], hi[32], row[512];
    listing_number(q->min, lo, sizeof lo);
    listing_number(q->max, hi, sizeof hi);
    if (q->min == q->max)
        snprintf(row, sizeof row, "%s\t%d\t%s\t%s", q->quantity, q->claims, lo, q->title_en);
    else
        snprintf(row, sizeof row, "%s\t%d\t%s \xe2\x80\x93 %s\t%s", q->quantity, q->claims,
                 lo, hi, q->title_en);
    return keep_note(o, row);
}

static int one_quantity(void *ctx, const history_quantity *q)
{
    out *o = ctx;
    o->title = strdup(q->title_en);
    o->titles = json_object();
    if (!o->title || !o->titles)
        return KT_ERR_NOMEM;
    return store_quantity_titles(o->titles, q);
}

/* The quantities, one a line (key, claims, range), each with its title
 * under it. */
static void print_quantities(const out *o)
{
    size_t w = strlen("QUANTITY"), rw = strlen("RANGE");
    for (size_t i = 0; i < o->nnotes; i++) {
        const char *n = o->notes[i];
        size_t k = strcspn(n, "\t"), c = k + 1 + strcspn(n + k + 1, "\t") + 1;
        char range[128];
        snprintf(range, sizeof range, "%.*s", (int)strcspn(n + c, "\t"), n + c);
        if (k > w)
            w = k;
        if (listing_width(range) > rw)
            rw = listing_width(range);
    }
    printf("%-*s  CLAIMS  RANGE\n", (int)w, "QUANTITY");
    for (size_t i = 0; i < w + 10 + rw; i++)
        putchar(i == w || i == w + 1 || i == w + 8 || i == w + 9 ? ' ' : '-');
    putchar('\n');
    for (size_t i = 0; i < o->nnotes; i++) {
        char *f[4], *p = o->notes[i];
        for (int k = 0; k < 4; k++) {
            f[k] = p;
            p += strcspn(p, "\t");
            if (*p)
                *p++ = '\0';
        }
        printf("%-*s  %6s  %s\n", (int)w, f[0], f[1], f[2]);
        if (*f[3])
            listing_wrap(stdout, f[3], 4, 76);
    }
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
    if (!text)
        return KT_ERR_NOMEM;
    snprintf(text, len, "%s\n%s", f->note, f->source_urls);
    int rc = keep_note(o, text);
    free(text);
    return rc;
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
        /* the text is print_quantities' */
        listing_out_start(&o.list, json, 1, 0, NULL);
        rc = history_quantities_each(st, add_quantity, &o, &err);
    } else {
        static const char *const headers[] = {"", "VALUE", "AS OF", "CLAIMANT", "BASIS"};
        listing_out_start(&o.list, json, 0, 5, headers);
        listing_table_right(o.list.table, 1);
        listing_table_max(o.list.table, 3, 44);
        listing_table_max(o.list.table, 4, 36);
        rc = history_quantity_get(st, quantity, one_quantity, &o, &err);
        if (rc == KT_OK)
            rc = history_figures_each(st, quantity, add_figure, &o, &err);
    }
    store_close(st);
    if (rc == KT_OK && json && quantity) {
        /* One quantity: its claims under its key and titles. */
        json_t *j = json_object();
        json_object_set_new(j, "quantity", json_string(quantity));
        json_object_update(j, o.titles);
        json_object_set_new(j, "claims", o.list.json_items);
        o.list.json_items = j;
    }
    code = listing_out_end(&o.list, rc, &err);
    if (code == CLI_CONTINUE && !quantity) {
        if (o.nnotes == 0)
            printf("No figures in this database (kartoteka init loads them).\n");
        else {
            print_quantities(&o);
            printf("\nEvery claim about one quantity: kartoteka figures QUANTITY\n");
        }
    } else if (code == CLI_CONTINUE) {
        if (*o.title)
            printf("%s\n", o.title);
        printf("%s: %d claims, lowest first\n\n", quantity, o.list.n);
        listing_table_print(o.list.table, stdout, 2);
        print_notes(&o);
    }
    listing_out_free(&o.list);
    for (size_t i = 0; i < o.nnotes; i++)
        free(o.notes[i]);
    free(o.notes);
    free(o.title);
    json_decref(o.titles);
    return code == CLI_CONTINUE ? CLI_EXIT_OK : code;
}
