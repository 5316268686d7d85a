/*
 * test_history.c — the bundled history and persons: loaded completely (row
 * counts taken from the embedded files themselves), the contested figures
 * with their URLs and their quantities' titles, the two-spelling persons,
 * reloading, and rejection of malformed rows with file, line and column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/history.h"
#include "store/store.h"
#include "util/embedded.h"

#include "fixture.h"

/* Every test here starts with a new, empty store open in f->st. */
static int setup_open(void **state)
{
    if (setup(state))
        return -1;
    fixture *f = *state;
    kt_error err;
    return store_open(f->path, 1, &f->st, &err) == KT_OK ? 0 : -1;
}

/* Data rows of an embedded TSV: non-empty lines minus the header. */
static int data_rows(const char *path)
{
    const kt_blob *b = kt_embedded(path);
    assert_non_null(b);
    int lines = 0;
    const char *p = b->data, *end = b->data + b->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        if (stop > p && !(stop - p == 1 && *p == '\r'))
            lines++;
        p = nl ? nl + 1 : end;
    }
    return lines - 1;
}

static int64_t sql_int(store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -999;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static void test_load_counts(void **state)
{
    fixture *f = *state;
    kt_error err;
    history_counts c;
    assert_int_equal(history_load(f->st, &c, &err), KT_OK);
    int places = data_rows("data/history/places.tsv");
    int events = data_rows("data/history/events.tsv");
    int figures = data_rows("data/history/figures.tsv");
    int quantities = data_rows("data/history/quantities.tsv");
    int documents = data_rows("data/history/documents.tsv");
    int persons = data_rows("data/names/dev_persons.tsv");
    /* The README's numbers, checked against the files rather than trusted. */
    assert_int_equal(places, 37);
    assert_int_equal(events, 78);
    assert_int_equal(figures, 116);
    assert_int_equal(quantities, 73);
    assert_int_equal(documents, 32);
    assert_int_equal(c.places, places);
    assert_int_equal(c.events, events);
    assert_int_equal(c.figures, figures);
    assert_int_equal(c.quantities, quantities);
    assert_int_equal(c.documents, documents);
    assert_int_equal(c.persons, persons);
    assert_int_equal(store_count(f->st, "place"), places);
    assert_int_equal(store_count(f->st, "event"), events);
    assert_int_equal(store_count(f->st, "figure"), figures);
    assert_int_equal(store_count(f->st, "quantity"), quantities);
    /* each quantity the claims count has its titles, and no other has one */
    assert_int_equal(sql_int(f->st, "SELECT count(DISTINCT quantity) FROM figure"), quantities);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM quantity q WHERE EXISTS"
                                    " (SELECT 1 FROM figure f WHERE f.quantity = q.quantity)"
                                    " AND title_en <> '' AND title_pl <> ''"), quantities);
    assert_int_equal(store_count(f->st, "document"), documents);
    assert_int_equal(store_count(f->st, "person"), persons);
    assert_int_equal(store_count(f->st, "record"), 2 * persons);
    assert_true(c.event_places > 0);
    assert_int_equal(store_count(f->st, "event_place"), c.event_places);
    /* Every row cites a source. */
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM place WHERE source_urls NOT"
                                    " LIKE 'http%'"), 0);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM audit_log WHERE action ="
                                    " 'history_load'"), 1);
    /* Place ids keep their order and coordinates are numbers. */
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM event_place WHERE"
                                    " place_id = 'mednoye'") > 0, 1);
    assert_int_equal(sql_int(f->st, "SELECT typeof(latitude) = 'real' FROM place"
                                    " WHERE id = 'kozelsk_camp'"), 1);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM place WHERE latitude IS NULL"),
                     6); /* README: six places without a coordinate */
}

typedef struct figs {
    int n;
    int has_125000, has_190584, has_230_450;
    int urls_ok;
} figs;

