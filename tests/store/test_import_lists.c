/*
 * test_import_lists.c — the lists people bring, imported with no options:
 * Polish, Russian and English headers; semicolons and tabs; short rows and
 * files without a name column refused; Windows and KOI8 encodings told
 * from the text, a wrong one refused naming the right one; names in
 * brackets as the record's other names, found by search; the fate read
 * from the text; a row's link as its URL; the source described; Memorial's
 * Moscow list end to end; an export that imports back into an equal list;
 * then the command line: --version, KARTOTEKA_DB, export, sources --long.
 */
#include <iconv.h>

#include "../testutil.h"

#include "index/index.h"
#include "store/export.h"
#include "store/import.h"
#include "store/record_alias.h"
#include "store/store.h"

#define MEMORIAL "tests/data/memorial/moscow_shot_1937_1941.csv"
#define MEMORIAL_ROWS 5232

static int setup(void **state)
{
    (void)state;
    return test_begin("kt_lists");
}

static int teardown(void **state)
{
    (void)state;
    return test_end();
}

static const char *path_in(const char *name)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", test_dir, name);
    return buf[k];
}

static store *fresh(const char *name)
{
    const char *p = path_in(name);
    unlink(p);
    store *st = NULL;
    kt_error err;
    assert_int_equal(store_open(p, 1, &st, &err), KT_OK);
    return st;
}

/* Imports bytes with the options given (source_key set here). */
static int import(store *st, const char *data, size_t len, const char *key,
                  store_import_options *opt, store_import_result *res, kt_error *err)
{
    store_import_options none = {0};
    if (!opt)
        opt = &none;
    opt->source_key = key;
    kt_error_clear(err);
    return store_import_csv_data(st, data, len, "list.csv", opt, res, err);
}

/* text converted from UTF-8 to `to` (malloc'd) */
static char *convert(const char *text, const char *to, size_t *len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t in_left = strlen(text), out_left = in_left + 1;
    char *buf = malloc(out_left), *in = (char *)text, *out = buf;
    assert_non_null(buf);
    assert_int_not_equal(iconv(cd, &in, &in_left, &out, &out_left), (size_t)-1);
    iconv_close(cd);
    *len = (size_t)(out - buf);
    return buf;
}

/* ---- one record's fields as a line, to compare lists ---------------------- */

typedef struct lines {
    char **line;
    size_t n;
    int with_raw;
} lines;

static int add_line(void *ctx, const store_record *r)
{
    lines *l = ctx;
    char buf[8192];
#define S(x) ((x) ? (x) : "")
    snprintf(buf, sizeof buf, "%s|%s|%s|%s|%s|%s|%d|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%ld|%s",
             S(r->record_key), S(r->surname), S(r->given_names), S(r->patronymic),
             S(r->father_name), S(r->name), r->birth_year, S(r->birth_date),
             S(r->birth_place), S(r->rank), S(r->occupation), S(r->camp), S(r->fate),
             S(r->fate_date), S(r->fate_place), S(r->list_position), S(r->note),
             S(r->source_urls), l->with_raw ? r->raw_line : 0L, l->with_raw ? S(r->raw) : "");
#undef S
    l->line = realloc(l->line, (l->n + 1) * sizeof *l->line);
    assert_non_null(l->line);
    l->line[l->n] = strdup(buf);
    assert_non_null(l->line[l->n]);
    l->n++;
    return 0;
}

static lines lines_of(store *st, const char *key, int with_raw)
{
    lines l = {NULL, 0, with_raw};
    kt_error err;
    assert_int_equal(store_records_each(st, key, add_line, &l, &err), KT_OK);
    return l;
}

static void lines_equal(const lines *a, const lines *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->line[i], b->line[i]))
            fail_msg("record %zu differs:\n  %s\n  %s", i + 1, a->line[i], b->line[i]);
}

static void lines_free(lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->line[i]);
    free(l->line);
}

static store_record get_first(store *st, const char *key)
{
    lines l = lines_of(st, key, 0);
    assert_true(l.n > 0);
    lines_free(&l);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st),
                                        "SELECT min(r.id) FROM record r JOIN source s ON "
                                        "s.id = r.source_id WHERE s.key = ?1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    store_record r;
    kt_error err;
    assert_int_equal(store_record_get(st, id, &r, &err), KT_OK);
    return r;
}

/* ---- headers and shapes --------------------------------------------------- */

typedef struct shape_case {
    const char *name;
    const char *text;
    char delimiter; /* forced, or 0 */
    const char *surname, *given, *patronymic, *father;
    int year;
    char read_delimiter;
} shape_case;

