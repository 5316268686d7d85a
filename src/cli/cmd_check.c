/*
 * cmd_check.c — `kartoteka check [--db FILE] [--quick] [--json]`: whether
 * the database keeps every promise the store makes (store_check,
 * store/maintenance.h), each problem named by table, id and record_key.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "index/index.h"
#include "store/maintenance.h"

/* Checks of what lives above the store, run by store_check inside the same
 * snapshot after its own. */
static const store_check_hook check_hooks[] = {
    {.name = "index", .run = index_check_snapshot},
    {.name = NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
        "usage: kartoteka check [--db FILE] [--quick] [--json]\n"
        "\n"
        "Checks the database in one snapshot (safe while an import runs) and\n"
        "changes nothing in it:\n"
        "  identity      the kartoteka application id and this version's schema\n"
        "  integrity     SQLite's PRAGMA integrity_check: every page, row and index\n"
        "  foreign_keys  PRAGMA foreign_key_check: no row refers to a missing one\n"
        "  raw_rows      every record keeps its raw source row\n"
        "  sources       every imported file's SHA-256 checksum is well formed\n"
        "  links         a linked record has exactly one link row, naming the same\n"
        "                person as the record does\n"
        "  index         the search index snapshot beside the database (when one is\n"
        "                current for it) holds every record once, as the store does\n"
        "Each problem is printed with its table, id and record_key.\n"
        "\n"
        "Beside the database it looks for the files a killed 'kartoteka init'\n"
        "(FILE.init-PID-XXXXXX) or index snapshot writer (FILE.index.tmp.PID) left:\n"
        "each is reported ('leftover: ...'), and removed when its process is gone;\n"
        "one a running process is writing is kept. They are not problems of the\n"
        "database and do not change the exit code.\n"
        "\n"
        "options:\n"
        "  --db FILE   database (default $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --quick     PRAGMA quick_check instead of integrity_check (skips the\n"
        "              comparison of indexes with their tables; faster)\n"
        "  --json      the outcome as JSON\n"
        "  --help      this text\n"
        "\n"
        "exit codes: 0 no problem found; 1 problems found, or the check could not\n"
        "run; 2 wrong arguments; 3 not a kartoteka database; 5 no database\n");
}

typedef struct check_out {
    int json;
    json_t *list, *leftovers;
} check_out;

static void report_leftover(void *ctx, const kt_leftover *l)
{
    check_out *o = ctx;
    char line[8192];
    kt_leftover_describe(l, line, sizeof line);
    if (o->json)
        json_array_append_new(o->leftovers,
                              json_pack("{s:s, s:I, s:b, s:b, s:s}", "file", l->path, "pid",
                                        (json_int_t)l->pid, "running", l->running,
                                        "removed", l->removed, "message", line));
    else
        printf("leftover: %s\n", line);
}

static void print_finding(void *ctx, const store_finding *f)
{
    check_out *o = ctx;
    if (o->json) {
        json_array_append_new(o->list,
                              json_pack("{s:s, s:s?, s:I, s:s?, s:s}", "check", f->check,
                                        "table", f->table, "id", (json_int_t)f->id,
                                        "record_key", f->record_key, "problem", f->problem));
        return;
    }
    if (f->table && f->record_key)
        printf("%s: %s %lld (record_key %s): %s\n", f->check, f->table, (long long)f->id,
               f->record_key, f->problem);
    else if (f->table)
        printf("%s: %s %lld: %s\n", f->check, f->table, (long long)f->id, f->problem);
    else
        printf("%s: %s\n", f->check, f->problem);
}

int cmd_check(int argc, char **argv)
{
    const char *db = cli_default_db();
    int json = 0, quick = 0, code;
    const cli_option opts[] = {
        {.name = "db", .value = &db},
        {.name = "quick", .flag = &quick},
        {.name = "json", .flag = &json},
        {.name = NULL},
    };
    store *st = cli_start(argc, argv, opts, usage, &db, &code);
    if (!st)
        return code;
    int nhooks = 0;
    while (check_hooks[nhooks].name)
        nhooks++;
    store_check_options copt = {.quick = quick, .hooks = check_hooks, .nhooks = nhooks};
    check_out o = {.json = json, .list = json ? json_array() : NULL,
                   .leftovers = json ? json_array() : NULL};
    kt_leftovers_sweep(KT_LEFTOVER_INIT, db, report_leftover, &o, NULL);
    index_snapshot_sweep(st, report_leftover, &o, NULL);
    store_check_result res;
    kt_error err;
    kt_error_clear(&err);
    int rc = store_check(st, &copt, print_finding, &o, &res, &err);
    store_close(st);
    if (rc != KT_OK) {
        json_decref(o.list);
        json_decref(o.leftovers);
        return cli_fail(rc, &err);
    }
    code = res.findings ? CLI_EXIT_ERROR : CLI_EXIT_OK;
    if (json) {
        json_t *j = json_pack("{s:s, s:b, s:I, s:o, s:i, s:i, s:I, s:I, s:I, s:I, s:o}",
                              "database", db, "ok", res.findings == 0, "problems",
                              (json_int_t)res.findings, "findings", o.list, "checks",
                              res.checks_run, "schema_version", res.schema_version, "sources",
                              (json_int_t)res.sources, "records", (json_int_t)res.records,
                              "persons", (json_int_t)res.persons, "links",
                              (json_int_t)res.links, "leftovers", o.leftovers);
        return cli_print_json(j, JSON_COMPACT) ? CLI_EXIT_ERROR : code;
    }
    if (res.findings)
        printf("%s: %ld problem%s found by %d checks\n", db, res.findings,
               res.findings == 1 ? "" : "s", res.checks_run);
    else
        printf("%s: ok — %d checks, %lld sources, %lld records, %lld persons, %lld links, "
               "schema version %d\n",
               db, res.checks_run, (long long)res.sources, (long long)res.records,
               (long long)res.persons, (long long)res.links, res.schema_version);
    return code;
}
