/*
 * test_cli_listing.c — the built binary ($KARTOTEKA_BIN) run as a user
 * would: init (and its refusals), stats, sources, records, figures, events,
 * places, documents; exit codes, JSON that parses, text that lines up.
 */
#include "../testutil.h"

#include <utf8proc.h>

#include "store/store.h"

static void test_init_refuses_and_replaces(void **state)
{
    (void)state;
    test_run r = test_kt("init --db '%s'", test_db);
    assert_int_equal(r.code, 4);
    assert_non_null(strstr(r.err, "already exists"));
    test_run_free(&r);

    r = test_kt("init --db '%s' --force", test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "37 places, 78 events, 116 figures"));
    assert_non_null(strstr(r.out, "26 real persons"));
    test_run_free(&r);

    /* --force does not replace what is not a kartoteka database. */
    char other[160];
    snprintf(other, sizeof other, "%s/notes.txt", test_dir);
    FILE *f = fopen(other, "w");
    fputs("my notes\n", f);
    fclose(f);
    r = test_kt("init --db '%s' --force", other);
    assert_int_equal(r.code, 4);
    assert_non_null(strstr(r.err, "not a kartoteka database"));
    test_run_free(&r);
    f = fopen(other, "r");
    char buf[32] = "";
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "my notes\n");

    /* The default file is ./kartoteka.db. */
    char cmd[2 * PATH_MAX + 256];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' init >/dev/null && test -s kartoteka.db"
             " && '%s' stats >/dev/null", test_dir, test_bin, test_bin);
    assert_int_equal(system(cmd), 0);

    r = test_kt("init --bogus");
    assert_int_equal(r.code, 2);
    test_run_free(&r);
}

static void test_help_everywhere(void **state)
{
    (void)state;
    const char *cmds[] = {"init", "sources", "records", "figures", "events", "places",
                          "documents", "stats"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        test_run r = test_kt("%s --help", cmds[i]);
        char want[64];
        snprintf(want, sizeof want, "usage: kartoteka %s", cmds[i]);
        assert_int_equal(r.code, 0);
        if (!strstr(r.out, want))
            fail_msg("%s --help lacks '%s'", cmds[i], want);
        assert_non_null(strstr(r.out, "--db FILE"));
        test_run_free(&r);
    }
}

static void test_missing_database(void **state)
{
    (void)state;
    const char *cmds[] = {"sources", "records", "figures", "events", "places",
                          "documents", "stats"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        test_run r = test_kt("%s --db '%s/none.db'", cmds[i], test_dir);
        assert_int_equal(r.code, 5);
        assert_non_null(strstr(r.err, "kartoteka init"));
        test_run_free(&r);
    }
}

static void test_stats(void **state)
{
    (void)state;
    json_t *j = test_kt_json("stats --db '%s' --json", test_db);
    const struct { const char *key; int value; } want[] = {
        {"sources", 2}, {"records", 52}, {"linked_records", 52}, {"persons", 26},
        {"places", 37}, {"events", 78}, {"figures", 116}, {"documents", 32},
        {"schema_version", store_schema_latest()},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (json_integer_value(json_object_get(j, want[i].key)) !=
            (want[i].value ? want[i].value : store_schema_latest()))
            fail_msg("stats %s", want[i].key);
    assert_int_equal(json_array_size(json_object_get(j, "records_per_source")), 2);
    json_decref(j);

    test_run r = test_kt("stats --db '%s'", test_db);
    assert_int_equal(r.code, 0);
    char current[48];
    snprintf(current, sizeof current, "schema version %d (current)", store_schema_latest());
    assert_non_null(strstr(r.out, current));
    assert_non_null(strstr(r.out, "prisoners_ru"));
    assert_non_null(strstr(r.out, "52  records, 52 of them linked"));
    test_run_free(&r);
}

typedef struct claim {
    long long low, high;
} claim;

static void test_figures(void **state)
{
    (void)state;
    json_t *j = test_kt_json("figures pow_taken_1939 --json --db '%s'", test_db);
    assert_string_equal(json_string_value(json_object_get(j, "quantity")),
                        "pow_taken_1939");
    assert_string_equal(json_string_value(json_object_get(j, "title")),
                        "Prisoners of war taken by the Soviets in 1939");
    assert_string_equal(json_string_value(json_object_get(j, "title_pl")),
                        "Jeńcy wzięci do niewoli przez Sowietów w 1939 roku");
    json_t *claims = json_object_get(j, "claims");
    static const claim want[] = {{125000, 125000}, {190584, 190584}, {230000, 450000}};
    int found[3] = {0};
    size_t i;
    json_t *c;
    json_array_foreach(claims, i, c) {
        json_t *urls = json_object_get(c, "source_urls");
        assert_true(json_is_array(urls));
        assert_true(json_array_size(urls) >= 1);
        assert_int_equal(strncmp(json_string_value(json_array_get(urls, 0)), "http", 4), 0);
        for (int k = 0; k < 3; k++)
            if (json_integer_value(json_object_get(c, "value_low")) == want[k].low &&
                json_integer_value(json_object_get(c, "value_high")) == want[k].high)
                found[k] = 1;
    }
    assert_true(found[0] && found[1] && found[2]);
    json_decref(j);

    test_run r = test_kt("figures pow_taken_1939 --db '%s'", test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "230,000\xe2\x80\x93" "450,000"));
    assert_non_null(strstr(r.out, "190,584"));
    assert_non_null(strstr(r.out, "Soviet official figure"));
    assert_non_null(strstr(r.out, "    https://en.wikipedia.org/wiki/Polish_prisoners_of_war"));
    /* the title first, then the key */
    assert_int_equal(strncmp(r.out, "Prisoners of war taken by the Soviets in 1939\n"
                                    "pow_taken_1939: 9 claims, lowest first\n", 85), 0);
    test_run_free(&r);

    /* every quantity with its title on the line under it */
    r = test_kt("figures --db '%s'", test_db);
    assert_int_equal(r.code, 0);
    const char *row = strstr(r.out, "\npow_taken_1939 ");
    assert_non_null(row);
    assert_non_null(strstr(row, "  125,000 \xe2\x80\x93 450,000\n"
                                "    Prisoners of war taken by the Soviets in 1939\n"));
    test_run_free(&r);
    j = test_kt_json("figures --json --db '%s'", test_db);
    assert_int_equal(json_array_size(j), 73);
    json_t *q;
    json_array_foreach(j, i, q) {
        assert_true(json_string_length(json_object_get(q, "title")) > 0);
        assert_true(json_string_length(json_object_get(q, "title_pl")) > 0);
        assert_true(json_string_length(json_object_get(q, "quantity")) > 0);
    }
    json_decref(j);

    r = test_kt("figures pow_taken --db '%s'", test_db);
    assert_int_equal(r.code, 5);
    assert_non_null(strstr(r.err, "similar"));
    assert_non_null(strstr(r.err, "pow_taken_1939"));
    test_run_free(&r);
}