static const shape_case shapes[] = {
    {"Polish headers, commas", "Nazwisko,Imię,Rok urodzenia\nKowalski,Jan,1900\n", 0,
     "Kowalski", "Jan", "", "", 1900, ','},
    {"Polish headers, semicolons", "Nazwisko;Imiona;Imię ojca;Rok urodzenia;Uwagi\n"
     "Nowak;Piotr Paweł;Jan;1899;ur. 1899, por.\n", 0,
     "Nowak", "Piotr Paweł", "", "Jan", 1899, ';'},
    {"Russian headers, semicolons", "Фамилия;Имя;Отчество;Год рождения;Примечание\n"
     "Ковальский;Станислав;Янович;1893;род. 1893\n", 0,
     "Ковальский", "Станислав", "Янович", "", 1893, ';'},
    {"English headers, tabs", "Last name\tFirst name\tYear of birth\tPlace of birth\n"
     "Smith\tJohn\t1901\tLwów\n", 0, "Smith", "John", "", "", 1901, '\t'},
    {"a whole name under ФИО", "ФИО,Примечание\nКрон Арнольд Фрицевич,род. 1884\n", 0,
     "Крон", "Арнольд", "Фрицевич", "", 1884, ','},
    {"commas inside quotes do not count", "\"Nazwisko, imię\";Uwagi\n\"Kowalski Jan\";\"ur. "
     "1900, por.\"\n", 0, "", "", "", "", 0, ';'},
    {"--delimiter forces the separator", "surname;given_names,birth_year\nNowak;Jan,1900\n",
     ';', "Nowak", "", "", "", 1900, ';'}, /* the year from the unmapped column */
};

static void test_headers_and_separators(void **state)
{
    (void)state;
    store *st = fresh("shapes.db");
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        const shape_case *c = &shapes[i];
        store_import_options opt = {0};
        opt.delimiter = c->delimiter;
        store_import_result res;
        kt_error err;
        char key[16];
        snprintf(key, sizeof key, "s%zu", i);
        int rc = import(st, c->text, strlen(c->text), key, &opt, &res, &err);
        if (i == 5) {
            /* "Nazwisko, imię" is no name column the import knows */
            assert_int_equal(rc, KT_ERR_INPUT);
            continue;
        }
        if (rc != KT_OK)
            fail_msg("%s: %s", c->name, err.message);
        assert_int_equal(res.records, 1);
        assert_int_equal(res.delimiter, c->read_delimiter);
        store_record r = get_first(st, key);
#define S(x) ((x) ? (x) : "")
        if (strcmp(S(r.surname), c->surname) || strcmp(S(r.given_names), c->given) ||
            strcmp(S(r.patronymic), c->patronymic) || strcmp(S(r.father_name), c->father) ||
            r.birth_year != c->year)
            fail_msg("%s: got '%s' '%s' '%s' '%s' %d", c->name, S(r.surname),
                     S(r.given_names), S(r.patronymic), S(r.father_name), r.birth_year);
#undef S
    }
    store_close(st);
}

static void test_column_overrides_a_header(void **state)
{
    (void)state;
    store *st = fresh("override.db");
    static const char text[] = "Nazwisko,Nazwisko rodowe\nKowalska,Nowak\n";
    store_import_column col = {"surname", "Nazwisko rodowe"};
    store_import_options opt = {0};
    opt.columns = &col;
    opt.ncolumns = 1;
    store_import_result res;
    kt_error err;
    assert_int_equal(import(st, text, strlen(text), "o", &opt, &res, &err), KT_OK);
    store_record r = get_first(st, "o");
    assert_string_equal(r.surname, "Nowak");

    /* a comma in a header, semicolons between the columns: the first row
     * says which separator the file uses */
    static const char mixed[] = "Nazwisko, imię;Rok urodzenia\n\"Kowalski Jan\";1900\n";
    store_import_column whole = {"name", "Nazwisko, imię"};
    opt.columns = &whole;
    assert_int_equal(import(st, mixed, strlen(mixed), "m", &opt, &res, &err), KT_OK);
    assert_int_equal(res.delimiter, ';');
    r = get_first(st, "m");
    assert_string_equal(r.surname, "Kowalski");
    assert_int_equal(r.birth_year, 1900);
    store_close(st);
}

typedef struct refused_case {
    const char *name, *text;
    long line;
    const char *fragments[3];
} refused_case;