static int fig_cb(void *ctx, const history_figure *fg)
{
    figs *x = ctx;
    x->n++;
    const char *p = fg->source_urls;
    char url[1024];
    int urls = 0;
    while (history_url_next(&p, url, sizeof url))
        urls += !strncmp(url, "http", 4);
    if (urls == 0)
        x->urls_ok = 0;
    if (fg->has_high && fg->value_high == 125000)
        x->has_125000 = 1;
    if (fg->has_low && fg->has_high && fg->value_low == 190584 &&
        fg->value_high == 190584 && strstr(fg->claimant, "Soviet"))
        x->has_190584 = 1;
    if (fg->has_low && fg->has_high && fg->value_low == 230000 &&
        fg->value_high == 450000)
        x->has_230_450 = 1;
    return 0;
}

static void test_pow_taken_figures(void **state)
{
    fixture *f = *state;
    kt_error err;
    assert_int_equal(history_load(f->st, NULL, &err), KT_OK);
    figs x = {.urls_ok = 1};
    assert_int_equal(history_figures_each(f->st, "pow_taken_1939", fig_cb, &x, &err),
                     KT_OK);
    assert_int_equal(x.n, 9);
    assert_true(x.has_125000);
    assert_true(x.has_190584);
    assert_true(x.has_230_450);
    assert_true(x.urls_ok);

    assert_int_equal(history_figures_each(f->st, "pow_taken", fig_cb, &x, &err),
                     KT_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "pow_taken_1939"));
    char similar[5][96];
    int k = history_quantities_similar(f->st, "katyn_victims", similar, 5);
    assert_true(k >= 3);
    for (int i = 0; i < k; i++)
        assert_non_null(strstr(similar[i], "katyn"));
    assert_int_equal(history_quantities_similar(f->st, "zzz", similar, 5), 0);
}

/* history_load_tsv of the bundled file at path with a row appended. */
static int load_appended(store *st, const char *path, const char *row, kt_error *err)
{
    const kt_blob *b = kt_embedded(path);
    assert_non_null(b);
    size_t n = b->len + strlen(row);
    char *data = malloc(n + 1);
    assert_non_null(data);
    memcpy(data, b->data, b->len);
    memcpy(data + b->len, row, strlen(row) + 1);
    kt_error_clear(err);
    int rc = history_load_tsv(st, path, data, n, err);
    free(data);
    return rc;
}

typedef struct titles {
    int n;
    char key[96], en[160], pl[160];
} titles;

static int title_cb(void *ctx, const history_quantity *q)
{
    titles *t = ctx;
    t->n++;
    snprintf(t->key, sizeof t->key, "%s", q->quantity);
    snprintf(t->en, sizeof t->en, "%s", q->title_en);
    snprintf(t->pl, sizeof t->pl, "%s", q->title_pl);
    return 0;
}

/* A quantity is read back with its titles, alone or in the list; without
 * its titles in the store it takes those compiled in, and a quantity that
 * has none anywhere still lists, its titles empty. */
static void test_quantity_titles(void **state)
{
    fixture *f = *state;
    kt_error err;
    assert_int_equal(history_load(f->st, NULL, &err), KT_OK);
    titles one = {0};
    assert_int_equal(history_quantity_get(f->st, "pow_taken_1939", title_cb, &one, &err),
                     KT_OK);
    assert_int_equal(one.n, 1);
    assert_string_equal(one.key, "pow_taken_1939");
    assert_string_equal(one.en, "Prisoners of war taken by the Soviets in 1939");
    assert_string_equal(one.pl, "Jeńcy wzięci do niewoli przez Sowietów w 1939 roku");
    assert_int_equal(history_quantity_get(f->st, "pow_taken", title_cb, &one, &err),
                     KT_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "similar: pow_taken_1939"));
    assert_int_equal(one.n, 1);

    titles all = {0};
    assert_int_equal(history_quantities_each(f->st, title_cb, &all, &err), KT_OK);
    assert_int_equal(all.n, data_rows("data/history/quantities.tsv"));
    assert_string_equal(all.key, "ukrainian_list_army_officers"); /* the last by key */
    assert_string_equal(all.en, "Army officers on the Ukrainian Katyn List");

    assert_int_equal(sqlite3_exec(store_db(f->st), "DELETE FROM quantity;"
                                  " INSERT INTO figure(id, quantity, value_low, claimant,"
                                  " source_urls) VALUES ('fig_z', 'zz_untitled', 1, 'X',"
                                  " 'https://e.org')", NULL, NULL, NULL), SQLITE_OK);
    titles bare = {0};
    assert_int_equal(history_quantity_get(f->st, "pow_taken_1939", title_cb, &bare, &err),
                     KT_OK);
    assert_string_equal(bare.en, "Prisoners of war taken by the Soviets in 1939");
    assert_string_equal(bare.pl, "Jeńcy wzięci do niewoli przez Sowietów w 1939 roku");
    bare.n = 0;
    assert_int_equal(history_quantities_each(f->st, title_cb, &bare, &err), KT_OK);
    assert_int_equal(bare.n, all.n + 1);
    assert_string_equal(bare.key, "zz_untitled");
    assert_string_equal(bare.en, "");
    assert_string_equal(bare.pl, "");
}