static void test_records(void **state)
{
    (void)state;
    json_t *all = test_kt_json("records --source prisoners_ru --limit 0 --json --db '%s'",
                               test_db);
    assert_false(json_boolean_value(json_object_get(all, "truncated")));
    assert_int_equal(json_integer_value(json_object_get(all, "total")), 26);
    json_t *j = json_object_get(all, "records");
    assert_int_equal(json_array_size(j), 26);
    size_t i;
    json_t *rec;
    json_array_foreach(j, i, rec) {
        assert_string_equal(json_string_value(json_object_get(rec, "source")),
                            "prisoners_ru");
        assert_true(json_string_length(json_object_get(rec, "raw")) > 20);
        assert_true(json_array_size(json_object_get(rec, "source_urls")) >= 1);
        assert_true(json_integer_value(json_object_get(rec, "person_id")) > 0);
    }
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0),
                                                          "surname")), "Сморавинский");
    json_decref(all);

    /* cut short by --limit, and saying so */
    all = test_kt_json("records --limit 3 --json --db '%s'", test_db);
    assert_int_equal(json_array_size(json_object_get(all, "records")), 3);
    assert_true(json_boolean_value(json_object_get(all, "truncated")));
    assert_int_equal(json_integer_value(json_object_get(all, "shown")), 3);
    json_decref(all);

    /* A source without records still gives valid JSON. */
    store *st;
    kt_error err;
    assert_int_equal(store_open(test_db, 0, &st, &err), KT_OK);
    store_source empty = {.key = "empty_list", .title = "Nothing yet"};
    assert_int_equal(store_source_add(st, &empty, &err), KT_OK);
    store_close(st);
    all = test_kt_json("records --source empty_list --json --db '%s'", test_db);
    assert_true(json_is_array(json_object_get(all, "records")));
    assert_int_equal(json_array_size(json_object_get(all, "records")), 0);
    assert_false(json_boolean_value(json_object_get(all, "truncated")));
    json_decref(all);
    assert_int_equal(store_open(test_db, 0, &st, &err), KT_OK);
    assert_int_equal(store_source_delete(st, empty.id, &err), KT_OK);
    store_close(st);

    test_run r = test_kt("records --source nope --db '%s'", test_db);
    assert_int_equal(r.code, 5);
    test_run_free(&r);
    r = test_kt("records --limit many --db '%s'", test_db);
    assert_int_equal(r.code, 2);
    test_run_free(&r);
}

/* Display column at which `needle` starts in the line that contains `key`. */
static long column_of(const char *text, const char *key, const char *needle)
{
    const char *line = strstr(text, key);
    if (!line)
        return -1;
    while (line > text && line[-1] != '\n')
        line--;
    const char *hit = strstr(line, needle);
    if (!hit)
        return -1;
    long col = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)line;
    while ((const char *)p < hit) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        col += utf8proc_charwidth(cp);
        p += n;
    }
    return col;
}