static const refused_case refused[] = {
    {"a short row", "surname,given_names,birth_year\nKowalski,Jan,1900\nNowak,Piotr\n", 3,
     {"this row has 2 fields, the header 3", NULL}},
    {"a long row", "surname,given_names\nKowalski,Jan\nNowak,Piotr,1900\n", 3,
     {"this row has 3 fields, the header only 2", NULL}},
    {"a short row, semicolons", "Nazwisko;Imię;Rok urodzenia\nKowalski;Jan\n", 2,
     {"a missing semicolon", NULL}},
    {"no name column", "Rok urodzenia,Osoba\n1900,Kowalski Jan\n1901,Nowak Piotr\n", 1,
     {"no column gives a name", "'Rok urodzenia' (birth_year), 'Osoba'",
      "--column surname='Osoba'"}},
    {"a bad source key", "surname\nKowalski\n", 0, {"not a source key", NULL}},
};

static void test_bad_shapes_refused(void **state)
{
    (void)state;
    store *st = fresh("refused.db");
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        const refused_case *c = &refused[i];
        store_import_result res;
        kt_error err;
        int rc = import(st, c->text, strlen(c->text), i == 4 ? "bad key!" : "r", NULL, &res,
                        &err);
        if (rc != KT_ERR_INPUT || err.line != c->line)
            fail_msg("%s: rc %d line %ld: %s", c->name, rc, err.line, err.message);
        for (int k = 0; k < 3 && c->fragments[k]; k++)
            if (!strstr(err.message, c->fragments[k]))
                fail_msg("%s: '%s' not in '%s'", c->name, c->fragments[k], err.message);
        assert_int_equal(store_count(st, "record"), 0);
        assert_int_equal(store_count(st, "source"), 0);
    }
    assert_true(store_import_key_valid("memorial_moscow-2"));
    assert_false(store_import_key_valid(""));
    assert_false(store_import_key_valid("ключ"));
    assert_false(store_import_key_valid("a/b"));
    store_close(st);
}

/* ---- encodings ------------------------------------------------------------ */

static const char polish_en[] =
    "last name,first name,father's name,year of birth,place of birth,rank,camp,notes\n"
    "Wiśniewski,Józef,Jan,1893,Łódź,kpt.,Kozielsk,\"zamordowany w Katyniu w 1940\"\n"
    "Żółkiewski,Stanisław,Piotr,1899,Kraków,por.,Starobielsk,\"rozstrzelany 5 IV 1940 r. w "
    "Charkowie\"\n"
    "Ślązak,Zdzisław,Łukasz,1901,Częstochowa,ppor.,Ostaszków,\"zm. 1941, pochowany w "
    "Miednoje\"\n";

static const char polish_pl[] =
    "Nazwisko;Imię;Imię ojca;Rok urodzenia;Miejsce urodzenia;Stopień;Obóz;Uwagi\n"
    "Wiśniewski;Józef;Jan;1893;Łódź;kpt.;Kozielsk;zamordowany w Katyniu w 1940\n"
    "Żółkiewski;Stanisław;Piotr;1899;Kraków;por.;Starobielsk;rozstrzelany 5 IV 1940 r. w "
    "Charkowie\n"
    "Ślązak;Zdzisław;Łukasz;1901;Częstochowa;ppor.;Ostaszków;\"zm. 1941, pochowany w "
    "Miednoje\"\n";

static void test_cp1250_polish_equals_utf8_english(void **state)
{
    (void)state;
    store *st = fresh("cp1250.db");
    size_t len;
    char *cp = convert(polish_pl, "CP1250", &len);
    store_import_result res;
    kt_error err;
    assert_int_equal(import(st, polish_en, strlen(polish_en), "en", NULL, &res, &err), KT_OK);
    assert_string_equal(res.encoding, "utf-8");
    assert_int_equal(res.with_fate, 3);
    int rc = import(st, cp, len, "pl", NULL, &res, &err);
    if (rc != KT_OK)
        fail_msg("%s", err.message);
    assert_string_equal(res.encoding, "cp1250");
    assert_true(res.encoding_detected);
    assert_int_equal(res.delimiter, ';');
    lines a = lines_of(st, "en", 0), b = lines_of(st, "pl", 0);
    lines_equal(&a, &b);
    assert_non_null(strstr(a.line[0], "|shot|1940|Katyniu|"));
    assert_non_null(strstr(a.line[1], "|shot|1940-04-05|Charkowie|"));
    assert_non_null(strstr(a.line[2], "|died|1941|burial: Miednoje|"));
    lines_free(&a);
    lines_free(&b);
    free(cp);
    store_close(st);
}

