/*
 * cmd_places.c — `kartoteka places [--kind K] [--json]`: camps, prisons,
 * execution and burial sites, cemeteries and towns, with names in English,
 * Polish and Russian, coordinates and dates.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/listing.h"
#include "store/history.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka places [--kind KIND] [--long] [--db FILE] [--json]\n"
        "\n"
        "Places: NKVD camps, prisons, execution and burial sites, cemeteries,\n"
        "towns: id, kind and English name, in 80 columns. --long adds the names\n"
        "in Polish and Russian, coordinates (WGS84) where a source gave them, when\n"
        "a camp held Polish prisoners, a description and the sources.\n"
        "\n"
        "options:\n"
        "  --kind KIND  only this kind:");
    for (const char *const *k = history_place_kinds(); *k; k++)
        fprintf(out, " %s", *k);
    fprintf(out,
        "\n"
        "  --long       with descriptions, coordinate notes and source URLs\n"
        "  --db FILE    database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json       as JSON (source URLs as an array)\n"
        "  --help       this text\n");
}

static int add_place(void *ctx, const history_place *p)
{
    listing_out *o = ctx;
    o->n++;
    if (o->json) {
return listing_out_json(o, store_place_json(p));
    }
    char coords[64] = "", dates[48] = "";
    if (p->has_coords)
        snprintf(coords, sizeof coords, "%.4f, %.4f", p->latitude, p->longitude);
    if (*p->opened && *p->closed)
        snprintf(dates, sizeof dates, "%s \xe2\x80\x93 %s", p->opened, p->closed);
    else if (*p->opened)
        snprintf(dates, sizeof dates, "from %s", p->opened);
    else if (*p->closed)
        snprintf(dates, sizeof dates, "until %s", p->closed);
    if (o->longform) {
        printf("%s%s  (%s, %s)\n", o->n > 1 ? "\n" : "", p->name_en, p->id, p->kind);
        printf("    pl: %s\n    ru: %s\n", p->name_pl, p->name_ru);
        if (p->has_coords)
            printf("    coordinates: %s%s%s\n", coords, *p->coord_note ? " — " : "",
                   p->coord_note);
        if (*dates)
            printf("    dates: %s\n", dates);
        if (*p->description)
            listing_wrap(stdout, p->description, 4, 76);
        listing_urls(p->source_urls);
        return 0;
    }
    /* 80 columns: the id to ask for more, the kind, the name */
    const char *row[] = {p->id, p->kind, p->name_en};
    return listing_out_row(o, row);
}

int cmd_places(int argc, char **argv)
{
    const char *db = cli_default_db(), *kind = NULL;
    int json = 0, longform = 0;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "kind", .value = &kind},
        {.name = "long", .flag = &longform},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    int code = cli_options_only(argc, argv, opts, usage);
    if (code != CLI_CONTINUE)
        return code;
    if (kind) {
        const char *const *k = history_place_kinds();
        while (*k && strcmp(*k, kind))
            k++;
        if (!*k) {
            char list[256] = "";
            size_t n = 0;
            for (k = history_place_kinds(); *k; k++)
                n += snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", *k);
            return cli_usage_error(argv[0], "no place kind '%s'; kinds: %s", kind, list);
        }
    }

    store *st = cli_open_store(db, &code);
    if (!st)
        return code;
    static const char *const headers[] = {"ID", "KIND", "NAME"};
    listing_out o;
    listing_out_start(&o, json, longform, 3, headers);
    listing_table_max(o.table, 0, 20);
    listing_table_max(o.table, 1, 14);
    listing_table_max(o.table, 2, 80 - 20 - 14 - 4);
    kt_error err;
    kt_error_clear(&err);
    int rc = history_places_each(st, kind, add_place, &o, &err);
    store_close(st);
    char none[128]; /* kind is one of history_place_kinds() */
    snprintf(none, sizeof none, "No places%s%s.", kind ? " of kind " : "", kind ? kind : "");
    return listing_out_finish(&o, rc, &err, none,
                              "places; Polish and Russian names, coordinates, dates and "
                              "sources:\nkartoteka places --long");
}
