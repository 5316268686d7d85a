/*
 * test_link_cli.c — linking lists into persons as a user does it, with the
 * built binary: the bundled persons keep their links and none merges with
 * another; a re-run changes nothing; a new list links into the existing
 * persons, whose ids stay; accept and reject survive a re-run; undo
 * restores the persons exactly; persons and show give source, record_key
 * and id on every record; the GEDCOM export's structure, and Gramps (when
 * installed) keeps every person, name and birth year.
 *
 * The lists are generated with known truth (bench/gen_lists.c), small.
 */
#include "../testutil.h"

#include <sqlite3.h>

#include "db_query.h"

#include "../../bench/gen_lists.c"

static gen_lists lists;

static void write_list(int list, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.csv", test_dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(gen_lists_write_csv(&lists, list, f), 0);
    fclose(f);
}

static int setup(void **state)
{
    if (test_setup_db(state))
        return -1;
    gen_options o;
    gen_options_realistic(&o, 0.04, 1.0);
    if (gen_lists_make(&o, &lists))
        return -1;
    write_list(GEN_NKVD, "nkvd");
    write_list(GEN_MEMORIAL, "memorial");
    write_list(GEN_EXHUMED, "exhumed");
    test_kt_ok("import '%s/nkvd.csv' --source nkvd --db '%s'", test_dir, test_db);
    test_kt_ok("import '%s/memorial.csv' --source memorial --db '%s'", test_dir, test_db);
    return 0;
}

static int teardown(void **state)
{
    gen_lists_free(&lists);
    return test_teardown(state);
}

/* Everything that makes the persons, as one text. */
static char *dump(void)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(test_db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
        "SELECT 'p', id, label, created_at, '', '', '' FROM person"
        " UNION ALL SELECT 'l', person_id, record_id, method, weight, coalesce(by, ''),"
        "  coalesce(why, '') || created_at FROM person_record"
        " UNION ALL SELECT 'r', id, coalesce(person_id, 0), '', '', '', '' FROM record"
        " UNION ALL SELECT 'a', id, person_id, name, kind, '', '' FROM person_alias"
        " UNION ALL SELECT 'd', record_a, record_b, decision, coalesce(by, ''),"
        "  coalesce(why, ''), '' FROM link_decision ORDER BY 1, 2, 3", -1, &s, NULL),
        SQLITE_OK);
    size_t cap = 1 << 20, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int c = 0; c < 7; c++) {
            const char *t = (const char *)sqlite3_column_text(s, c);
            size_t l = t ? strlen(t) : 0;
            while (n + l + 2 > cap) {
                cap *= 2;
                out = realloc(out, cap);
                assert_non_null(out);
            }
            memcpy(out + n, t ? t : "", l);
            n += l;
            out[n++] = c == 6 ? '\n' : '|';
            out[n] = '\0';
        }
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