static const char russian[] =
    "Фамилия,Имя,Отчество,Примечание\n"
    "Сморавинский,Ежи,Павлович,\"род. 1893, генерал, расстрелян в 1940 г.\"\n"
    "Бенашевский,Мечислав,Станиславович,\"род. 1901, поляк. Рассстрелян 2.10.1937.\"\n";

typedef struct enc_case {
    const char *name;
    const char *text;
    const char *iconv; /* the bytes' encoding */
    const char *asked; /* NULL: auto */
    int rc;
    const char *read;     /* the encoding read, when imported */
    const char *fragment; /* in the error, when refused */
} enc_case;

static const enc_case encs[] = {
    {"cp1251 told from the text", russian, "CP1251", NULL, KT_OK, "cp1251", NULL},
    {"koi8-r told from the text", russian, "KOI8-R", NULL, KT_OK, "koi8-r", NULL},
    {"cp1250 told from the text", polish_pl, "CP1250", "auto", KT_OK, "cp1250", NULL},
    {"UTF-8 stays UTF-8", russian, "UTF-8", NULL, KT_OK, "utf-8", NULL},
    {"UTF-8 read as cp1251 refused", russian, "UTF-8", "cp1251", KT_ERR_INPUT, NULL,
     "it reads as utf-8"},
    {"cp1251 read as koi8-r refused", russian, "CP1251", "koi8-r", KT_ERR_INPUT, NULL,
     "it reads as cp1251"},
    {"koi8-r read as cp1251 refused", russian, "KOI8-R", "cp1251", KT_ERR_INPUT, NULL,
     "it reads as koi8-r"},
    {"cp1251 read as cp1250 refused", russian, "CP1251", "cp1250", KT_ERR_INPUT, NULL,
     "it reads as cp1251"},
    {"cp1250 read as cp1251 refused", polish_pl, "CP1250", "cp1251", KT_ERR_INPUT, NULL,
     "it reads as cp1250"},
    {"cp1251 read as UTF-8 refused", russian, "CP1251", "utf-8", KT_ERR_INPUT, NULL,
     "it reads as cp1251"},
    {"cp1251 given right", russian, "CP1251", "windows-1251", KT_OK, "cp1251", NULL},
};

static void test_encodings(void **state)
{
    (void)state;
    store *st = fresh("enc.db");
    lines want = {0};
    for (size_t i = 0; i < sizeof encs / sizeof *encs; i++) {
        const enc_case *c = &encs[i];
        size_t len;
        char *bytes = convert(c->text, c->iconv, &len);
        store_import_options opt = {0};
        opt.encoding = c->asked;
        opt.replace = 1; /* the same bytes come more than once */
        store_import_result res;
        kt_error err;
        char key[16];
        snprintf(key, sizeof key, "e%zu", i);
        int rc = import(st, bytes, len, key, &opt, &res, &err);
        if (rc != c->rc)
            fail_msg("%s: rc %d: %s", c->name, rc, err.message);
        if (rc == KT_OK) {
            assert_string_equal(res.encoding, c->read);
            if (c->text == russian) {
                lines got = lines_of(st, key, 0);
                if (!want.n)
                    want = lines_of(st, key, 0);
                lines_equal(&got, &want);
                lines_free(&got);
            }
        } else if (!strstr(err.message, c->fragment)) {
            fail_msg("%s: '%s' not in '%s'", c->name, c->fragment, err.message);
        }
        free(bytes);
    }
    assert_int_equal(want.n, 2);
    assert_non_null(strstr(want.line[0], "Сморавинский"));
    lines_free(&want);
    store_close(st);
}

/* ---- other names in brackets ---------------------------------------------- */

static int alias_line(void *ctx, const store_record_alias *a)
{
    char *out = ctx;
    snprintf(out + strlen(out), 1024 - strlen(out), "%s=%s;", a->kind, a->name);
    return 0;
}

