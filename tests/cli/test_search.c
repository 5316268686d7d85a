/*
 * test_search.c — `kartoteka search` run as a user would ($KARTOTEKA_BIN),
 * on a database made by `kartoteka init` plus the real Memorial list:
 * text and JSON output with explanations, batch mode (one JSON line per
 * query), the filters, a person found under his other names (aliases),
 * and the usage errors with their exit codes.
 */
#include "../testutil.h"

/* The bundled data and Memorial's list of people shot in Moscow. */
static int setup(void **state)
{
    if (test_setup_db(state))
        return -1;
    test_kt_ok("import tests/data/memorial/moscow_shot_1937_1941.csv --source memorial_moscow"
               " --column name=NAME --column note=BIO --db '%s'", test_db);
    return 0;
}

static void test_text(void **state)
{
    (void)state;
    test_run r = test_kt("search --db '%s' Mieczysław Benaszewski", test_db);
    assert_int_equal(r.code, 0);
    /* rank, score, name, year, source; then the why lines, indented */
    assert_non_null(strstr(r.out, " 1. 1.00  Бенашевский Мечислав Станиславович  1901  [memorial_moscow"));
    assert_non_null(strstr(r.out, "\n      Бенашевский = Benaszewski: sz→ш, w→в\n"));
    assert_non_null(strstr(r.out, "\n      Мечислав = Mieczysław"));
    test_run_free(&r);

    /* the record named by the list's own key as well as the store's id */
    r = test_kt("search --db '%s' --limit 1 Olszyna-Wilczynski", test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, ", key P004, record "));
    test_run_free(&r);

    /* options after the query words are options, not words of the query */
    r = test_kt("search Mieczysław Benaszewski --db '%s' --limit 1", test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, " 1. 1.00  Бенашевский Мечислав Станиславович"));
    assert_null(strstr(r.out, " 2. "));
    test_run_free(&r);

    r = test_kt("search --db '%s' Qxzqxz", test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "No one found"));
    test_run_free(&r);
}

static void test_json(void **state)
{
    (void)state;
    static const char *queries[] = {"Olszyna-Wilczynski", "Ольшина-Вильчинский",
                                    "Olschina-Wiltschinski"};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        test_run r = test_kt("search --db '%s' --json --limit 3 '%s'", test_db, queries[i]);
        assert_int_equal(r.code, 0);
        /* one line */
        int lines = 0;
        for (const char *c = r.out; *c; c++)
            lines += *c == '\n';
        assert_int_equal(lines, 1);
        json_t *j = test_json_parse(r.out, JSON_DISABLE_EOF_CHECK);
        assert_string_equal(json_string_value(json_object_get(j, "query")), queries[i]);
        json_t *res = json_object_get(j, "results");
        assert_true(json_array_size(res) >= 1);
        /* the general first, once: his two records (person 2 of the bundled
         * pairs) grouped under the best one */
        json_t *best = json_array_get(res, 0);
        json_t *recs = json_object_get(best, "records");
        assert_int_equal(json_array_size(recs), 2);
        for (size_t k = 0; k < 2; k++) {
            json_t *h = k == 0 ? best : json_array_get(recs, 1);
            assert_true(json_is_integer(json_object_get(h, "record_id")));
            /* the list's own key of the row: the bundled pairs' P004 */
            assert_string_equal(json_string_value(json_object_get(h, "record_key")), "P004");
            assert_string_equal(json_string_value(json_object_get(json_array_get(recs, k),
                                                                  "record_key")), "P004");
            if (k == 0)
                assert_true(json_is_integer(json_object_get(h, "person_id")));
            const char *name = json_string_value(json_object_get(h, "name"));
            assert_true(strstr(name, "Ольшина-Вильчинский") || strstr(name, "Olszyna-Wilczyński"));
            assert_non_null(strstr(json_string_value(json_object_get(h, "source")), "prisoners_"));
            double sc = json_real_value(json_object_get(h, "score"));
            assert_true(sc > 0.9 && sc <= 1.0);
            if (k == 0)
                assert_true(json_array_size(json_object_get(h, "why")) >= 1);
        }
        json_decref(j);
        test_run_free(&r);
    }
}

