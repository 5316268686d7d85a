/*
 * cmd_places.c — `kartoteka places [--kind K] [--json]`: camps, prisons,
 * execution and burial sites, cemeteries and towns, with names in English,
 * Polish and Russian, coordinates and dates.
 */
#include <getopt.h>
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
        "towns. Names in English, Polish and Russian; coordinates (WGS84) where a\n"
        "source gave them; when a camp held Polish prisoners.\n"
        "\n"
        "options:\n"
        "  --kind KIND  only this kind:");
    for (const char *const *k = history_place_kinds(); *k; k++)
        fprintf(out, " %s", *k);
    fprintf(out,
        "\n"
        "  --long       with descriptions, coordinate notes and source URLs\n"
        "  --db FILE    database (default ./" CLI_DEFAULT_DB ")\n"
        "  --json       as JSON (source URLs as an array)\n"
        "  --help       this text\n");
}

typedef struct out {
    listing_table *table;
    json_t *json;
    int longform, n;
} out;

static int add_place(void *ctx, const history_place *p)
{
    out *o = ctx;
    o->n++;
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "id", json_string(p->id));
        json_object_set_new(j, "kind", json_string(p->kind));
        json_object_set_new(j, "name_en", json_string(p->name_en));
        json_object_set_new(j, "name_pl", listing_json_str(p->name_pl));
        json_object_set_new(j, "name_ru", listing_json_str(p->name_ru));
        json_object_set_new(j, "latitude", p->has_coords ? json_real(p->latitude)
                                                         : json_null());
        json_object_set_new(j, "longitude", p->has_coords ? json_real(p->longitude)
                                                          : json_null());
        json_object_set_new(j, "coord_note", listing_json_str(p->coord_note));
        json_object_set_new(j, "opened", listing_json_str(p->opened));
        json_object_set_new(j, "closed", listing_json_str(p->closed));
        json_object_set_new(j, "description", listing_json_str(p->description));
        json_object_set_new(j, "source_urls", listing_json_urls(p->source_urls));
        return json_array_append_new(o->json, j) ? KT_ERR_NOMEM : 0;
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
        const char *u = p->source_urls;
        char url[2048];
        while (history_url_next(&u, url, sizeof url))
            printf("    %s\n", url);
        return 0;
    }
    const char *row[] = {p->id, p->kind, p->name_en, p->name_pl, coords, dates};
    return listing_table_add(o->table, row) ? KT_ERR_NOMEM : 0;
}

int cmd_places(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"kind", required_argument, NULL, 'k'},
        {"long", no_argument, NULL, 'l'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = CLI_DEFAULT_DB, *kind = NULL;
    int json = 0, longform = 0, c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'k': kind = optarg; break;
        case 'l': longform = 1; break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default:
            return cli_usage_error(argv[0], "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
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

    int code;
    store *st = listing_open(db, &code);
    if (!st)
        return code;
    static const char *const headers[] = {"ID", "KIND", "NAME", "POLISH NAME",
                                          "LAT, LON", "HELD / USED"};
    out o = {.longform = longform};
    if (json)
        o.json = json_array();
    else if (!longform) {
        o.table = listing_table_new(6, headers);
        listing_table_max(o.table, 2, 44);
        listing_table_max(o.table, 3, 44);
    }
    kt_error err;
    kt_error_clear(&err);
    int rc = history_places_each(st, kind, add_place, &o, &err);
    store_close(st);
    if (rc != KT_OK) {
        if (!err.message[0])
            kt_error_set(&err, "out of memory");
        cli_print_error(&err);
        json_decref(o.json);
        listing_table_free(o.table);
        return CLI_EXIT_ERROR;
    }
    if (json)
        return listing_json_print(o.json) ? CLI_EXIT_ERROR : CLI_EXIT_OK;
    if (o.n == 0)
        printf("No places%s%s.\n", kind ? " of kind " : "", kind ? kind : "");
    else if (o.table) {
        listing_table_print(o.table, stdout, 0);
        printf("\n%d places; Russian names, notes and sources: kartoteka places --long\n",
               o.n);
    }
    listing_table_free(o.table);
    return CLI_EXIT_OK;
}