static void test_bracketed_names_are_other_names(void **state)
{
    (void)state;
    store *st = fresh("brackets.db");
    static const char text[] =
        "NAME,BIO\n"
        "Лещиньский (Ленский) Юлиан Марьянович,\"род. 1889, поляк\"\n"
        "Шидловский Иван (Ян) Антонович,род. 1897\n"
        "Уманский Михаил Васильевич (Гюнсберг Маврикий Карлович),род. 1890\n"
        "Крон Арнольд Фрицевич,род. 1884\n";
    store_import_result res;
    kt_error err;
    assert_int_equal(import(st, text, strlen(text), "b", NULL, &res, &err), KT_OK);
    assert_int_equal(res.other_names, 3);
    char got[1024] = "";
    assert_int_equal(store_record_aliases_each(st, 0, alias_line, got, &err), KT_OK);
    assert_string_equal(got, "other surname=Ленский;other given name=Ян;"
                             "whole other name=Гюнсберг Маврикий Карлович;");
    store_record r = get_first(st, "b");
    /* the parts without the brackets; the raw row and the name as written */
    assert_string_equal(r.surname, "Лещиньский");
    assert_string_equal(r.given_names, "Юлиан");
    assert_string_equal(r.name, "Лещиньский (Ленский) Юлиан Марьянович");
    assert_string_equal(r.raw, "Лещиньский (Ленский) Юлиан Марьянович,\"род. 1889, поляк\"");

    kt_index *ix = NULL;
    assert_int_equal(index_build_from_store(st, &ix, &err), KT_OK);
    static const struct {
        const char *query, *found;
    } q[] = {
        {"Ленский", "Лещиньский Юлиан Марьянович"},
        {"Leński", "Лещиньский Юлиан Марьянович"},
        {"Julian Leński", "Лещиньский Юлиан Марьянович"},
        {"Jan Szydłowski", "Шидловский Иван Антонович"},
        {"Маврикий Гюнсберг", "Уманский Михаил Васильевич"},
    };
    for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
        index_hit hits[3];
        int n = index_query(ix, q[i].query, NULL, hits, 3);
        assert_true(n > 0);
        index_entry e;
        index_entry_get(ix, hits[0].slot, &e);
        if (strcmp(e.name, q[i].found))
            fail_msg("'%s' found '%s' first", q[i].query, e.name);
    }
    index_hit hit;
    assert_int_equal(index_query(ix, "Leński", NULL, &hit, 1), 1);
    char why[4][160];
    assert_true(index_explain(ix, "Leński", hit.slot, why, 4) > 0);
    assert_non_null(strstr(why[0], "known as Юлиан Ленский (other surname)"));
    index_free(ix);
    store_close(st);
}

/* ---- provenance ----------------------------------------------------------- */

static void test_row_url_and_source_description(void **state)
{
    (void)state;
    store *st = fresh("prov.db");
    static const char text[] = "surname,link\nKowalski,https://example.org/k\nNowak,\n";
    store_import_options opt = {0};
    opt.url = "https://example.org/list";
    opt.licence = "CC-BY 4.0";
    opt.language = "pl";
    opt.reference = "CAW, I.123.4";
    store_import_result res;
    kt_error err;
    assert_int_equal(import(st, text, strlen(text), "p", &opt, &res, &err), KT_OK);
    lines l = lines_of(st, "p", 0);
    assert_non_null(strstr(l.line[0], "|https://example.org/k|"));
    assert_null(strstr(l.line[1], "https"));
    lines_free(&l);
    store_source src;
    assert_int_equal(store_source_get(st, "p", &src, &err), KT_OK);
    assert_string_equal(src.url, "https://example.org/list");
    assert_string_equal(src.licence, "CC-BY 4.0");
    assert_string_equal(src.language, "pl");
    assert_string_equal(src.reference, "CAW, I.123.4");
    store_close(st);
}

/* ---- Memorial's Moscow list, no options ------------------------------------ */

/* "Рассстрелян 17.05.1938" in the text, as ISO; "" when absent. */
static void shot_date_in(const char *text, char *iso, size_t cap)
{
    iso[0] = '\0';
    const char *p = strstr(text, "Рассстрелян");
    if (!p)
        return;
    p += strlen("Рассстрелян");
    if (!strncmp(p, "а", strlen("а")))
        p += strlen("а");
    int d, m, y;
    if (sscanf(p, " %d.%d.%d", &d, &m, &y) == 3)
        snprintf(iso, cap, "%04d-%02d-%02d", y, m, d);
}

/* "Место захоронения: Бутово." in the text, as "burial: Бутово". */
static void burial_in(const char *text, char *out, size_t cap)
{
    out[0] = '\0';
    const char *mark = "Место захоронения: ";
    const char *p = strstr(text, mark);
    if (!p)
        return;
    p += strlen(mark);
    const char *e = strchr(p, '.');
    snprintf(out, cap, "burial: %.*s", (int)(e ? e - p : (long)strlen(p)), p);
}

typedef struct memorial_check {
    long records, with_year, fate_ok, url_ok;
} memorial_check;