static void test_batch(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof path, "%s/queries.txt", test_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("Mieczysław Benaszewski\n\nSmoravinskiy 1893\r\nQxzqxz\n", f);
    fclose(f);
    test_run r = test_kt("search --db '%s' --batch '%s' --json --limit 2", test_db, path);
    assert_int_equal(r.code, 0);
    /* three queries (the empty line skipped), three lines */
    const char *want[] = {"Mieczysław Benaszewski", "Smoravinskiy 1893", "Qxzqxz"};
    char *line = r.out;
    for (int i = 0; i < 3; i++) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = '\0';
        json_t *j = test_json_parse(line, JSON_DISABLE_EOF_CHECK);
        assert_string_equal(json_string_value(json_object_get(j, "query")), want[i]);
        size_t n = json_array_size(json_object_get(j, "results"));
        if (i == 2) {
            assert_int_equal(n, 0);
        } else {
            assert_true(n >= 1 && n <= 2);
        }
        if (i == 1) {
            /* a romanisation of the Russian form: both of his records
             * answer, the Cyrillic one (the other script) first */
            json_t *h = json_array_get(json_object_get(j, "results"), 0);
            assert_string_equal(json_string_value(json_object_get(h, "name")),
                                "Сморавинский Мечислав");
            assert_int_equal(json_array_size(json_object_get(h, "records")), 2);
            assert_int_equal(json_integer_value(json_object_get(h, "birth_year")), 1893);
        }
        json_decref(j);
        line = nl + 1;
    }
    assert_string_equal(line, "");
    test_run_free(&r);

    /* standard input */
    r = test_kt("search --db '%s' --batch - --json < '%s'", test_db, path);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "\"query\":\"Smoravinskiy 1893\""));
    test_run_free(&r);
}

