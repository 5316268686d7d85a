/*
 * cmd_events.c — `kartoteka events [--from DATE] [--to DATE] [--json]`:
 * the timeline, in date order, with places and sources.
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
        "usage: kartoteka events [--from DATE] [--to DATE] [--long] [--db FILE] [--json]\n"
        "\n"
        "The timeline from the pact of August 1939 onwards: date and title, and\n"
        "under them the places by name, in 80 columns.\n"
        "Dates may be a year, a month or a day (1940, 1940-04, 1940-04-03); an\n"
        "event is shown when it overlaps the window.\n"
        "\n"
        "options:\n"
        "  --from DATE  events ending on or after DATE\n"
        "  --to DATE    events starting on or before DATE\n"
        "  --long       with each event's description and source URLs\n"
        "  --db FILE    database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json       as JSON (place ids, place names and source URLs as arrays)\n"
        "  --help       this text\n");
}

/* The places' names by id, for the events to name their places. */
typedef struct place_name {
    char *id, *name;
} place_name;

typedef struct events_out {
    listing_out o;
    place_name *place;
    size_t nplace;
} events_out;

static int keep_place(void *ctx, const history_place *p)
{
    events_out *x = ctx;
    place_name *bigger = realloc(x->place, (x->nplace + 1) * sizeof *bigger);
    if (!bigger)
        return KT_ERR_NOMEM;
    x->place = bigger;
    /* "Kozelsk special camp (Optina Monastery)": the name before the bracket */
    size_t n = strcspn(p->name_en, "(");
    while (n && p->name_en[n - 1] == ' ')
        n--;
    place_name *pn = &x->place[x->nplace];
    pn->id = strdup(p->id);
    pn->name = strndup(p->name_en, n ? n : strlen(p->name_en));
    if (!pn->id || !pn->name) {
        free(pn->id);
        free(pn->name);
        return KT_ERR_NOMEM;
    }
    x->nplace++;
    return 0;
}

/* The name of place id (n bytes), or the id itself when unknown. */
static void place_of(const events_out *x, const char *id, size_t n, char *out, size_t cap)
{
    for (size_t i = 0; i < x->nplace; i++)
        if (strlen(x->place[i].id) == n && !strncmp(x->place[i].id, id, n)) {
            snprintf(out, cap, "%s", x->place[i].name);
            return;
        }
    snprintf(out, cap, "%.*s", (int)n, id);
}

/* "Kozelsk special camp, Starobilsk special camp" for "kozelsk_camp;...". */
static void place_names(const events_out *x, const char *ids, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = ids; *p && o + 3 < cap;) {
        size_t n = strcspn(p, ";");
        if (n) {
            char name[256];
            place_of(x, p, n, name, sizeof name);
            o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? ", " : "", name);
        }
        p += n + (p[n] == ';');
    }
}

static json_t *names_json(const events_out *x, const char *ids)
{
    json_t *a = json_array();
    for (const char *p = ids; *p;) {
        size_t n = strcspn(p, ";");
        if (n) {
            char name[256];
            place_of(x, p, n, name, sizeof name);
            json_array_append_new(a, json_string(name));
        }
        p += n + (p[n] == ';');
    }
    return a;
}

static int add_event(void *ctx, const history_event *e)
{
    events_out *x = ctx;
    listing_out *o = &x->o;
    o->n++;
    if (o->json) {
        json_t *j = store_event_json(e);
        if (j)
            json_object_set_new(j, "place_names", names_json(x, e->place_ids));
        return listing_out_json(o, j);
    }
    char date[48];
    if (*e->date_end)
        snprintf(date, sizeof date, "%s \xe2\x80\x93 %s", e->date_start, e->date_end);
    else
        snprintf(date, sizeof date, "%s", e->date_start);
    char places[1024];
    place_names(x, e->place_ids, places, sizeof places);
    if (o->longform) {
        printf("%s%s  %s\n", o->n > 1 ? "\n" : "", date, e->title);
        if (*e->place_ids) {
            char line[1200];
            snprintf(line, sizeof line, "places: %s", places);
            listing_wrap(stdout, line, 4, 76);
        }
        if (*e->description)
            listing_wrap(stdout, e->description, 4, 76);
        listing_urls(e->source_urls);
        return 0;
    }
    /* 80 columns: the date and title, the places on a line of their own */
    const char *row[] = {date, e->title};
    int rc = listing_out_row(o, row);
    if (rc == 0 && *places) {
        char line[1100];
        snprintf(line, sizeof line, "  at %s", places);
        const char *at[] = {"", line};
        rc = listing_table_add(o->table, at) ? KT_ERR_NOMEM : 0;
    }
    return rc;
}

int cmd_events(int argc, char **argv)
{
    const char *db = cli_default_db(), *from = NULL, *to = NULL;
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
    static const char *const headers[] = {"DATE", "EVENT"};
    events_out x = {0};
    listing_out_start(&x.o, json, longform, 2, headers);
    /* a range of days is 23 columns wide: the title gets the rest of 80 */
    listing_table_max(x.o.table, 1, 80 - 23 - 2);
    kt_error err;
    kt_error_clear(&err);
    int rc = history_places_each(st, NULL, keep_place, &x, &err);
    if (rc == KT_OK)
        rc = history_events_each(st, from, to, add_event, &x, &err);
    store_close(st);
    for (size_t i = 0; i < x.nplace; i++) {
        free(x.place[i].id);
        free(x.place[i].name);
    }
    free(x.place);
    return listing_out_finish(&x.o, rc, &err,
                              from || to ? "No events in this window." : "No events.",
                              "events; descriptions and sources: kartoteka events --long");
}