static int check_record(void *ctx, const store_record *r)
{
    memorial_check *c = ctx;
    char date[16], burial[256];
    c->records++;
    c->with_year += r->birth_year > 0;
    shot_date_in(r->note ? r->note : "", date, sizeof date);
    burial_in(r->note ? r->note : "", burial, sizeof burial);
    c->fate_ok += r->fate && !strcmp(r->fate, "shot") && date[0] && r->fate_date &&
                  !strcmp(r->fate_date, date) && burial[0] && r->fate_place &&
                  !strcmp(r->fate_place, burial);
    /* the row's LINK, its last field, is the record's URL */
    size_t rl = strlen(r->raw), ul = r->source_urls ? strlen(r->source_urls) : 0;
    c->url_ok += ul > 20 && !strncmp(r->source_urls, "http://mos.memo.ru/", 19) &&
                 rl > ul && !strcmp(r->raw + rl - ul, r->source_urls) && r->raw[rl - ul - 1] == ',';
    return 0;
}

static void test_memorial_with_no_options(void **state)
{
    (void)state;
    store *st = fresh("memorial.db");
    store_import_options opt = {0};
    opt.source_key = "memorial_moscow";
    store_import_result res;
    kt_error err;
    kt_error_clear(&err);
    int rc = store_import_csv(st, MEMORIAL, &opt, &res, &err);
    if (rc != KT_OK)
        fail_msg("%s:%ld: %s", err.file, err.line, err.message);
    assert_int_equal(res.records, MEMORIAL_ROWS);
    assert_int_equal(res.with_year, MEMORIAL_ROWS);
    memorial_check c = {0};
    assert_int_equal(store_records_each(st, "memorial_moscow", check_record, &c, &err), KT_OK);
    assert_int_equal(c.records, MEMORIAL_ROWS);
    assert_int_equal(c.with_year, MEMORIAL_ROWS);
    print_message("fate 'shot' with the text's date and burial place: %ld of %d\n", c.fate_ok,
                  MEMORIAL_ROWS);
    assert_true(c.fate_ok * 100 >= 95L * MEMORIAL_ROWS);
    assert_int_equal(c.url_ok, MEMORIAL_ROWS);
    assert_true(res.other_names >= 90);

    /* the bracketed names are found, with the fate filter in Russian */
    kt_index *ix = NULL;
    assert_int_equal(index_build_from_store(st, &ix, &err), KT_OK);
    index_filter f = {.fate = "расстрелян"};
    index_hit hit;
    assert_int_equal(index_query(ix, "Leński", &f, &hit, 1), 1);
    index_entry e;
    index_entry_get(ix, hit.slot, &e);
    assert_string_equal(e.name, "Лещиньский Юлиан Марьянович");
    assert_non_null(e.alias);
    f.fate = "released";
    assert_int_equal(index_query(ix, "Leński", &f, &hit, 1), 0);
    index_free(ix);

    /* exported and imported again: an equal list, the same other names */
    const char *out = path_in("memorial_export.csv");
    FILE *fp = fopen(out, "wb");
    assert_non_null(fp);
    long n = 0;
    assert_int_equal(store_export_records(st, "memorial_moscow", STORE_EXPORT_CSV, fp, &n, &err),
                     KT_OK);
    fclose(fp);
    assert_int_equal(n, MEMORIAL_ROWS);
    opt.source_key = "again";
    store_import_result res2;
    rc = store_import_csv(st, out, &opt, &res2, &err);
    if (rc != KT_OK)
        fail_msg("%s:%ld: %s", err.file, err.line, err.message);
    assert_int_equal(res2.records, MEMORIAL_ROWS);
    assert_int_equal(res2.other_names, res.other_names);
    lines a = lines_of(st, "memorial_moscow", 0), b = lines_of(st, "again", 0);
    lines_equal(&a, &b);
    lines_free(&a);
    lines_free(&b);
    store_close(st);
}

/* ---- migration -------------------------------------------------------------- */

/* A file from before record aliases (version 3: step 4 adds them) keeps its
 * records when opened, every later step applied, and takes other names
 * afterwards. */