/* Runs in order: each step builds on the last. */
static void test_link_and_rerun(void **state)
{
    (void)state;
    json_t *j = test_kt_json("link --db '%s' --json --by tester", test_db);
    assert_true(json_integer_value(json_object_get(j, "links")) > 100);
    assert_true(json_is_integer(json_object_get(j, "run_id")));
    json_decref(j);
    /* the bundled persons: each his two records, none merged with another */
    assert_int_equal(sql_int("SELECT count(*) FROM person_record WHERE method = 'bundled'"),
                     52);
    assert_int_equal(sql_int("SELECT count(DISTINCT person_id) FROM person_record"
                             " WHERE method = 'bundled'"), 26);
    assert_int_equal(sql_int("SELECT count(*) FROM (SELECT person_id FROM record WHERE"
                             " person_id IN (SELECT person_id FROM person_record WHERE"
                             " method = 'bundled') GROUP BY person_id HAVING count(*) <> 2)"),
                     0);
    assert_int_equal(sql_int("SELECT count(*) FROM person_record pr WHERE pr.person_id IN"
                             " (SELECT person_id FROM person_record WHERE method = 'bundled')"
                             " AND pr.method <> 'bundled'"), 0);
    /* one record of a list per person */
    assert_int_equal(sql_int("SELECT count(*) FROM (SELECT person_id, source_id FROM record"
                             " WHERE person_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1)"),
                     0);
    /* precision against the truth column kept in the raw rows */
    int64_t wrong = sql_int(
        "SELECT count(*) FROM record a JOIN record b ON a.person_id = b.person_id"
        " AND a.id < b.id JOIN source sa ON sa.id = a.source_id JOIN source sb ON"
        " sb.id = b.source_id WHERE sa.key IN ('nkvd','memorial') AND sb.key IN"
        " ('nkvd','memorial') AND substr(a.raw, length(rtrim(a.raw, '0123456789\"')) + 1)"
        " <> substr(b.raw, length(rtrim(b.raw, '0123456789\"')) + 1)");
    assert_true(wrong >= 0 && wrong <= 3);

    char *before = dump();
    test_run r = test_kt("link --db '%s' --by tester", test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "nothing changed"));
    test_run_free(&r);
    char *after = dump();
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_new_list_keeps_ids(void **state)
{
    (void)state;
    test_kt_ok("link --db '%s'", test_db);
    int64_t linked = sql_int("SELECT count(*) FROM record WHERE person_id IS NOT NULL");
    /* remember every record's person */
    char *before = dump();
    test_kt_ok("import '%s/exhumed.csv' --source exhumed --db '%s'", test_dir, test_db);
    test_kt_ok("link --db '%s'", test_db);
    assert_true(sql_int("SELECT count(*) FROM record r JOIN source s ON s.id = r.source_id"
                        " WHERE s.key = 'exhumed' AND r.person_id IS NOT NULL") > 50);
    /* records linked before keep their person */
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(test_db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int moved = 0;
    for (char *line = before; *line;) {
        char *end = strchr(line, '\n');
        if (line[0] == 'r') {
            long long id, person;
            if (sscanf(line, "r|%lld|%lld|", &id, &person) == 2 && person) {
                char sql[96];
                snprintf(sql, sizeof sql, "SELECT coalesce(person_id, 0) FROM record"
                         " WHERE id = %lld", id);
                sqlite3_stmt *s;
                assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
                assert_int_equal(sqlite3_step(s), SQLITE_ROW);
                moved += sqlite3_column_int64(s, 0) != person;
                sqlite3_finalize(s);
            }
        }
        line = end ? end + 1 : line + strlen(line);
    }
    sqlite3_close(db);
    if (moved > 0)
        fail_msg("%d of %lld linked records changed person", moved, (long long)linked);
    free(before);
    /* the doubtful pairs of the new run, in the shape of every listing */
    json_t *all = test_kt_json("review --db '%s' --json --limit 0", test_db);
    json_t *pairs = json_object_get(all, "pairs");
    json_int_t total = json_integer_value(json_object_get(all, "total"));
    assert_true(json_is_array(pairs));
    assert_true(total >= 2);
    assert_int_equal(json_array_size(pairs), total);
    assert_int_equal(json_integer_value(json_object_get(all, "shown")), total);
    assert_true(json_is_false(json_object_get(all, "truncated")));
    json_t *first = json_array_get(pairs, 0);
    assert_non_null(json_string_value(json_object_get(first, "pair")));
    assert_non_null(json_object_get(json_object_get(first, "a"), "record_key"));
    json_t *one = test_kt_json("review --db '%s' --json --limit 1", test_db);
    assert_int_equal(json_array_size(json_object_get(one, "pairs")), 1);
    assert_int_equal(json_integer_value(json_object_get(one, "shown")), 1);
    assert_int_equal(json_integer_value(json_object_get(one, "total")), total);
    assert_true(json_is_true(json_object_get(one, "truncated")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(
                            json_object_get(one, "pairs"), 0), "pair")),
                        json_string_value(json_object_get(first, "pair")));
    json_decref(one);
    json_decref(all);
}