/* quantities.tsv: a title for a quantity no claim counts, a quantity left
 * without a title, and malformed rows are refused with file, line and
 * column, and the titles stay as they were. */
static void test_bad_titles_rejected(void **state)
{
    fixture *f = *state;
    kt_error err;
    assert_int_equal(history_load(f->st, NULL, &err), KT_OK);
    const kt_blob *b = kt_embedded("data/history/quantities.tsv");
    assert_non_null(b);
    long rows = data_rows("data/history/quantities.tsv");
    int64_t before = store_count(f->st, "quantity");

    static const struct {
        const char *append; /* a row added after the real ones */
        long line;          /* relative to the last real row */
        const char *field, *message;
    } cases[] = {
        {"pow_taken_1938\tPrisoners taken in 1938\tJeńcy 1938\n", 1, "quantity",
         "no claim in figures.tsv counts 'pow_taken_1938'"},
        {"pow_taken_1939\tAgain\tZnowu\n", 1, "quantity", "'pow_taken_1939' used twice"},
        {"pow_taken_1939\t\tJeńcy\n", 1, "title_en", "value missing"},
        {"pow_taken_1939\tPrisoners\t\n", 1, "title_pl", "value missing"},
        {"pow_taken_1939\tPrisoners\n", 1, "", "2 columns, expected 3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = load_appended(f->st, "data/history/quantities.tsv", cases[i].append, &err);
        assert_int_equal(rc, KT_ERR_INPUT);
        assert_string_equal(err.file, "data/history/quantities.tsv");
        assert_int_equal(err.line, rows + 1 + cases[i].line);
        assert_string_equal(err.field, cases[i].field);
        if (!strstr(err.message, cases[i].message))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.message, cases[i].message);
        assert_int_equal(store_count(f->st, "quantity"), before);
    }

    /* Every quantity the claims count must have its title: the file
     * without the row of pow_taken_1939 is refused at its end, where the
     * row belongs, naming the quantity and a claim that counts it. */
    const char *row = strstr(b->data, "\npow_taken_1939\t");
    assert_non_null(row);
    row++;
    size_t row_len = (size_t)(strchr(row, '\n') + 1 - row);
    char *data = malloc(b->len);
    size_t head = (size_t)(row - b->data);
    memcpy(data, b->data, head);
    memcpy(data + head, row + row_len, b->len - head - row_len);
    kt_error_clear(&err);
    assert_int_equal(history_load_tsv(f->st, "data/history/quantities.tsv", data,
                                      b->len - row_len, &err), KT_ERR_INPUT);
    free(data);
    assert_string_equal(err.file, "data/history/quantities.tsv");
    assert_int_equal(err.line, rows + 1); /* one row fewer: the line after the last */
    assert_string_equal(err.field, "quantity");
    assert_non_null(strstr(err.message, "no title for 'pow_taken_1939'"));
    assert_non_null(strstr(err.message, "figures.tsv"));
    assert_int_equal(store_count(f->st, "quantity"), before);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM quantity WHERE quantity ="
                                    " 'pow_taken_1939'"), 1);
}

/* A file of the version before the titles keeps its figures when opened;
 * until the history is loaded again, they take the titles compiled in. */
