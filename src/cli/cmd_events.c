/*
 * cmd_events.c — `kartoteka events [--from DATE] [--to DATE] [--json]`:
 * the timeline, in date order, with places and sources.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/listing.h"
#include "store/history.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka events [--from DATE] [--to DATE] [--long] [--db FILE] [--json]\n"
        "\n"
        "The timeline from the pact of August 1939 onwards: date, title, places.\n"
        "Dates may be a year, a month or a day (1940, 1940-04, 1940-04-03); an\n"
        "event is shown when it overlaps the window.\n"
        "\n"
        "options:\n"
        "  --from DATE  events ending on or after DATE\n"
        "  --to DATE    events starting on or before DATE\n"
        "  --long       with each event's description and source URLs\n"
        "  --db FILE    database (default ./" CLI_DEFAULT_DB ")\n"
        "  --json       as JSON (place ids and source URLs as arrays)\n"
        "  --help       this text\n");
}

static json_t *split_ids(const char *ids)
{
    json_t *a = json_array();
    const char *p = ids;
    while (*p) {
        size_t n = strcspn(p, ";");
        if (n)
            json_array_append_new(a, json_stringn(p, n));
        p += n + (p[n] == ';');
    }
    return a;
}

static int add_event(void *ctx, const history_event *e)
{
    listing_out *o = ctx;
    o->n++;
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "id", json_string(e->id));
        json_object_set_new(j, "date_start", json_string(e->date_start));
        json_object_set_new(j, "date_end", store_json_str(e->date_end));
        json_object_set_new(j, "title", json_string(e->title));
        json_object_set_new(j, "place_ids", split_ids(e->place_ids));
        json_object_set_new(j, "description", store_json_str(e->description));
        json_object_set_new(j, "source_urls", store_json_urls(e->source_urls));
        return listing_out_json(o, j);
    }
    char date[48];
    if (*e->date_end)
        snprintf(date, sizeof date, "%s \xe2\x80\x93 %s", e->date_start, e->date_end);
    else
        snprintf(date, sizeof date, "%s", e->date_start);
    if (o->longform) {
        printf("%s%s  %s\n", o->n > 1 ? "\n" : "", date, e->title);
        if (*e->place_ids)
            printf("    places: %s\n", e->place_ids);
        if (*e->description)
            listing_wrap(stdout, e->description, 4, 76);
        listing_urls(e->source_urls);
        return 0;
    }
    char places[256];
    snprintf(places, sizeof places, "%s", e->place_ids);
    for (char *q = places; *q; q++)
        if (*q == ';')
            *q = ' ';
    const char *row[] = {date, e->title, places};
    return listing_out_row(o, row);
}

int cmd_events(int argc, char **argv)
{
    const char *db = CLI_DEFAULT_DB, *from = NULL, *to = NULL;
    int json = 0, longform = 0;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "from", .value = &from},
        {.name = "to", .value = &to},
        {.name = "long", .flag = &longform},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    int code = cli_options_only(argc, argv, opts, usage);
    if (code != CLI_CONTINUE)
        return code;
    if (from && !history_date_valid(from))
        return cli_usage_error(argv[0], "--from wants YYYY, YYYY-MM or YYYY-MM-DD, "
                               "not '%s'", from);
    if (to && !history_date_valid(to))
        return cli_usage_error(argv[0], "--to wants YYYY, YYYY-MM or YYYY-MM-DD, "
                               "not '%s'", to);

    store *st = cli_open_store(db, &code);
    if (!st)
        return code;
    static const char *const headers[] = {"DATE", "EVENT", "PLACES"};
    listing_out o;
    listing_out_start(&o, json, longform, 3, headers);
    listing_table_max(o.table, 1, 70);
    listing_table_max(o.table, 2, 50);
    kt_error err;
    kt_error_clear(&err);
    int rc = history_events_each(st, from, to, add_event, &o, &err);
    store_close(st);
    return listing_out_finish(&o, rc, &err,
                              from || to ? "No events in this window." : "No events.",
                              "events; descriptions and sources: kartoteka events --long");
}