static void test_decisions_survive_and_undo(void **state)
{
    (void)state;
    test_kt_ok("link --db '%s'", test_db);
    /* reject an automatic link */
    int64_t a = sql_int("SELECT min(record_id) FROM person_record WHERE method = 'auto'");
    int64_t b = sql_int("SELECT min(pr2.record_id) FROM person_record pr1 JOIN person_record"
                        " pr2 ON pr1.person_id = pr2.person_id AND pr2.record_id <>"
                        " pr1.record_id WHERE pr1.record_id = (SELECT min(record_id) FROM"
                        " person_record WHERE method = 'auto')");
    assert_true(a > 0 && b > 0);
    char *before = dump();
    int64_t last_run = sql_int("SELECT coalesce(max(id), 0) FROM link_run");
    json_t *j = test_kt_json("review reject %lld-%lld --why 'other father' --by ewa --db '%s'"
                             " --json", (long long)a, (long long)b, test_db);
    assert_string_equal(json_string_value(json_object_get(j, "decision")), "reject");
    json_decref(j);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT (SELECT coalesce(person_id, -1) FROM record WHERE id ="
             " %lld) = (SELECT coalesce(person_id, -2) FROM record WHERE id = %lld)",
             (long long)a, (long long)b);
    assert_int_equal(sql_int(sql), 0);
    test_kt_ok("link --db '%s'", test_db);
    assert_int_equal(sql_int(sql), 0); /* the reject survives */
    /* accept two records of different men */
    int64_t c = sql_int("SELECT min(r.id) FROM record r JOIN source s ON s.id = r.source_id"
                        " WHERE s.key = 'nkvd' AND r.person_id IS NULL");
    int64_t d = sql_int("SELECT max(r.id) FROM record r JOIN source s ON s.id = r.source_id"
                        " WHERE s.key = 'memorial' AND r.person_id IS NULL");
    assert_true(c > 0 && d > 0);
    test_kt_ok("review accept %lld %lld --why 'same man' --by ewa --db '%s'", (long long)c,
               (long long)d, test_db);
    snprintf(sql, sizeof sql, "SELECT (SELECT person_id FROM record WHERE id = %lld) ="
             " (SELECT person_id FROM record WHERE id = %lld)", (long long)c, (long long)d);
    assert_int_equal(sql_int(sql), 1);
    test_kt_ok("link --db '%s'", test_db);
    assert_int_equal(sql_int(sql), 1); /* the accept survives */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM person_record WHERE record_id = %lld"
             " AND method = 'review' AND by = 'ewa' AND why = 'same man'", (long long)c);
    assert_int_equal(sql_int(sql), 1);
    /* undo every run since `before` (the decisions, and the links that
     * changed something) */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM link_run WHERE id > %lld",
             (long long)last_run);
    int64_t runs = sql_int(sql);
    assert_true(runs >= 2);
    for (int64_t i = 0; i < runs; i++)
        test_kt_ok("undo --db '%s'", test_db);
    char *after = dump();
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_persons_and_show_json(void **state)
{
    (void)state;
    test_kt_ok("link --db '%s'", test_db);
    json_t *top = test_kt_json("persons --db '%s' --json --limit 0", test_db);
    json_t *arr = json_incref(json_object_get(top, "persons"));
    assert_true(json_array_size(arr) > 26);
    assert_true(json_is_false(json_object_get(top, "truncated")));
    assert_int_equal(json_integer_value(json_object_get(top, "shown")), json_array_size(arr));
    assert_int_equal(json_integer_value(json_object_get(top, "total")), json_array_size(arr));
    json_decref(top);
    /* cut short, it says so */
    top = test_kt_json("persons --db '%s' --json --limit 1", test_db);
    assert_int_equal(json_array_size(json_object_get(top, "persons")), 1);
    assert_true(json_is_true(json_object_get(top, "truncated")));
    json_decref(top);
    size_t i;
    json_t *p;
    json_array_foreach(arr, i, p) {
        json_t *recs = json_object_get(p, "records"), *r;
        size_t k;
        assert_true(json_array_size(recs) >= 1);
        json_array_foreach(recs, k, r) {
            assert_true(json_is_string(json_object_get(r, "source")));
            assert_true(json_is_string(json_object_get(r, "record_key")));
            assert_true(json_is_integer(json_object_get(r, "id")));
            assert_int_equal(json_integer_value(json_object_get(r, "person_id")),
                             json_integer_value(json_object_get(p, "id")));
        }
    }
    json_t *first = json_array_get(arr, json_array_size(arr) - 1);
    json_int_t id = json_integer_value(json_object_get(first, "id"));
    json_t *one = test_kt_json("show %lld --db '%s' --json", (long long)id, test_db);
    assert_true(json_equal(one, first));
    json_decref(one);
    json_decref(arr);
    test_run r = test_kt("show %lld --db '%s'", (long long)id, test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "why linked:"));
    assert_non_null(strstr(r.out, "record_key"));
    assert_non_null(strstr(r.out, "surname: "));
    test_run_free(&r);
    r = test_kt("show 999999 --db '%s'", test_db);
    assert_int_equal(r.code, 5);
    test_run_free(&r);
    r = test_kt("undo --db '%s' --help", test_db);
    assert_int_equal(r.code, 0);
    test_run_free(&r);
}