static void test_migration_keeps_figures(void **state)
{
    fixture *f = *state;
    kt_error err;
    store_close(f->st);
    f->st = NULL;
    unlink(f->path);
    assert_int_equal(store_create_at_version(f->path, store_schema_latest() - 1, &err), KT_OK);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO figure(id, quantity, value_low, value_high,"
                                      " claimant, source_urls) VALUES ('fig_a', 'pow_taken_1939',"
                                      " 190584, 190584, 'Soviet', 'https://e.org')",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_open(f->path, 1, &f->st, &err), KT_OK);
    assert_int_equal(store_schema_version(f->st), store_schema_latest());
    titles t = {0};
    assert_int_equal(history_quantities_each(f->st, title_cb, &t, &err), KT_OK);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.key, "pow_taken_1939");
    assert_string_equal(t.en, "Prisoners of war taken by the Soviets in 1939");
    assert_int_equal(store_count(f->st, "quantity"), 0);
    assert_int_equal(history_load(f->st, NULL, &err), KT_OK);
    assert_int_equal(store_count(f->st, "quantity"), data_rows("data/history/quantities.tsv"));
    t.n = 0;
    assert_int_equal(history_quantity_get(f->st, "pow_taken_1939", title_cb, &t, &err), KT_OK);
    assert_string_equal(t.en, "Prisoners of war taken by the Soviets in 1939");
}

typedef struct pair_check {
    int persons;
} pair_check;

static void test_persons_two_spellings(void **state)
{
    fixture *f = *state;
    kt_error err;
    assert_int_equal(history_load(f->st, NULL, &err), KT_OK);
    int persons = data_rows("data/names/dev_persons.tsv");
    /* Every person has exactly two records: one Polish, one Russian. */
    assert_int_equal(sql_int(f->st,
        "SELECT count(*) FROM (SELECT p.id FROM person p"
        " JOIN record r ON r.person_id = p.id JOIN source s ON s.id = r.source_id"
        " GROUP BY p.id HAVING count(*) = 2"
        " AND sum(s.key = 'prisoners_pl') = 1 AND sum(s.key = 'prisoners_ru') = 1)"),
        persons);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM person_record WHERE method ="
                                    " 'bundled' AND weight = 1"), 2 * persons);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM record WHERE person_id IS NULL"),
                     0);

    /* Smorawiński, both ways, on one person, with the row kept verbatim. */
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(f->st),
        "SELECT a.id, b.id FROM record a JOIN record b ON a.person_id = b.person_id"
        " AND a.id < b.id WHERE a.surname = 'Smorawiński'", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t pl = sqlite3_column_int64(s, 0), ru = sqlite3_column_int64(s, 1);
    sqlite3_finalize(s);
    store_record r;
    assert_int_equal(store_record_get(f->st, ru, &r, &err), KT_OK);
    assert_string_equal(r.surname, "Сморавинский");
    assert_string_equal(r.given_names, "Мечислав");
    assert_string_equal(r.source_key, "prisoners_ru");
    assert_int_equal(r.birth_year, 1893);
    assert_null(r.father_name);
    assert_non_null(strstr(r.note, "ru-wikipedia"));
    assert_int_equal(store_record_get(f->st, pl, &r, &err), KT_OK);
    assert_string_equal(r.given_names, "Mieczysław Makary");
    assert_string_equal(r.father_name, "Jan");
    assert_string_equal(r.rank, "generał brygady");
    assert_null(r.occupation);
    assert_string_equal(r.camp, "Kozelsk");
    assert_string_equal(r.record_key, "P001");
    assert_int_equal(r.raw_line, 2);
    assert_true(!strncmp(r.raw, "P001\tSmorawiński\tMieczysław Makary\t", 36));
    assert_non_null(strstr(r.source_urls, " | https://people-archive.ru/"));
    assert_null(strstr(r.source_urls, " ; "));

    /* Patronymics stay on the Russian side. */
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM record WHERE patronymic ="
                                    " 'Генрихович' AND surname = 'Скерский'"), 1);
    /* A civilian's occupation is not a rank. */
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM record WHERE surname = 'Begin'"
                                    " AND rank IS NULL AND occupation LIKE 'civilian%'"), 1);
}

