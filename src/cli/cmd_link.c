/*
 * cmd_link.c — `kartoteka link [--sources A,B] [--by NAME] [--json]`: links
 * the records of the lists into persons (src/link/), keeping persons' ids,
 * the links made by hand or shipped, and every human decision.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "link/link.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka link [--sources KEY,KEY...] [--by NAME] [--db FILE] [--json]\n"
        "\n"
        "Finds the records of different lists that are one man and links them into\n"
        "persons: blocking on the name engine's surname keys with a birth-year\n"
        "window of %d, a comparison per field (surname, given name, father, year and\n"
        "date of birth, birth place, rank, camp), Fellegi-Sunter weights estimated\n"
        "by EM on the data with a surname-frequency adjustment, one record of each\n"
        "list per person, and clustering that refuses to merge two records of one\n"
        "list or a pair a person rejected.\n"
        "\n"
        "Persons keep their ids; links made by hand ('kartoteka review') and those\n"
        "shipped with the data stay; running it again on the same data changes\n"
        "nothing. Doubtful pairs wait in 'kartoteka review'; 'kartoteka undo'\n"
        "reverts the run.\n"
        "\n"
        "options:\n"
        "  --sources LIST  only these sources (comma-separated keys; default all)\n"
        "  --by NAME       who ran it, for the links' provenance (default $USER)\n"
        "  --db FILE       database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json          the report as JSON\n"
        "  --help          this text\n", LINK_YEAR_WINDOW);
}

int cmd_link(int argc, char **argv)
{
    const char *db = cli_default_db(), *sources = NULL, *by = NULL;
    int json = 0;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "sources", .value = &sources},
        {.name = "by", .value = &by},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    int code = cli_options_only(argc, argv, opts, usage);
    if (code != CLI_CONTINUE)
        return code;
    char *list = sources ? strdup(sources) : NULL;
    const char *keys[64];
    int nkeys = 0;
    for (char *save = NULL, *k = list ? strtok_r(list, ",", &save) : NULL; k;
         k = strtok_r(NULL, ",", &save)) {
        if (nkeys == 64) {
            free(list);
            return cli_usage_error("link", "--sources: at most 64 sources");
        }
        keys[nkeys++] = k;
    }
    if (sources && nkeys == 0) {
        free(list);
        return cli_usage_error("link", "--sources wants source keys, e.g. nkvd,pck");
    }
    if (!by)
        by = getenv("USER") && *getenv("USER") ? getenv("USER") : "kartoteka link";
    store *st = cli_open_store_write(db, &code);
    if (!st) {
        free(list);
        return code;
    }
    kt_error err;
    kt_error_clear(&err);
    link_report rep;
    int rc = link_store_run(st, keys, nkeys, by, &rep, &err);
    store_close(st);
    free(list);
    if (rc != KT_OK)
        return cli_fail(rc, &err);
    if (json) {
        json_t *j = json_object();
        json_object_set_new(j, "run_id", rep.run_id ? json_integer(rep.run_id) : json_null());
        json_object_set_new(j, "records", json_integer(rep.records));
        json_object_set_new(j, "pairs_compared", json_integer((json_int_t)rep.compared));
        json_object_set_new(j, "links", json_integer(rep.links));
        json_object_set_new(j, "review", json_integer(rep.review));
        json_object_set_new(j, "persons_new", json_integer(rep.persons_new));
        json_object_set_new(j, "links_changed", json_integer(rep.changed));
        json_object_set_new(j, "match_share", json_real(rep.model.lambda));
        return cli_print_json(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? CLI_EXIT_ERROR
                                                                        : CLI_EXIT_OK;
    }
    printf("%lld records, %llu pairs compared, %lld links, %lld doubtful pairs for review\n",
           (long long)rep.records, (unsigned long long)rep.compared, (long long)rep.links,
           (long long)rep.review);
    if (rep.run_id)
        printf("run %lld: %lld links changed, %lld new persons ('kartoteka undo' reverts it)\n",
               (long long)rep.run_id, (long long)rep.changed, (long long)rep.persons_new);
    else
        printf("nothing changed\n");
    return CLI_EXIT_OK;
}