static void test_text_aligns_by_display_width(void **state)
{
    (void)state;
    test_run r = test_kt("records --limit 2 --db '%s'", test_db);
    assert_int_equal(r.code, 0);
    /* "Smorawiński" and "Сморавинский" differ in bytes, not in how they
     * line up: the birth year starts in the same column. */
    long pl = column_of(r.out, "Smorawiński", "1893");
    long ru = column_of(r.out, "Сморавинский", "1893");
    assert_true(pl > 0);
    assert_int_equal(pl, ru);
    assert_int_equal(column_of(r.out, "Smorawiński", "Kozelsk"),
                     column_of(r.out, "Сморавинский", "Kozelsk"));
    /* each record by the store's id and by its list's own key */
    assert_true(strncmp(r.out, "ID  SOURCE        KEY   SURNAME", 31) == 0);
    assert_non_null(strstr(r.out, " 1  prisoners_pl  P001  Smorawiński"));
    test_run_free(&r);
}

static void test_events_places_documents_sources(void **state)
{
    (void)state;
    json_t *j = test_kt_json("events --from 1940-04 --to 1940-05 --json --db '%s'", test_db);
    assert_true(json_array_size(j) >= 3);
    size_t i;
    json_t *e;
    int katyn = 0;
    json_array_foreach(j, i, e) {
        const char *start = json_string_value(json_object_get(e, "date_start"));
        assert_true(strncmp(start, "1940-06", 7) < 0);
        json_t *places = json_object_get(e, "place_ids");
        assert_true(json_is_array(places));
        for (size_t k = 0; k < json_array_size(places); k++)
            katyn |= !strcmp(json_string_value(json_array_get(places, k)),
                             "katyn_kozy_gory");
    }
    assert_true(katyn);
    json_decref(j);
    test_run r = test_kt("events --from April --db '%s'", test_db);
    assert_int_equal(r.code, 2);
    test_run_free(&r);

    j = test_kt_json("places --kind execution_site --json --db '%s'", test_db);
    assert_int_equal(json_array_size(j), 6);
    json_array_foreach(j, i, e)
        assert_string_equal(json_string_value(json_object_get(e, "kind")),
                            "execution_site");
    json_decref(j);
    r = test_kt("places --kind castle --db '%s'", test_db);
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "pow_camp"));
    test_run_free(&r);

    j = test_kt_json("documents --json --db '%s'", test_db);
    assert_int_equal(json_array_size(j), 32);
    json_decref(j);
    r = test_kt("documents --db '%s'", test_db);
    assert_non_null(strstr(r.out, "1940-03-05"));
    test_run_free(&r);

    j = test_kt_json("sources --json --db '%s'", test_db);
    assert_int_equal(json_array_size(j), 2);
    json_array_foreach(j, i, e)
        assert_int_equal(json_integer_value(json_object_get(e, "records")), 26);
    json_decref(j);
}

/* A record found by its list's own key: P001 is a key of both bundled
 * lists, so alone it names two records (both named, --source chooses). */
static void test_show_by_key(void **state)
{
    (void)state;
    test_run r = test_kt("show P001 --db '%s'", test_db);
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "2 records have the key 'P001'"));
    assert_non_null(strstr(r.err, "source prisoners_pl"));
    assert_non_null(strstr(r.err, "source prisoners_ru"));
    assert_non_null(strstr(r.err, "--source"));
    assert_string_equal(r.out, "");
    test_run_free(&r);

    json_t *recs = test_kt_json("records --source prisoners_ru --limit 1 --json --db '%s'",
                                test_db);
    json_t *rec = json_array_get(json_object_get(recs, "records"), 0);
    assert_string_equal(json_string_value(json_object_get(rec, "record_key")), "P001");
    json_int_t id = json_integer_value(json_object_get(rec, "id"));
    json_t *by_key = test_kt_json("show --source prisoners_ru P001 --json --db '%s'", test_db);
    json_t *by_id = test_kt_json("show --record %lld --json --db '%s'", (long long)id, test_db);
    assert_true(json_equal(by_key, by_id));
    json_decref(by_key);
    json_decref(by_id);
    json_decref(recs);
    r = test_kt("show --source prisoners_ru P001 --db '%s'", test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "Сморавинский"));
    test_run_free(&r);

    static const struct { const char *args, *says; int code; } bad[] = {
        {"show --source prisoners_ru P999", "no record with the key 'P999'", 5},
        {"show --source nope P001", "no source 'nope'", 5},
        {"show nokey", "no list gives it as a record's key", 5},
        {"show --record P001", "not a record id", 2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = test_kt("%s --db '%s'", bad[i].args, test_db);
        if (r.code != bad[i].code || !strstr(r.err, bad[i].says))
            fail_msg("%s: exit %d, %s", bad[i].args, r.code, r.err);
        test_run_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_everywhere),
        cmocka_unit_test(test_missing_database),
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_figures),
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_show_by_key),
        cmocka_unit_test(test_text_aligns_by_display_width),
        cmocka_unit_test(test_events_places_documents_sources),
        cmocka_unit_test(test_init_refuses_and_replaces),
    };
    return cmocka_run_group_tests(tests, test_setup_db, test_teardown);
}
