/*
 * test_search_same.c — one search, the same answer everywhere: for a list
 * of queries (Polish, Cyrillic, with a patronymic or a father's name, a
 * year, a rank, a camp, an alias, a slip, queries that find nothing) on the
 * bundled data plus Memorial's Moscow list,
 *
 *  - /api/search gives exactly what `kartoteka search --batch --json`
 *    prints, query for query;
 *  - index_search_json, which explains each hit once with the query read
 *    once, gives exactly what the plain steps give: index_query,
 *    index_group_hits, index_hit_json for each result's best hit and
 *    index_explain for each of its records.
 */
#include "../testutil.h"

#include "index/index.h"
#include "store/store.h"
#include "web/web.h"

static const char *const queries[] = {
    "Smorawiński", "Smorawinski", "Сморавинский", "Mieczysław Smorawiński",
    "Smorawinski 1893", "Сморавинский 1893 г.р.", "Мечислав Янович Сморавинский",
    "Smorawiński s. Jana", "Smorawiski", "gen. Smorawiński Kozielsk",
    "Jan Karski", "Ян Карский", "Olszyna-Wilczynski", "Olschina-Wiltschinski",
    "Ольшина-Вильчинский Юзеф", "Herling-Grudzinski Gustaw", "Swiatek Kazimierz",
    "Lewandowska Janina", "Бенашевский Мечислав Станиславович",
    "Benaszewski Mieczysław", "Kuzmin Wasilij Iwanowicz", "Кузьмин Василий",
    "Глянц Рахмиль Моисеевич", "Glanc", "Крон Арнольд Фрицевич", "Иванов",
    "Kowalski", "kpt. Kowalski", "Хан Сан", "1893", "Qxzqxz",
};
static const int limits[] = {1, 3, 10, 50};

static web_app *app;

static int setup(void **state)
{
    if (test_setup_db(state))
        return -1;
    test_kt_ok("import tests/data/memorial/moscow_shot_1937_1941.csv --source memorial_moscow"
               " --column name=NAME --column note=BIO --db '%s'", test_db);
    web_config cfg = {.db_path = test_db};
    kt_error err;
    return web_app_open(&cfg, &app, &err) == KT_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    web_app_close(app);
    return test_end();
}

/* The request's arguments: q and limit, as given (not URL-encoded). */
typedef struct search_args {
    const char *q;
    char limit[16];
} search_args;

static const char *arg_of(void *ctx, const char *name)
{
    search_args *a = ctx;
    return !strcmp(name, "q") ? a->q : !strcmp(name, "limit") ? a->limit : NULL;
}

static json_t *api_search(const char *q, int limit)
{
    search_args a = {.q = q};
    snprintf(a.limit, sizeof a.limit, "%d", limit);
    web_request req = {.method = "GET", .path = "/api/search", .arg = arg_of, .arg_ctx = &a};
    web_response res;
    web_handle(app, &req, &res);
    assert_int_equal(res.status, 200);
    json_error_t je;
    json_t *j = json_loadb(res.body, res.len, 0, &je);
    web_response_free(&res);
    assert_non_null(j);
    return j;
}

static void expect_equal(json_t *got, json_t *want, const char *what, const char *q, int limit)
{
    if (json_equal(got, want))
        return;
    char *g = json_dumps(got, JSON_COMPACT), *w = json_dumps(want, JSON_COMPACT);
    fail_msg("%s, query '%s', limit %d:\n got  %.600s\n want %.600s", what, q, limit, g, w);
}

static void test_api_as_cli(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof path, "%s/queries.txt", test_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++)
        fprintf(f, "%s\n", queries[i]);
    fclose(f);
    for (size_t l = 0; l < sizeof limits / sizeof *limits; l++) {
        test_run r = test_kt("search --db '%s' --json --limit %d --batch '%s'", test_db,
                             limits[l], path);
        assert_int_equal(r.code, 0);
        const char *line = r.out;
        for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
            assert_true(*line);
            json_t *cli = test_json_parse(line, JSON_DISABLE_EOF_CHECK);
            json_t *api = api_search(queries[i], limits[l]);
            expect_equal(api, cli, "/api/search vs search --json", queries[i], limits[l]);
            json_decref(cli);
            json_decref(api);
            line = strchr(line, '\n');
            assert_non_null(line);
            line++;
        }
        assert_string_equal(line, "");
        test_run_free(&r);
    }
}