#define BEFORE_RECORD_ALIASES 3
static void test_older_file_migrates(void **state)
{
    (void)state;
    const char *p = path_in("older.db");
    unlink(p);
    kt_error err;
    assert_int_equal(store_create_at_version(p, BEFORE_RECORD_ALIASES, &err), KT_OK);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO source(key, title) VALUES ('old', 'Old list');"
                                  "INSERT INTO record(source_id, surname, raw) VALUES "
                                  "(1, 'Лещиньский', 'Лещиньский (Ленский)');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    store *st = NULL;
    assert_int_equal(store_open(p, 0, &st, &err), KT_OK);
    assert_int_equal(store_schema_version(st), store_schema_latest());
    assert_int_equal(store_count(st, "record"), 1);
    store_record_alias a = {.record_id = 1, .name = "Ленский", .kind = "other surname"};
    assert_int_equal(store_record_alias_add(st, &a, &err), KT_OK);
    a.kind = "nickname"; /* a person's kind, not a record's */
    assert_int_equal(store_record_alias_add(st, &a, &err), KT_ERR_INPUT);
    assert_int_equal(store_count(st, "record_alias"), 1);
    store_close(st);
}

/* ---- the command line ----------------------------------------------------- */

static void test_command_line(void **state)
{
    (void)state;
    test_run r = test_kt("--version");
    assert_int_equal(r.code, 0);
    assert_int_equal(strncmp(r.out, "kartoteka ", 10), 0);
    test_run_free(&r);

    /* KARTOTEKA_DB from another directory */
    char db[256], list[256], exp[256];
    snprintf(db, sizeof db, "%s/env.db", test_dir);
    snprintf(list, sizeof list, "%s/pl.csv", test_dir);
    snprintf(exp, sizeof exp, "%s/out.csv", test_dir);
    FILE *f = fopen(list, "wb");
    assert_non_null(f);
    fputs(polish_pl, f);
    fclose(f);
    test_kt_ok("init --db '%s' >/dev/null", db);
    r = test_kt("import '%s' --source pl_list --url https://example.org/pl --licence CC0 "
                "--language pl --archive-ref 'CAW I.1' --db '%s'", list, db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "imported 3 records"));
    assert_non_null(strstr(r.out, "read as utf-8 (told from the text), fields separated by "
                                  "semicolons"));
    test_run_free(&r);
    /* test_kt runs the binary first: "--version" there, then the command
     * from another directory */
    r = test_kt("--version >/dev/null; cd / && KARTOTEKA_DB='%s' '%s' sources --long", db,
                test_bin);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "https://example.org/pl"));
    assert_non_null(strstr(r.out, "CAW I.1"));
    assert_non_null(strstr(r.out, "CC0"));
    test_run_free(&r);
    r = test_kt("--version >/dev/null; cd / && KARTOTEKA_DB='%s' '%s' search --fate shot "
                "Wiśniewski --json",
                db, test_bin);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "Wiśniewski"));
    test_run_free(&r);

    /* every command takes its database from KARTOTEKA_DB */
    static const char *const readers[] = {"stats", "records", "places", "events",
                                          "figures", "documents", "check"};
    for (size_t i = 0; i < sizeof readers / sizeof *readers; i++) {
        r = test_kt("--version >/dev/null; cd / && KARTOTEKA_DB='%s' '%s' %s", db, test_bin,
                    readers[i]);
        if (r.code != 0)
            fail_msg("KARTOTEKA_DB %s: exit %d: %s", readers[i], r.code, r.err);
        test_run_free(&r);
    }

    /* export records, to a file and back */
    r = test_kt("export records --source pl_list --output '%s' --db '%s'", exp, db);
    assert_int_equal(r.code, 0);
    test_run_free(&r);
    r = test_kt("import '%s' --source pl_again --db '%s'", exp, db);
    assert_int_equal(r.code, 0);
    test_run_free(&r);
    r = test_kt("export records --source nowhere --db '%s'", db);
    assert_int_equal(r.code, 5);
    test_run_free(&r);
    r = test_kt("export records --format xml --db '%s'", db);
    assert_int_equal(r.code, 2);
    test_run_free(&r);
    r = test_kt("export records --source pl_list --format json --db '%s'", db);
    assert_int_equal(r.code, 0);
    json_t *j = test_json_parse(r.out, 0);
    assert_int_equal(json_array_size(j), 3);
    json_decref(j);
    test_run_free(&r);

    /* the same --limit rules in records and search: 0 is all, and a list cut
     * short says so */
    j = test_kt_json("records --source pl_list --limit 2 --json --db '%s'", db);
    assert_true(json_boolean_value(json_object_get(j, "truncated")));
    json_decref(j);
    j = test_kt_json("records --source pl_list --limit 0 --json --db '%s'", db);
    assert_false(json_boolean_value(json_object_get(j, "truncated")));
    assert_int_equal(json_array_size(json_object_get(j, "records")), 3);
    json_decref(j);
    j = test_kt_json("search --limit 1 --json --db '%s' Wiśniewski", db);
    assert_true(json_boolean_value(json_object_get(j, "truncated"))); /* two lists */
    json_decref(j);
    j = test_kt_json("search --limit 0 --json --db '%s' Wiśniewski", db);
    assert_false(json_boolean_value(json_object_get(j, "truncated")));
    assert_int_equal(json_array_size(json_object_get(j, "results")), 2);
    json_decref(j);

    /* a query too long: one exit code, one message, however it comes */
    char *longq = malloc(1200);
    assert_non_null(longq);
    memset(longq, 'a', 1100);
    longq[1100] = '\0';
    char qfile[256];
    snprintf(qfile, sizeof qfile, "%s/queries.txt", test_dir);
    f = fopen(qfile, "wb");
    assert_non_null(f);
    fprintf(f, "%s\n", longq);
    fclose(f);
    r = test_kt("search --db '%s' %s", db, longq);
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "the query is too long (1100 characters; at most 1024)"));
    test_run_free(&r);
    r = test_kt("search --db '%s' --batch '%s'", db, qfile);
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "the query is too long (1100 characters; at most 1024)"));
    test_run_free(&r);
    free(longq);

    /* places and events fit 80 columns; events name their places */
    static const char *const narrow[] = {"places", "events"};
    for (size_t i = 0; i < 2; i++) {
        r = test_kt("%s --db '%s'", narrow[i], db);
        assert_int_equal(r.code, 0);
        long width = 0;
        for (const char *p = r.out; *p; p++) {
            if (*p == '\n')
                width = 0;
            else if (((unsigned char)*p & 0xC0) != 0x80 && ++width > 80)
                fail_msg("%s: a line wider than 80 columns", narrow[i]);
        }
        if (i == 1)
            assert_non_null(strstr(r.out, "at Kozelsk special camp"));
        test_run_free(&r);
    }

    /* refusals: a bad key, a wrong encoding, a bad separator */
    r = test_kt("import '%s' --source 'a b' --db '%s'", list, db);
    assert_int_equal(r.code, 2);
    test_run_free(&r);
    r = test_kt("import '%s' --source x --encoding cp1251 --db '%s'", list, db);
    assert_int_equal(r.code, 3);
    assert_non_null(strstr(r.err, "it reads as"));
    test_run_free(&r);
    r = test_kt("import '%s' --source x --delimiter pipe --db '%s'", list, db);
    assert_int_equal(r.code, 2);
    test_run_free(&r);
}