/* The GEDCOM file of the persons, its path in out. */
static void export_gedcom(char *out, size_t cap)
{
    snprintf(out, cap, "%s/persons.ged", test_dir);
    test_kt_ok("link --db '%s'", test_db);
    test_kt_ok("export persons --format gedcom --output '%s' --db '%s'", out, test_db);
}

static void test_gedcom_structure(void **state)
{
    (void)state;
    char path[256];
    export_gedcom(path, sizeof path);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    int n = 0, indi = 0, names = 0, trlr = 0, gedc = 0, charset = 0, prev = -1;
    while (fgets(line, sizeof line, f)) {
        n++;
        assert_true(strlen(line) < 256);
        int level = line[0] - '0';
        assert_true(level >= 0 && level <= 9 && line[1] == ' ');
        assert_true(level <= prev + 1); /* no level skipped */
        prev = level;
        if (n == 1)
            assert_string_equal(line, "0 HEAD\n");
        indi += !strncmp(line, "0 @I", 4) && strstr(line, " INDI");
        names += !strncmp(line, "1 NAME ", 7);
        gedc += !strcmp(line, "2 VERS 5.5.1\n");
        charset += !strcmp(line, "1 CHAR UTF-8\n");
        trlr = !strcmp(line, "0 TRLR\n");
    }
    fclose(f);
    assert_int_equal(indi, sql_int("SELECT count(*) FROM person"));
    assert_true(names >= indi);
    assert_int_equal(gedc, 1);
    assert_int_equal(charset, 1);
    assert_int_equal(trlr, 1);
}

/* Gramps: import the GEDCOM, write Gramps XML, compare. */
static void test_gramps_roundtrip(void **state)
{
    (void)state;
    if (system("command -v gramps >/dev/null 2>&1") != 0) {
        fprintf(stderr, "gramps is not installed: the Gramps round trip is skipped"
                        " (apt-get install gramps, or scripts/deps.sh --gramps)\n");
        skip();
    }
    char path[256], cmd[1024], xml[300];
    export_gedcom(path, sizeof path);
    snprintf(xml, sizeof xml, "%s/persons.gramps", test_dir);
    snprintf(cmd, sizeof cmd, "cd '%s' && GRAMPSHOME='%s/gh' HOME='%s' gramps -y -C tree"
             " -i '%s' -e '%s' > gramps.log 2>&1", test_dir, test_dir, test_dir, path, xml);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "grep -q 'No errors detected' '%s/gramps.log'", test_dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "gzip -dc '%s'", xml);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char *text = test_slurp(f);
    pclose(f);
    assert_non_null(text);
    int persons = 0, names = 0, births = 0;
    for (char *p = text; (p = strstr(p, "<person ")); p++)
        persons++;
    for (char *p = text; (p = strstr(p, "<name ")); p++)
        names++;
    /* every birth event with its year */
    int ged_years[4096], ngy = 0, xml_years[4096], nxy = 0;
    for (char *p = text; (p = strstr(p, "<event ")); p++) {
        char *end = strstr(p, "</event>");
        char *type = strstr(p, "<type>Birth</type>");
        char *val = strstr(p, "<dateval val=\"");
        if (end && type && type < end && val && val < end && nxy < 4096)
            xml_years[nxy++] = atoi(val + 14);
        births += end && type && type < end;
    }
    free(text);
    /* the same from the GEDCOM file */
    f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    int ged_persons = 0, ged_names = 0, in_birth = 0;
    while (fgets(line, sizeof line, f)) {
        ged_persons += !strncmp(line, "0 @I", 4);
        ged_names += !strncmp(line, "1 NAME ", 7);
        if (line[0] == '1')
            in_birth = !strcmp(line, "1 BIRT\n");
        if (in_birth && !strncmp(line, "2 DATE ", 7) && ngy < 4096) {
            const char *y = line + strlen(line) - 5; /* the year ends the date */
            ged_years[ngy++] = atoi(y);
        }
    }
    fclose(f);
    assert_int_equal(persons, ged_persons);
    assert_int_equal(names, ged_names);
    assert_int_equal(nxy, ngy);
    assert_true(births >= ngy);
    long sum_g = 0, sum_x = 0;
    for (int i = 0; i < ngy; i++)
        sum_g += ged_years[i];
    for (int i = 0; i < nxy; i++)
        sum_x += xml_years[i];
    assert_int_equal(sum_g, sum_x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_link_and_rerun, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_list_keeps_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decisions_survive_and_undo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_persons_and_show_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gedcom_structure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gramps_roundtrip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