static void test_reload_replaces(void **state)
{
    fixture *f = *state;
    kt_error err;
    history_counts a, b;
    assert_int_equal(history_load(f->st, &a, &err), KT_OK);
    /* A user's own source, linked to a bundled person, survives a reload. */
    store_source mine = {.key = "my_list", .title = "Mine"};
    assert_int_equal(store_source_add(f->st, &mine, &err), KT_OK);
    store_record r = {.source_id = mine.id, .surname = "Kowalski", .raw = "Kowalski"};
    assert_int_equal(store_record_add(f->st, &r, &err), KT_OK);
    assert_int_equal(history_load(f->st, &b, &err), KT_OK);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(store_count(f->st, "place"), a.places);
    assert_int_equal(store_count(f->st, "person"), a.persons);
    assert_int_equal(store_count(f->st, "record"), 2 * a.persons + 1);
    assert_int_equal(store_count(f->st, "source"), 3);
}

static void test_bad_rows_rejected(void **state)
{
    fixture *f = *state;
    kt_error err;
    assert_int_equal(history_load(f->st, NULL, &err), KT_OK);
    int places = (int)store_count(f->st, "place");

    static const struct {
        const char *append; /* a row added after the real ones */
        long line_offset;   /* 1 = the appended row */
        const char *field;
        const char *message;
    } cases[] = {
        {"x\ty\n", 1, "", "2 columns, expected 12"},
        {"new_place\tNew\t\t\tcastle\t\t\t\t\t\t\thttps://e.org\n", 1, "kind",
         "unknown place kind"},
        {"new_place\tNew\t\t\ttown\tnorth\t\t\t\t\t\thttps://e.org\n", 1, "latitude",
         "not a number"},
        {"new_place\tNew\t\t\ttown\t\t\t\t1940-13\t\t\thttps://e.org\n", 1, "opened",
         "not a date"},
        {"new_place\tNew\t\t\ttown\t\t\t\t\t\t\t\n", 1, "source_urls", "value missing"},
        {"new_place\t\t\t\ttown\t\t\t\t\t\t\thttps://e.org\n", 1, "name_en",
         "value missing"},
        {"kozelsk_camp\tAgain\t\t\ttown\t\t\t\t\t\t\thttps://e.org\n", 1, "id",
         "used twice"},
    };
    long lines = data_rows("data/history/places.tsv") + 1;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = load_appended(f->st, "data/history/places.tsv", cases[i].append, &err);
        assert_int_equal(rc, KT_ERR_INPUT);
        assert_string_equal(err.file, "data/history/places.tsv");
        assert_int_equal(err.line, lines + cases[i].line_offset);
        assert_string_equal(err.field, cases[i].field);
        if (!strstr(err.message, cases[i].message))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.message, cases[i].message);
        /* Nothing changed. */
        assert_int_equal(store_count(f->st, "place"), places);
    }

    /* An event naming a place that does not exist. */
    const char *ev = "id\tdate_start\tdate_end\ttitle\tplace_ids\tdescription\tsource_urls\n"
                     "ev_x\t1940\t\tX\tkozelsk_camp;atlantis\t\thttps://e.org\n";
    assert_int_equal(history_load_tsv(f->st, "events.tsv", ev, strlen(ev), &err),
                     KT_ERR_INPUT);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "place_ids");
    assert_non_null(strstr(err.message, "atlantis"));

    /* A wrong header. */
    const char *doc = "id\tdate\ttitle\tauthor\tsigned_by\tarchive_or_publication\t"
                      "summary\tsource_urls\n";
    assert_int_equal(history_load_tsv(f->st, "documents.tsv", doc, strlen(doc), &err),
                     KT_ERR_INPUT);
    assert_int_equal(err.line, 1);
    assert_string_equal(err.field, "signed_by");

    /* The persons file: a short row names its line. */
    const kt_blob *pb = kt_embedded("data/names/dev_persons.tsv");
    size_t n = pb->len + 16;
    char *data = malloc(n + 1);
    memcpy(data, pb->data, pb->len);
    snprintf(data + pb->len, 17, "P999\tKowalski\tJ\n");
    int64_t persons = store_count(f->st, "person");
    assert_int_equal(history_load_persons(f->st, "dev_persons.tsv", data, strlen(data),
                                          &err), KT_ERR_INPUT);
    free(data);
    assert_int_equal(err.line, data_rows("data/names/dev_persons.tsv") + 2);
    assert_non_null(strstr(err.message, "3 columns, expected 16"));
    assert_int_equal(store_count(f->st, "person"), persons);
}

