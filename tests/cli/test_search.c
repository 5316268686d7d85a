/*
 * test_search.c — `kartoteka search` run as a user would ($KARTOTEKA_BIN),
 * on a database made by `kartoteka init` plus the real Memorial list:
 * text and JSON output with explanations, batch mode (one JSON line per
 * query), the filters, and the usage errors with their exit codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char bin[PATH_MAX];
static char dir[64];
static char db[128];

typedef struct run {
    int code;
    char *out;
    char *err;
} run;

static char *slurp(FILE *f)
{
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) {
            buf = realloc(buf, cap *= 2);
            assert_non_null(buf);
        }
    }
    buf[n] = '\0';
    return buf;
}

static run kt(const char *fmt, ...)
{
    char args[2048], cmd[PATH_MAX + 2304], errpath[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(errpath, sizeof errpath, "%s/stderr", dir);
    snprintf(cmd, sizeof cmd, "'%s' %s 2>'%s'", bin, args, errpath);
    run r;
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    r.out = slurp(p);
    int st = pclose(p);
    r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    FILE *e = fopen(errpath, "r");
    r.err = e ? slurp(e) : strdup("");
    if (e)
        fclose(e);
    return r;
}

static void run_free(run *r)
{
    free(r->out);
    free(r->err);
}

static int setup(void **state)
{
    (void)state;
    const char *b = getenv("KARTOTEKA_BIN");
    if (!b || !realpath(b, bin)) {
        fprintf(stderr, "KARTOTEKA_BIN not set or missing (run through make test)\n");
        return -1;
    }
    snprintf(dir, sizeof dir, "/tmp/kt-search-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(db, sizeof db, "%s/k.db", dir);
    run r = kt("init --db '%s'", db);
    int ok = r.code == 0;
    run_free(&r);
    r = kt("import tests/data/memorial/moscow_shot_1937_1941.csv --source memorial_moscow"
           " --column name=NAME --column note=BIO --db '%s'", db);
    ok = ok && r.code == 0;
    if (r.code)
        fprintf(stderr, "import: %s\n", r.err);
    run_free(&r);
    return ok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_text(void **state)
{
    (void)state;
    run r = kt("search --db '%s' Mieczysław Benaszewski", db);
    assert_int_equal(r.code, 0);
    /* rank, score, name, year, source; then the why lines, indented */
    assert_non_null(strstr(r.out, " 1. 1.00  Бенашевский Мечислав Станиславович  1901  [memorial_moscow"));
    assert_non_null(strstr(r.out, "\n      Бенашевский = Benaszewski: sz→ш, w→в\n"));
    assert_non_null(strstr(r.out, "\n      Мечислав = Mieczysław"));
    run_free(&r);

    r = kt("search --db '%s' Qxzqxz", db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "No one found"));
    run_free(&r);
}

static json_t *parse_line(const char *s)
{
    json_error_t je;
    json_t *j = json_loads(s, JSON_DISABLE_EOF_CHECK, &je);
    if (!j)
        fail_msg("not JSON (%s): %.200s", je.text, s);
    return j;
}

static void test_json(void **state)
{
    (void)state;
    static const char *queries[] = {"Olszyna-Wilczynski", "Ольшина-Вильчинский",
                                    "Olschina-Wiltschinski"};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        run r = kt("search --db '%s' --json --limit 3 '%s'", db, queries[i]);
        assert_int_equal(r.code, 0);
        /* one line */
        int lines = 0;
        for (const char *c = r.out; *c; c++)
            lines += *c == '\n';
        assert_int_equal(lines, 1);
        json_t *j = parse_line(r.out);
        assert_string_equal(json_string_value(json_object_get(j, "query")), queries[i]);
        json_t *res = json_object_get(j, "results");
        assert_true(json_array_size(res) >= 2);
        /* the general's two records (person 2 of the bundled pairs) first */
        for (size_t k = 0; k < 2; k++) {
            json_t *h = json_array_get(res, k);
            assert_true(json_is_integer(json_object_get(h, "record_id")));
            assert_true(json_is_integer(json_object_get(h, "person_id")));
            const char *name = json_string_value(json_object_get(h, "name"));
            assert_true(strstr(name, "Ольшина-Вильчинский") || strstr(name, "Olszyna-Wilczyński"));
            assert_non_null(strstr(json_string_value(json_object_get(h, "source")), "dev_persons"));
            double sc = json_real_value(json_object_get(h, "score"));
            assert_true(sc > 0.9 && sc <= 1.0);
            assert_true(json_array_size(json_object_get(h, "why")) >= 1);
        }
        json_decref(j);
        run_free(&r);
    }
}