static void test_filters(void **state)
{
    (void)state;
    static const struct {
        const char *args;
        const char *text; /* in the output, or (found 0) not */
        int found;
    } cases[] = {
        {"--born 1950 Benaszewski", "\"results\":[]", 1},
        {"--born 1902 Benaszewski", "Бенашевский", 1}, /* 1901: within 2 */
        {"--born 1904 --tolerance 1 Benaszewski", "Бенашевский", 0}, /* 1901: not within 1 */
        /* the bundled records of the general say Kozelsk */
        {"--camp Козельск Smorawiński", "Smorawiński Mieczysław", 1},
        {"--camp Starobielsk Smorawiński", "Smorawiński Mieczysław", 0},
        {"--fate Katyn Smorawiński", "Smorawiński Mieczysław", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        test_run r = test_kt("search --db '%s' --json %s", test_db, cases[i].args);
        assert_int_equal(r.code, 0);
        if (!strstr(r.out, cases[i].text) != !cases[i].found)
            fail_msg("search %s: '%s' %s in %.300s", cases[i].args, cases[i].text,
                     cases[i].found ? "not found" : "found", r.out);
        test_run_free(&r);
    }
}

/* A person found under another name the registry holds for him: the hit
 * is his record, once, and says which name of which kind found it. */
static void test_aliases(void **state)
{
    (void)state;
    static const struct {
        const char *query, *first, *why;
    } cases[] = {
        {"Jan Karski", " 1. 1.00  Kozielewski Jan Romuald  1914  [prisoners_pl",
         "\n      known as Jan Karski (nom de guerre) = Jan Karski\n"},
        /* both of his records answer exactly (the Latin one through
         * "Jan Karski"); either may come first */
        {"Ян Карский", " 1. 1.00  ",
         "\n      known as Ян Карский (nom de guerre) = Ян Карский\n"},
        {"Weronika Hort", " 1. 1.00  Ordonówna Hanka  1902  [prisoners_pl",
         "\n      known as Weronika Hort (pen name) = Weronika Hort\n"},
        {"Maria Anna Pietruszyńska", " 1. 1.00  Ordonówna Hanka  1902",
         "known as Maria Anna Pietruszyńska (birth name)"},
        {"Janina Dowbor-Muśnicka", " 1. 1.00  Lewandowska Janina Antonina  1908",
         "known as Janina Dowbor-Muśnicka (maiden name) = Janina Dowbor-Muśnicka"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        test_run r = test_kt("search --db '%s' --limit 5 '%s'", test_db, cases[i].query);
        assert_int_equal(r.code, 0);
        if (strncmp(r.out, cases[i].first, strlen(cases[i].first)))
            fail_msg("'%s': first line\n%s", cases[i].query, r.out);
        if (!strstr(r.out, cases[i].why))
            fail_msg("'%s': no '%s' in\n%s", cases[i].query, cases[i].why, r.out);
        /* the first hit is the person the alias belongs to */
        const char *nl = strchr(r.out, '\n');
        const char *person = strstr(r.out, ", person ");
        assert_true(nl && person && person < nl);
        test_run_free(&r);
    }
    test_run r = test_kt("search --db '%s' --limit 2 'Ян Карский'", test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "Kozielewski Jan Romuald  1914"));
    assert_non_null(strstr(r.out, "Козелевский Ян  1914"));
    test_run_free(&r);

    /* JSON: the alias and its kind, and no second hit on the same record */
    r = test_kt("search --db '%s' --json --limit 10 'Jan Karski'", test_db);
    assert_int_equal(r.code, 0);
    json_t *j = test_json_parse(r.out, JSON_DISABLE_EOF_CHECK);
    json_t *res = json_object_get(j, "results");
    json_t *h = json_array_get(res, 0);
    assert_non_null(strstr(json_string_value(json_object_get(h, "name")), "Kozielewski"));
    json_t *a = json_object_get(h, "alias");
    assert_string_equal(json_string_value(json_object_get(a, "name")), "Jan Karski");
    assert_string_equal(json_string_value(json_object_get(a, "kind")), "nom de guerre");
    json_int_t first = json_integer_value(json_object_get(h, "record_id"));
    for (size_t k = 1; k < json_array_size(res); k++)
        assert_int_not_equal(json_integer_value(json_object_get(json_array_get(res, k),
                                                                "record_id")), first);
    json_decref(j);
    test_run_free(&r);

    /* "Jan Kozielewski" reaches the Russian record by its own name and by
     * the Ukrainian spelling "Ян Козєлєвський" (an alias): each record once,
     * both by their names, without an alias line; of the man's two records
     * the Cyrillic one (the other script) comes first */
    r = test_kt("search --db '%s' --json --limit 10 'Jan Kozielewski'", test_db);
    assert_int_equal(r.code, 0);
    j = test_json_parse(r.out, JSON_DISABLE_EOF_CHECK);
    res = json_object_get(j, "results");
    h = json_array_get(res, 0);
    assert_non_null(strstr(json_string_value(json_object_get(h, "name")), "Козелевский"));
    assert_null(json_object_get(h, "alias"));
    json_t *polish = json_array_get(json_object_get(h, "records"), 1);
    assert_non_null(strstr(json_string_value(json_object_get(polish, "name")), "Kozielewski"));
    assert_string_equal(json_string_value(json_array_get(json_object_get(polish, "why"), 0)),
                        "Kozielewski = Kozielewski");
    for (size_t i = 0; i < json_array_size(res); i++)
        for (size_t k = i + 1; k < json_array_size(res); k++)
            assert_int_not_equal(
                json_integer_value(json_object_get(json_array_get(res, i), "record_id")),
                json_integer_value(json_object_get(json_array_get(res, k), "record_id")));
    json_decref(j);
    test_run_free(&r);
}

static void test_usage(void **state)
{
    (void)state;
    static const char *bad[] = {"", "--limit -1 Kowalski", "--limit x Kowalski",
                                "--born abc Kowalski", "--tolerance -1 Kowalski",
                                "--batch /dev/null Kowalski", "--nonsense Kowalski"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        test_run r = test_kt("search --db '%s' %s", test_db, bad[i]);
        if (r.code != 2)
            fail_msg("'search %s' exits %d, expected 2", bad[i], r.code);
        assert_true(r.err[0] != '\0');
        test_run_free(&r);
    }
    test_run r = test_kt("search --help");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "examples:"));
    assert_non_null(strstr(r.out, "--batch FILE"));
    test_run_free(&r);
    r = test_kt("search --db '%s/none.db' Kowalski", test_dir);
    assert_int_not_equal(r.code, 0);
    assert_true(r.err[0] != '\0');
    test_run_free(&r);
    r = test_kt("search --db '%s' --batch '%s/missing.txt'", test_db, test_dir);
    assert_int_equal(r.code, 1);
    test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_usage),
    };
    return cmocka_run_group_tests(tests, setup, test_teardown);
}