typedef struct evs {
    int n;
    char first[64], last[64];
} evs;

static int ev_cb(void *ctx, const history_event *e)
{
    evs *x = ctx;
    if (x->n++ == 0)
        snprintf(x->first, sizeof x->first, "%s", e->date_start);
    snprintf(x->last, sizeof x->last, "%s", e->date_start);
    return 0;
}

static void test_event_window(void **state)
{
    fixture *f = *state;
    kt_error err;
    assert_int_equal(history_load(f->st, NULL, &err), KT_OK);
    evs all = {0}, spring = {0}, y39 = {0};
    assert_int_equal(history_events_each(f->st, NULL, NULL, ev_cb, &all, &err), KT_OK);
    assert_int_equal(all.n, store_count(f->st, "event"));
    assert_string_equal(all.first, "1939-08-23");
    assert_int_equal(history_events_each(f->st, "1940-04", "1940-05", ev_cb, &spring,
                                         &err), KT_OK);
    assert_true(spring.n > 0 && spring.n < all.n);
    assert_true(strcmp(spring.last, "1940-06") < 0);
    /* Whole-year window, compared at year precision. */
    assert_int_equal(history_events_each(f->st, "1939", "1939", ev_cb, &y39, &err), KT_OK);
    assert_true(y39.n > 0);
    assert_int_equal(strncmp(y39.last, "1939", 4), 0);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM event WHERE date_start LIKE"
                                    " '1939%'") <= y39.n, 1);
}

static void test_dates_and_urls(void **state)
{
    (void)state;
    static const struct { const char *s; int ok; } dates[] = {
        {"1940", 1}, {"1940-04", 1}, {"1940-04-03", 1}, {"194", 0}, {"1940-4", 0},
        {"1940-13", 0}, {"1940-04-32", 0}, {"1940-04-03x", 0}, {"", 0}, {"abcd", 0},
        {"1940/04/03", 0},
    };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
        if (history_date_valid(dates[i].s) != dates[i].ok)
            fail_msg("date '%s'", dates[i].s);
    const char *p = "https://a.org/x | http://b.org/y?q=1 |  | https://c.org";
    char url[64];
    assert_true(history_url_next(&p, url, sizeof url));
    assert_string_equal(url, "https://a.org/x");
    assert_true(history_url_next(&p, url, sizeof url));
    assert_string_equal(url, "http://b.org/y?q=1");
    assert_true(history_url_next(&p, url, sizeof url));
    assert_string_equal(url, "https://c.org");
    assert_false(history_url_next(&p, url, sizeof url));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_load_counts, setup_open, teardown),
        cmocka_unit_test_setup_teardown(test_pow_taken_figures, setup_open, teardown),
        cmocka_unit_test_setup_teardown(test_quantity_titles, setup_open, teardown),
        cmocka_unit_test_setup_teardown(test_bad_titles_rejected, setup_open, teardown),
        cmocka_unit_test_setup_teardown(test_migration_keeps_figures, setup_open, teardown),
        cmocka_unit_test_setup_teardown(test_persons_two_spellings, setup_open, teardown),
        cmocka_unit_test_setup_teardown(test_reload_replaces, setup_open, teardown),
        cmocka_unit_test_setup_teardown(test_bad_rows_rejected, setup_open, teardown),
        cmocka_unit_test_setup_teardown(test_event_window, setup_open, teardown),
        cmocka_unit_test(test_dates_and_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