static void test_batch(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof path, "%s/queries.txt", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("Mieczysław Benaszewski\n\nSmoravinskiy 1893\r\nQxzqxz\n", f);
    fclose(f);
    run r = kt("search --db '%s' --batch '%s' --json --limit 2", db, path);
    assert_int_equal(r.code, 0);
    /* three queries (the empty line skipped), three lines */
    const char *want[] = {"Mieczysław Benaszewski", "Smoravinskiy 1893", "Qxzqxz"};
    char *line = r.out;
    for (int i = 0; i < 3; i++) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = '\0';
        json_t *j = parse_line(line);
        assert_string_equal(json_string_value(json_object_get(j, "query")), want[i]);
        size_t n = json_array_size(json_object_get(j, "results"));
        if (i == 2) {
            assert_int_equal(n, 0);
        } else {
            assert_true(n >= 1 && n <= 2);
        }
        if (i == 1) {
            json_t *h = json_array_get(json_object_get(j, "results"), 0);
            assert_string_equal(json_string_value(json_object_get(h, "name")),
                                "Smorawiński Mieczysław Makary");
            assert_int_equal(json_integer_value(json_object_get(h, "birth_year")), 1893);
        }
        json_decref(j);
        line = nl + 1;
    }
    assert_string_equal(line, "");
    run_free(&r);

    /* standard input */
    r = kt("search --db '%s' --batch - --json < '%s'", db, path);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "\"query\":\"Smoravinskiy 1893\""));
    run_free(&r);
}

static void test_filters(void **state)
{
    (void)state;
    run r = kt("search --db '%s' --json --born 1950 Benaszewski", db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "\"results\":[]"));
    run_free(&r);
    r = kt("search --db '%s' --json --born 1902 Benaszewski", db);   /* 1901: within 2 */
    assert_non_null(strstr(r.out, "Бенашевский"));
    run_free(&r);
    r = kt("search --db '%s' --json --born 1904 --tolerance 1 Benaszewski", db);
    assert_non_null(strstr(r.out, "\"results\":[]"));
    run_free(&r);
    /* the bundled records of the general say Kozelsk */
    r = kt("search --db '%s' --json --camp Козельск Smorawiński", db);
    assert_non_null(strstr(r.out, "Smorawiński Mieczysław"));
    run_free(&r);
    r = kt("search --db '%s' --json --camp Starobielsk Smorawiński", db);
    assert_null(strstr(r.out, "Smorawiński Mieczysław"));
    run_free(&r);
    r = kt("search --db '%s' --json --fate Katyn Smorawiński", db);
    assert_non_null(strstr(r.out, "Smorawiński Mieczysław"));
    run_free(&r);
}

static void test_usage(void **state)
{
    (void)state;
    static const char *bad[] = {"", "--limit 0 Kowalski", "--limit x Kowalski",
                                "--born abc Kowalski", "--tolerance -1 Kowalski",
                                "--batch /dev/null Kowalski", "--nonsense Kowalski"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run r = kt("search --db '%s' %s", db, bad[i]);
        if (r.code != 2)
            fail_msg("'search %s' exits %d, expected 2", bad[i], r.code);
        assert_true(r.err[0] != '\0');
        run_free(&r);
    }
    run r = kt("search --help");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "examples:"));
    assert_non_null(strstr(r.out, "--batch FILE"));
    run_free(&r);
    r = kt("search --db '%s/none.db' Kowalski", dir);
    assert_int_not_equal(r.code, 0);
    assert_true(r.err[0] != '\0');
    run_free(&r);
    r = kt("search --db '%s' --batch '%s/missing.txt'", db, dir);
    assert_int_equal(r.code, 1);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_usage),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