/* make install into a scratch prefix: the binary runs from anywhere with
 * KARTOTEKA_DB, and the manual page reads (when man is there to read it). */
static void test_install(void **state)
{
    (void)state;
    char build[PATH_MAX], cmd[3 * PATH_MAX];
    snprintf(build, sizeof build, "%s", test_bin);
    char *slash = strrchr(build, '/');
    assert_non_null(slash);
    *slash = '\0';
    snprintf(cmd, sizeof cmd,
             "make -s --no-print-directory install BUILD='%s' PREFIX='%s/prefix' "
             "DESTDIR= >/dev/null",
             build, test_dir);
    assert_int_equal(system(cmd), 0);
    char db[256];
    snprintf(db, sizeof db, "%s/installed.db", test_dir);
    snprintf(cmd, sizeof cmd,
             "cd / && '%s/prefix/bin/kartoteka' --version | grep -q '^kartoteka ' && "
             "KARTOTEKA_DB='%s' '%s/prefix/bin/kartoteka' init >/dev/null && "
             "KARTOTEKA_DB='%s' '%s/prefix/bin/kartoteka' sources | grep -q prisoners_pl",
             test_dir, db, test_dir, db, test_dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "test -f '%s/prefix/share/man/man1/kartoteka.1'", test_dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd,
             "! command -v man >/dev/null || MANWIDTH=80 man -l "
             "'%s/prefix/share/man/man1/kartoteka.1' 2>/dev/null | grep -q KARTOTEKA_DB",
             test_dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers_and_separators),
        cmocka_unit_test(test_column_overrides_a_header),
        cmocka_unit_test(test_bad_shapes_refused),
        cmocka_unit_test(test_cp1250_polish_equals_utf8_english),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_bracketed_names_are_other_names),
        cmocka_unit_test(test_row_url_and_source_description),
        cmocka_unit_test(test_memorial_with_no_options),
        cmocka_unit_test(test_older_file_migrates),
        cmocka_unit_test(test_command_line),
        cmocka_unit_test(test_install),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