/* index_explain's lines for a hit, as a JSON array. */
static json_t *why_of(const kt_index *ix, const char *q, uint32_t slot)
{
    char why[8][160];
    int n = index_explain(ix, q, slot, why, 8);
    json_t *w = json_array();
    for (int k = 0; k < n; k++)
        json_array_append_new(w, json_string(why[k]));
    return w;
}

/* What index_search_json must give, built step by step from the index's
 * plain functions. */
static json_t *by_steps(const kt_index *ix, const char *q, const index_filter *f, int limit)
{
    int want = limit * INDEX_HITS_PER_RESULT + 1;
    index_hit *hits = calloc((size_t)want, sizeof *hits);
    int *first = calloc((size_t)want, sizeof *first), *next = calloc((size_t)want, sizeof *next);
    assert_non_null(hits);
    assert_non_null(first);
    assert_non_null(next);
    int n = index_query(ix, q, f, hits, want);
    assert_true(n >= 0);
    int ngroups = index_group_hits(ix, q, hits, n, first, next);
    assert_true(ngroups >= 0);
    json_t *top = json_object(), *res = json_array();
    json_object_set_new(top, "query", json_string(q));
    json_object_set_new(top, "truncated", json_boolean(ngroups > limit || n == want));
    for (int g = 0; g < ngroups && g < limit; g++) {
        json_t *r = index_hit_json(ix, q, &hits[first[g]]), *recs = json_array();
        for (int i = first[g]; i >= 0; i = next[i]) {
            /* a record's fields are its hit's, less the person and alias */
            json_t *x = index_hit_json(ix, q, &hits[i]);
            json_object_del(x, "person_id");
            json_object_del(x, "alias");
            json_object_set_new(x, "why", why_of(ix, q, hits[i].slot));
            json_array_append_new(recs, x);
        }
        json_object_set_new(r, "records", recs);
        json_array_append_new(res, r);
    }
    json_object_set_new(top, "results", res);
    free(hits);
    free(first);
    free(next);
    return top;
}

static void test_explained_once_same_lines(void **state)
{
    (void)state;
    store *st;
    kt_index *ix;
    kt_error err;
    assert_int_equal(store_open_readonly(test_db, &st, &err), KT_OK);
    assert_int_equal(index_open(st, &ix, &err), KT_OK);
    const index_filter born = {.born = 1893, .born_tolerance = 2};
    const index_filter camp = {.camp = "Kozielsk"};
    const index_filter *filters[] = {NULL, &born, &camp};
    int explained = 0, patronymics = 0;
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++)
        for (size_t l = 0; l < sizeof limits / sizeof *limits; l++)
            for (size_t k = 0; k < sizeof filters / sizeof *filters; k++) {
                json_t *got = index_search_json(ix, queries[i], filters[k], limits[l]);
                json_t *want = by_steps(ix, queries[i], filters[k], limits[l]);
                assert_non_null(got);
                expect_equal(got, want, "index_search_json vs its steps", queries[i],
                             limits[l]);
                size_t g;
                json_t *r;
                json_array_foreach(json_object_get(got, "results"), g, r) {
                    explained += json_array_size(json_object_get(r, "why")) > 0;
                    char *s = json_dumps(r, JSON_COMPACT);
                    patronymics += strstr(s, "father") != NULL;
                    free(s);
                }
                json_decref(got);
                json_decref(want);
            }
    /* the comparison saw explanations, the father's among them */
    assert_true(explained > 100);
    assert_true(patronymics > 0);
    index_free(ix);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_as_cli),
        cmocka_unit_test(test_explained_once_same_lines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
