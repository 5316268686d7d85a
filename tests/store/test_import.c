/*
 * test_import.c — `kartoteka import` end to end on a real store in a temp
 * directory: fields and raw rows, column mapping, years, name splitting,
 * atomicity (a bad row leaves nothing behind), refusal of a second import of
 * the same file or key, --replace, the audit log; then the acceptance checks
 * on Memorial's list of 5,232 people shot in Moscow (UTF-8, the same list
 * converted to cp1251, and a copy broken at line 3,000); then the command
 * itself, run as a user runs it (KARTOTEKA_BIN), for its exit codes.
 */
#include <errno.h>
#include <iconv.h>
#include <sys/stat.h>

#include "../testutil.h"

#include "store/import.h"
#include "store/store.h"
#include "util/sha256.h"

#define MEMORIAL "tests/data/memorial/moscow_shot_1937_1941.csv"
#define MEMORIAL_ROWS 5232 /* data rows; the header is line 1 */

static char tmpdir[256];

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/kt_import_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *tmp_path(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static store *open_fresh(const char *name)
{
    const char *path = tmp_path(name);
    unlink(path);
    store *st = NULL;
    kt_error err;
    int rc = store_open(path, 1, &st, &err);
    if (rc != KT_OK)
        fail_msg("store_open %s: %s", path, err.message);
    return st;
}

static int64_t count(store *st, const char *table)
{
    return store_count(st, table);
}

static int64_t audit_imports(store *st)
{
    sqlite3_stmt *s;
    int64_t n = -1;
    assert_int_equal(sqlite3_prepare_v2(store_db(st),
                                        "SELECT count(*) FROM audit_log WHERE action = 'import'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* ---- records collected for comparison ---------------------------------- */

enum { NTEXT = 19 };

typedef struct rec_copy {
    char *text[NTEXT]; /* every text field, "" for NULL */
    int birth_year;
    long raw_line;
} rec_copy;

typedef struct rec_list {
    rec_copy *r;
    size_t n, cap;
} rec_list;

static const char *const text_names[NTEXT] = {
    "record_key", "surname", "given_names", "patronymic", "father_name", "name",
    "birth_date", "birth_place", "rank", "occupation", "camp", "fate", "fate_date",
    "fate_place", "list_position", "note", "raw", "source_urls", "(unused)",
};

static int collect(void *ctx, const store_record *rec)
{
    rec_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->r = realloc(l->r, l->cap * sizeof *l->r);
        assert_non_null(l->r);
    }
    const char *t[NTEXT] = {
        rec->record_key, rec->surname, rec->given_names, rec->patronymic, rec->father_name,
        rec->name, rec->birth_date, rec->birth_place, rec->rank, rec->occupation, rec->camp,
        rec->fate, rec->fate_date, rec->fate_place, rec->list_position, rec->note, rec->raw,
        NULL, NULL,
    };
    rec_copy *c = &l->r[l->n++];
    for (int i = 0; i < NTEXT; i++)
        c->text[i] = strdup(t[i] ? t[i] : "");
    c->birth_year = rec->birth_year;
    c->raw_line = rec->raw_line;
    return 0;
}

static rec_list records_of(store *st, const char *key)
{
    rec_list l = {0};
    kt_error err;
    int rc = store_records_each(st, key, collect, &l, &err);
    if (rc != KT_OK)
        fail_msg("records of %s: %s", key, err.message);
    return l;
}

static void free_list(rec_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        for (int k = 0; k < NTEXT; k++)
            free(l->r[i].text[k]);
    free(l->r);
    memset(l, 0, sizeof *l);
}

static int import_file(store *st, const char *path, const char *key, const char *encoding,
                       const store_import_column *cols, size_t ncols, int replace,
                       store_import_result *res, kt_error *err)
{
    store_import_options opt = {0};
    opt.source_key = key;
    opt.encoding = encoding;
    opt.columns = cols;
    opt.ncolumns = ncols;
    opt.replace = replace;
    kt_error_clear(err);
    return store_import_csv(st, path, &opt, res, err);
}

/* ---- SHA-256 ------------------------------------------------------------ */

static void test_sha256_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *hex;
    } v[] = {
        /* FIPS 180-4 examples and the empty string. */
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    char hex[65];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        kt_sha256_hex(v[i].in, strlen(v[i].in), hex);
        assert_string_equal(hex, v[i].hex);
    }
    /* One million 'a' (FIPS 180-2 appendix B.3), across many blocks. */
    char *a = malloc(1000000);
    assert_non_null(a);
    memset(a, 'a', 1000000);
    kt_sha256_hex(a, 1000000, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
    /* Lengths around the padding boundary differ from each other. */
    char prev[65] = "";
    for (size_t n = 50; n < 70; n++) {
        char buf[70];
        memset(buf, 'x', n);
        kt_sha256_hex(buf, n, hex);
        assert_string_not_equal(hex, prev);
        memcpy(prev, hex, 65);
    }
}

/* ---- name splitting ----------------------------------------------------- */

static void test_split_name(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int given_first;
        const char *surname, *given, *patronymic;
    } v[] = {
        {"Крон Арнольд Фрицевич", 0, "Крон", "Арнольд", "Фрицевич"},
        {"Бенашевский Мечислав Станиславович", 0, "Бенашевский", "Мечислав", "Станиславович"},
        {"Кузьмина Анна Ивановна", 0, "Кузьмина", "Анна", "Ивановна"},
        {"Ленская Мария Ильинична", 0, "Ленская", "Мария", "Ильинична"},
        {"Ульянов Владимир Ильич", 0, "Ульянов", "Владимир", "Ильич"},
        {"Петрова Ольга Саввична", 0, "Петрова", "Ольга", "Саввична"},
        {"ИВАНОВ ИВАН ИВАНОВИЧ", 0, "ИВАНОВ", "ИВАН", "ИВАНОВИЧ"},
        {"Шнейдерман Лазарь Hаумович", 0, "Шнейдерман", "Лазарь", "Hаумович"},
        {"Штромер Иоган", 0, "Штромер", "Иоган", ""},
        {"Мицкевич Адам", 0, "Мицкевич", "Адам", ""},     /* two words: no patronymic */
        {"Ким Ен Сек", 0, "Ким", "Ен Сек", ""},
        {"Kowalski Jan Józef", 0, "Kowalski", "Jan Józef", ""},
        {"Kowalski, Jan", 0, "Kowalski", "Jan", ""},
        {"Уманский Михаил Васильевич (Гюнсберг Маврикий Карлович)", 0, "Уманский", "Михаил",
         "Васильевич"},
        {"Ольский (Куликовский) Ян Калистович (Калакстович)", 0, "Ольский", "Ян", "Калистович"},
        {"Jan Kowalski", 1, "Kowalski", "Jan", ""},
        {"Józef Olszyna-Wilczyński", 1, "Olszyna-Wilczyński", "Józef", ""},
        {"Мечислав Станиславович Бенашевский", 1, "Бенашевский", "Мечислав", "Станиславович"},
        {"Юнь-Лин-Сек", 0, "Юнь-Лин-Сек", "", ""},
        {"  ", 0, "", "", ""},
        {"Ич Ич Ич", 0, "Ич", "Ич Ич", ""}, /* the bare ending is not a patronymic */
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char s[128], g[128], p[128];
        store_import_split_name(v[i].name, v[i].given_first, s, g, p, sizeof s);
        if (strcmp(s, v[i].surname) || strcmp(g, v[i].given) || strcmp(p, v[i].patronymic))
            fail_msg("'%s': got '%s' / '%s' / '%s'", v[i].name, s, g, p);
    }
}

/* ---- fields, raw rows, mapping, years ----------------------------------- */

static const char all_columns[] =
    "Record_ID,SURNAME,Given_Names,patronymic,father_name,birth_year,birth_date,"
    "birth_place,rank,occupation,camp,fate,fate_date,fate_place,list_position,note,extra\r\n"
    "K-1, Kowalski ,Stanisław,,Jana,1905,,Lwów,por.,nauczyciel,Starobielsk,"
    "rozstrzelany,1940,Charków,12,\"uwagi, z przecinkiem\",x\r\n"
    "K-2,Nowak,Jan,,,,\"25 XII 1893\",\"Kraków\",kpt.,,Kozielsk,,\"3.04.1940\",Katyń,13,"
    "\"wiersz pierwszy\r\nwiersz \"\"drugi\"\"\",y\r\n"
    "K-3,Ковальский,Станислав,Янович,,,,,,,Осташков,,1940,,14,род. 1899,\r\n"
    "K-4,Wiśniewski,Piotr,,,,,,,,,,1940,,15,,\r\n";

static void test_fields_and_raw_rows(void **state)
{
    (void)state;
    store *st = open_fresh("fields.db");
    const char *path = tmp_path("all.csv");
    write_file(path, all_columns, strlen(all_columns));
    store_import_result res;
    kt_error err;
    int rc = import_file(st, path, "test_all", NULL, NULL, 0, 0, &res, &err);
    if (rc != KT_OK)
        fail_msg("%s:%ld: %s", err.file, err.line, err.message);
    assert_int_equal(res.records, 4);
    assert_int_equal(res.with_year, 3);

    rec_list l = records_of(st, "test_all");
    assert_int_equal(l.n, 4);
    rec_copy *a = &l.r[0], *b = &l.r[1], *c = &l.r[2], *d = &l.r[3];
    assert_string_equal(a->text[0], "K-1");
    assert_string_equal(a->text[1], "Kowalski"); /* trimmed */
    assert_string_equal(a->text[2], "Stanisław");
    assert_string_equal(a->text[4], "Jana");
    assert_int_equal(a->birth_year, 1905);
    assert_string_equal(a->text[7], "Lwów");
    assert_string_equal(a->text[8], "por.");
    assert_string_equal(a->text[9], "nauczyciel");
    assert_string_equal(a->text[10], "Starobielsk");
    assert_string_equal(a->text[11], "rozstrzelany");
    assert_string_equal(a->text[12], "1940");
    assert_string_equal(a->text[13], "Charków");
    assert_string_equal(a->text[14], "12");
    assert_string_equal(a->text[15], "uwagi, z przecinkiem");
    /* The raw row exactly as in the file, without CRLF; its first line. */
    assert_string_equal(a->text[16], "K-1, Kowalski ,Stanisław,,Jana,1905,,Lwów,por.,nauczyciel,"
                                     "Starobielsk,rozstrzelany,1940,Charków,12,"
                                     "\"uwagi, z przecinkiem\",x");
    assert_int_equal(a->raw_line, 2);

    assert_string_equal(b->text[6], "25 XII 1893");
    assert_int_equal(b->birth_year, 1893);           /* from birth_date */
    assert_string_equal(b->text[15], "wiersz pierwszy\r\nwiersz \"drugi\"");
    assert_string_equal(b->text[16],
                        "K-2,Nowak,Jan,,,,\"25 XII 1893\",\"Kraków\",kpt.,,Kozielsk,,\"3.04.1940\","
                        "Katyń,13,\"wiersz pierwszy\r\nwiersz \"\"drugi\"\"\",y");
    assert_int_equal(b->raw_line, 3);

    assert_string_equal(c->text[1], "Ковальский");
    assert_string_equal(c->text[3], "Янович");
    assert_int_equal(c->birth_year, 1899);           /* from the note's text */
    assert_int_equal(c->raw_line, 5);                /* after the two-line row */

    /* A fate date alone is not a year of birth. */
    assert_int_equal(d->birth_year, 0);
    assert_int_equal(d->raw_line, 6);
    free_list(&l);

    store_source src;
    assert_int_equal(store_source_get(st, "test_all", &src, &err), KT_OK);
    assert_string_equal(src.file_name, "all.csv");
    assert_string_equal(src.title, "all.csv");
    assert_string_equal(src.checksum, res.checksum);
    char hex[65];
    kt_sha256_hex(all_columns, strlen(all_columns), hex);
    assert_string_equal(src.checksum, hex);
    assert_int_equal(audit_imports(st), 1);
    store_close(st);
}

static void test_column_mapping_and_name_order(void **state)
{
    (void)state;
    store *st = open_fresh("map.db");
    static const char csv[] =
        "Nr,Imię i nazwisko,Życiorys,Ur\n"
        "1,Józef Olszyna-Wilczyński,\"generał, b. 1893\",\n"
        "2,Mieczysław Benaszewski,\"zm. 1940\",1899\n"
        "3,Jan Nowak,\"zm. 1940\",\n";
    const char *path = tmp_path("map.csv");
    write_file(path, csv, strlen(csv));
    store_import_column cols[] = {
        {"name", "IMIĘ I NAZWISKO"}, /* headers match without case, any script */
        {"note", "życiorys"},
        {"list_position", "nr"},
        {"birth_year", "ur"},
    };
    store_import_options opt = {0};
    opt.source_key = "mapped";
    opt.title = "Lista testowa";
    opt.columns = cols;
    opt.ncolumns = 4;
    opt.given_first = 1;
    store_import_result res;
    kt_error err;
    int rc = store_import_csv(st, path, &opt, &res, &err);
    if (rc != KT_OK)
        fail_msg("%s:%ld: %s", err.file, err.line, err.message);
    rec_list l = records_of(st, "mapped");
    assert_int_equal(l.n, 3);
    assert_string_equal(l.r[0].text[5], "Józef Olszyna-Wilczyński");
    assert_string_equal(l.r[0].text[1], "Olszyna-Wilczyński");
    assert_string_equal(l.r[0].text[2], "Józef");
    assert_string_equal(l.r[0].text[14], "1");
    assert_int_equal(l.r[0].birth_year, 1893);
    assert_int_equal(l.r[1].birth_year, 1899);
    assert_int_equal(l.r[2].birth_year, 0); /* a death year is not a birth */
    free_list(&l);
    store_source src;
    assert_int_equal(store_source_get(st, "mapped", &src, &err), KT_OK);
    assert_string_equal(src.title, "Lista testowa");
    assert_string_equal(src.script, "Latn");

    /* Mapping errors are refused before anything is written. */
    static const struct {
        store_import_column col;
        const char *fragment;
    } bad[] = {
        {{"name", "NAZWISKO"}, "has no column 'NAZWISKO'"},
        {{"shoe_size", "Nr"}, "unknown field"},
    };
    int64_t sources = count(st, "source");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rc = import_file(st, path, "bad_map", NULL, &bad[i].col, 1, 0, &res, &err);
        assert_int_equal(rc, KT_ERR_INPUT);
        if (!strstr(err.message, bad[i].fragment))
            fail_msg("mapping error '%s' lacks '%s'", err.message, bad[i].fragment);
    }
    store_import_column twice[] = {{"note", "Nr"}, {"note", "Ur"}};
    assert_int_equal(import_file(st, path, "bad_map", NULL, twice, 2, 0, &res, &err),
                     KT_ERR_INPUT);
    assert_int_equal(count(st, "source"), sources);
    store_close(st);
}

/* ---- atomicity ---------------------------------------------------------- */

typedef struct bad_file {
    const char *name;
    const char *body; /* after the header "id,surname,birth_year,note\n" */
    const char *encoding;
    long line;
    const char *column;  /* expected column in the error, "" for none */
    const char *fragment;
} bad_file;

static const bad_file bad_files[] = {
    {"birth year not a number", "1,A,1900,\n2,B,1901,\n3,C,około 1902,\n4,D,1903,\n", NULL, 4,
     "birth_year", "not a year of birth"},
    {"birth year implausible", "1,A,1900,\n2,B,19,\n", NULL, 3, "birth_year", "1800-2000"},
    {"birth year in the future", "1,A,2093,\n", NULL, 2, "birth_year", "not a year"},
    {"stray quote", "1,A,1900,\n2,B\"x,1901,\n", NULL, 3, "", "quote inside"},
    {"too many fields", "1,A,1900,\n2,B,1901,x,y\n", NULL, 3, "", "5 fields"},
    {"unterminated quote", "1,A,1900,\n2,B,1901,\"open\n3,C,1902,\n", NULL, 3, "",
     "never closed"},
    {"invalid UTF-8", "1,A,1900,\n2,B\xC3,1901,\n", "utf-8", 3, "", "invalid UTF-8"},
    {"byte not in cp1251", "1,A,1900,\n2,B\x98,1901,\n", "cp1251", 3, "", "not a character"},
};

static void test_bad_row_changes_nothing(void **state)
{
    (void)state;
    store *st = open_fresh("atomic.db");
    /* Something already there, which must survive untouched. */
    static const char good[] = "id,surname,birth_year,note\n1,Kowalski,1905,\n2,Nowak,1893,\n";
    const char *gpath = tmp_path("good.csv");
    write_file(gpath, good, strlen(good));
    store_import_result res;
    kt_error err;
    assert_int_equal(import_file(st, gpath, "good", NULL, NULL, 0, 0, &res, &err), KT_OK);
    int64_t records = count(st, "record"), sources = count(st, "source");
    int64_t audits = audit_imports(st);
    assert_int_equal(records, 2);

    for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
        const bad_file *b = &bad_files[i];
        char data[512];
        snprintf(data, sizeof data, "id,surname,birth_year,note\n%s", b->body);
        const char *path = tmp_path("bad.csv");
        write_file(path, data, strlen(data));
        int rc = import_file(st, path, "bad", b->encoding, NULL, 0, 0, &res, &err);
        if (rc != KT_ERR_INPUT || err.line != b->line || strcmp(err.field, b->column) ||
            strcmp(err.file, path) || !strstr(err.message, b->fragment))
            fail_msg("%s: rc %d, %s:%ld column '%s': %s", b->name, rc, err.file, err.line,
                     err.field, err.message);
        assert_int_equal(res.records, 0);
        assert_int_equal(count(st, "record"), records);
        assert_int_equal(count(st, "source"), sources);
        assert_int_equal(audit_imports(st), audits);
        store_source src;
        assert_int_equal(store_source_get(st, "bad", &src, &err), KT_ERR_NOTFOUND);
    }
    /* The earlier source is still whole and readable. */
    rec_list l = records_of(st, "good");
    assert_int_equal(l.n, 2);
    assert_string_equal(l.r[1].text[1], "Nowak");
    free_list(&l);
    store_close(st);
}

/* ---- the same file twice, the same key, --replace ----------------------- */

static void test_duplicates_and_replace(void **state)
{
    (void)state;
    store *st = open_fresh("dup.db");
    static const char v1[] = "surname,birth_year\nKowalski,1905\nNowak,1893\n";
    static const char v2[] = "surname,birth_year\nKowalski,1905\nNowak,1893\nWiśniewski,1899\n";
    const char *p1 = tmp_path("v1.csv"), *p2 = tmp_path("v2.csv");
    write_file(p1, v1, strlen(v1));
    write_file(p2, v2, strlen(v2));
    store_import_result res;
    kt_error err;
    assert_int_equal(import_file(st, p1, "list_a", NULL, NULL, 0, 0, &res, &err), KT_OK);
    assert_int_equal(res.records, 2);

    /* The same bytes under another key: refused, naming the earlier source. */
    assert_int_equal(import_file(st, p1, "list_b", NULL, NULL, 0, 0, &res, &err), KT_ERR_EXISTS);
    assert_non_null(strstr(err.message, "'list_a'"));
    assert_non_null(strstr(err.message, "--replace"));
    /* The same bytes under a different encoding option: still the same file. */
    assert_int_equal(import_file(st, p1, "list_b", "cp1250", NULL, 0, 0, &res, &err),
                     KT_ERR_EXISTS);
    /* Another file under the same key: refused. */
    assert_int_equal(import_file(st, p2, "list_a", NULL, NULL, 0, 0, &res, &err), KT_ERR_EXISTS);
    assert_non_null(strstr(err.message, "list_a"));
    assert_int_equal(count(st, "source"), 1);
    assert_int_equal(count(st, "record"), 2);

    /* --replace with a new version under the same key; the title given
     * before stays when none is given now. */
    assert_int_equal(sqlite3_exec(store_db(st), "UPDATE source SET title = 'Lista A', "
                                  "url = 'https://example.org/a' WHERE key = 'list_a'",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(import_file(st, p2, "list_a", NULL, NULL, 0, 1, &res, &err), KT_OK);
    assert_string_equal(res.replaced, "list_a");
    assert_int_equal(res.replaced_records, 2);
    assert_int_equal(res.records, 3);
    assert_int_equal(count(st, "source"), 1);
    assert_int_equal(count(st, "record"), 3);

    /* --replace of the same bytes under a new key moves the source. */
    assert_int_equal(import_file(st, p2, "list_c", NULL, NULL, 0, 1, &res, &err), KT_OK);
    assert_string_equal(res.replaced, "list_a");
    assert_int_equal(count(st, "source"), 1);
    assert_int_equal(count(st, "record"), 3);
    store_source src;
    assert_int_equal(store_source_get(st, "list_a", &src, &err), KT_ERR_NOTFOUND);
    assert_int_equal(store_source_get(st, "list_c", &src, &err), KT_OK);
    assert_string_equal(src.title, "Lista A");
    assert_string_equal(src.url, "https://example.org/a");
    rec_list l = records_of(st, "list_c");
    assert_int_equal(l.n, 3);
    assert_string_equal(l.r[2].text[1], "Wiśniewski");
    free_list(&l);

    /* A failed --replace keeps the old source: atomic too. */
    static const char broken[] = "surname,birth_year\nKowalski,1905\nNowak,eighteen\n";
    const char *p3 = tmp_path("v3.csv");
    write_file(p3, broken, strlen(broken));
    assert_int_equal(import_file(st, p3, "list_c", NULL, NULL, 0, 1, &res, &err), KT_ERR_INPUT);
    assert_int_equal(err.line, 3);
    assert_int_equal(count(st, "record"), 3);
    assert_int_equal(store_source_get(st, "list_c", &src, &err), KT_OK);
    assert_int_equal(audit_imports(st), 3);
    store_close(st);
}

/* ---- the same list in every encoding ------------------------------------ */

static void compare_sources(store *st, const char *a, const char *b)
{
    rec_list x = records_of(st, a), y = records_of(st, b);
    assert_int_equal(x.n, y.n);
    for (size_t i = 0; i < x.n; i++) {
        for (int k = 0; k < NTEXT; k++)
            if (strcmp(x.r[i].text[k], y.r[i].text[k]))
                fail_msg("%s/%s record %zu, %s: '%s' vs '%s'", a, b, i, text_names[k],
                         x.r[i].text[k], y.r[i].text[k]);
        assert_int_equal(x.r[i].birth_year, y.r[i].birth_year);
        assert_int_equal(x.r[i].raw_line, y.r[i].raw_line);
    }
    free_list(&x);
    free_list(&y);
}

static void test_same_records_in_every_encoding(void **state)
{
    (void)state;
    static const char polish[] =
        "surname,given_names,father_name,rank,camp,note\r\n"
        "Wilczyński,Józef,Jana,ppłk,Starobielsk,\"ur. 25 XII 1893 w Łodzi\"\r\n"
        "Śliwa,Mieczysław,Stanisława,ppor.,Kozielsk,\"ur. 1905, żonaty;\r\nźródło: lista\"\r\n";
    static const char russian[] =
        "name,camp,note\n"
        "Ковальский Станислав Янович,Осташков,\"род. 1893, г. Вильно\"\n"
        "Ёлкина Щукина Эдуардовна,Старобельск,\"1899 г.р., \"\"ЪЬЫЮЯ\"\"\"\n";
    static const struct {
        const char *text, *encoding, *iconv_name;
    } v[] = {
        {polish, "cp1250", "CP1250"},
        {russian, "cp1251", "CP1251"},
        {russian, "koi8-r", "KOI8-R"},
    };
    store *st = open_fresh("encodings.db");
    store_import_result res;
    kt_error err;
    write_file(tmp_path("pl_utf8.csv"), polish, strlen(polish));
    write_file(tmp_path("ru_utf8.csv"), russian, strlen(russian));
    assert_int_equal(import_file(st, tmp_path("pl_utf8.csv"), "pl_utf8", "utf-8", NULL, 0, 0,
                                 &res, &err), KT_OK);
    assert_int_equal(res.with_year, 2);
    assert_int_equal(import_file(st, tmp_path("ru_utf8.csv"), "ru_utf8", NULL, NULL, 0, 0,
                                 &res, &err), KT_OK);
    assert_int_equal(res.with_year, 2);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char key[64], cmd[1024];
        snprintf(key, sizeof key, "enc_%zu", i);
        const char *src = v[i].text == polish ? tmp_path("pl_utf8.csv") : tmp_path("ru_utf8.csv");
        const char *dst = tmp_path(key);
        snprintf(cmd, sizeof cmd, "iconv -f UTF-8 -t %s '%s' > '%s'", v[i].iconv_name, src, dst);
        assert_int_equal(system(cmd), 0);
        int rc = import_file(st, dst, key, v[i].encoding, NULL, 0, 0, &res, &err);
        if (rc != KT_OK)
            fail_msg("%s: %s:%ld: %s", v[i].encoding, err.file, err.line, err.message);
        compare_sources(st, v[i].text == polish ? "pl_utf8" : "ru_utf8", key);
    }
    rec_list l = records_of(st, "ru_utf8");
    assert_string_equal(l.r[1].text[1], "Ёлкина");
    assert_string_equal(l.r[1].text[3], "Эдуардовна");
    assert_int_equal(l.r[1].birth_year, 1899);
    free_list(&l);
    store_close(st);
}

/* ---- acceptance: the Memorial list -------------------------------------- */

static const store_import_column memorial_cols[] = {{"name", "NAME"}, {"note", "BIO"}};

/* Line `line` (1-based) of text, without its terminator. */
static const char *nth_line(const char *text, long line, size_t *len)
{
    const char *p = text;
    for (long i = 1; i < line && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    assert_non_null(p);
    *len = strcspn(p, "\n");
    return p;
}

static void test_memorial_utf8_and_cp1251(void **state)
{
    (void)state;
    store *st = open_fresh("memorial.db");
    store_import_result res;
    kt_error err;
    int rc = import_file(st, MEMORIAL, "memorial_moscow", NULL, memorial_cols, 2, 0, &res, &err);
    if (rc != KT_OK)
        fail_msg("%s:%ld: %s", err.file, err.line, err.message);
    assert_int_equal(res.records, MEMORIAL_ROWS);
    print_message("memorial: %ld records, %ld with a year of birth (%.2f %%)\n", res.records,
                  res.with_year, 100.0 * (double)res.with_year / (double)res.records);
    assert_true(res.with_year * 100 >= res.records * 95);

    size_t flen;
    char *file = read_file(MEMORIAL, &flen);
    rec_list u = records_of(st, "memorial_moscow");
    assert_int_equal(u.n, MEMORIAL_ROWS);
    long with_name = 0, with_patronymic = 0;
    for (size_t i = 0; i < u.n; i++) {
        rec_copy *r = &u.r[i];
        /* Each record keeps its row: the file's line raw_line, verbatim. */
        size_t len;
        const char *line = nth_line(file, r->raw_line, &len);
        if (strlen(r->text[16]) != len || memcmp(r->text[16], line, len))
            fail_msg("record %zu: raw row differs from line %ld", i, r->raw_line);
        assert_int_equal(r->raw_line, (long)i + 2);
        /* No id column: the row is cited by the line it starts on. */
        char key[32];
        snprintf(key, sizeof key, "line %ld", r->raw_line);
        assert_string_equal(r->text[0], key);
        with_name += r->text[1][0] && r->text[2][0];
        with_patronymic += r->text[3][0] != 0;
        /* The year is the one the BIO states after "род.". */
        if (r->birth_year) {
            char y[8];
            snprintf(y, sizeof y, "%d", r->birth_year);
            const char *rod = strstr(r->text[15], "род.");
            assert_non_null(rod);
            assert_non_null(strstr(rod, y));
        }
    }
    /* 43 names are one hyphenated word ("Юнь-Лин-Сек", Chinese and Korean
     * names as the lists wrote them): a surname with no given name. */
    assert_true(with_name >= MEMORIAL_ROWS - 60);
    assert_true(with_patronymic >= MEMORIAL_ROWS * 95 / 100);
    free(file);

    /* The same list in cp1251 (iconv here, into the temp dir). */
    char cmd[1024];
    const char *cp = tmp_path("memorial_cp1251.csv");
    snprintf(cmd, sizeof cmd, "iconv -f UTF-8 -t CP1251 '%s' > '%s'", MEMORIAL, cp);
    assert_int_equal(system(cmd), 0);
    rc = import_file(st, cp, "memorial_cp1251", "cp1251", memorial_cols, 2, 0, &res, &err);
    if (rc != KT_OK)
        fail_msg("%s:%ld: %s", err.file, err.line, err.message);
    rec_list c = records_of(st, "memorial_cp1251");
    assert_int_equal(c.n, u.n);
    for (size_t i = 0; i < u.n; i++) {
        for (int k = 0; k < NTEXT; k++)
            if (strcmp(u.r[i].text[k], c.r[i].text[k]))
                fail_msg("record %zu, %s: '%s' vs '%s'", i, text_names[k], u.r[i].text[k],
                         c.r[i].text[k]);
        assert_int_equal(u.r[i].birth_year, c.r[i].birth_year);
        assert_int_equal(u.r[i].raw_line, c.r[i].raw_line);
    }
    free_list(&u);
    free_list(&c);

    /* Read as UTF-8, the cp1251 bytes are refused on line 2 (the header is
     * ASCII, so the first Cyrillic byte is on line 2), naming cp1251. */
    rc = import_file(st, cp, "memorial_wrong", "utf-8", memorial_cols, 2, 0, &res, &err);
    assert_int_equal(rc, KT_ERR_INPUT);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "it reads as cp1251"));
    assert_int_equal(count(st, "record"), 2 * MEMORIAL_ROWS);
    store_close(st);
}

static void test_memorial_broken_at_line_3000(void **state)
{
    (void)state;
    store *st = open_fresh("memorial_broken.db");
    store_import_result res;
    kt_error err;
    /* Something in the store first, to see that it stays as it is. */
    assert_int_equal(import_file(st, MEMORIAL, "memorial_moscow", NULL, memorial_cols, 2, 0,
                                 &res, &err),
                     KT_OK);
    int64_t records = count(st, "record");

    size_t len;
    char *file = read_file(MEMORIAL, &len);
    size_t l3000;
    const char *line = nth_line(file, 3000, &l3000);
    /* Drop the closing quote of the BIO field on line 3000: the quote that
     * ends `..."` before ",COUNT,LINK". */
    const char *close = NULL;
    for (const char *p = line; p < line + l3000; p++)
        if (*p == '"' && p[1] == ',')
            close = p;
    assert_non_null(close);
    size_t at = (size_t)(close - file);
    char *broken = malloc(len);
    assert_non_null(broken);
    memcpy(broken, file, at);
    memcpy(broken + at, file + at + 1, len - at - 1);
    const char *path = tmp_path("memorial_broken.csv");
    write_file(path, broken, len - 1);

    int rc = import_file(st, path, "memorial_broken", NULL, memorial_cols, 2, 0, &res, &err);
    assert_int_equal(rc, KT_ERR_INPUT);
    assert_int_equal(err.line, 3000);
    assert_string_equal(err.file, path);
    print_message("broken copy: %s:%ld: %s\n", err.file, err.line, err.message);
    assert_int_equal(count(st, "record"), records);
    store_source src;
    assert_int_equal(store_source_get(st, "memorial_broken", &src, &err), KT_ERR_NOTFOUND);

    /* And a quote opened at line 3000 that nothing closes until the end. */
    memcpy(broken, file, len);
    size_t start = (size_t)(line - file);
    /* Remove every quote after line 3000, then open one on it. */
    size_t n = start;
    for (size_t i = start; i < len; i++)
        if (file[i] != '"')
            broken[n++] = file[i];
    /* The row as "NAME" with an opening quote only: Name,"... */
    char *row = broken + start;
    char *comma = memchr(row, ',', n - start);
    assert_non_null(comma);
    memmove(comma + 2, comma + 1, n - (size_t)(comma + 1 - broken));
    comma[1] = '"';
    n++;
    write_file(path, broken, n);
    rc = import_file(st, path, "memorial_broken", NULL, memorial_cols, 2, 0, &res, &err);
    assert_int_equal(rc, KT_ERR_INPUT);
    assert_int_equal(err.line, 3000);
    assert_non_null(strstr(err.message, "never closed"));
    assert_int_equal(count(st, "record"), records);
    free(broken);
    free(file);
    store_close(st);
}

/* ---- the command, as a user runs it ------------------------------------- */

static void test_command_line(void **state)
{
    (void)state;
    if (test_find_bin()) {
        print_message("KARTOTEKA_BIN not set; the command is not tried\n");
        skip();
    }
    const char *db = tmp_path("cli.db");
    unlink(db);
    /* No database yet: import does not make one, init does. */
    test_run r = test_kt("import %s --source m --column name=NAME --db %s 2>&1", MEMORIAL, db);
    assert_int_equal(r.code, 5);
    assert_non_null(strstr(r.out, "kartoteka init"));
    test_run_free(&r);
    assert_int_equal(access(db, F_OK), -1);
    r = test_kt("init --db %s 2>&1", db);
    if (r.code != 0)
        fail_msg("init: %s", r.out);
    test_run_free(&r);
    store *st = NULL;
    kt_error err;
    assert_int_equal(store_open(db, 0, &st, &err), KT_OK);
    int64_t sources0 = count(st, "source"), records0 = count(st, "record");
    store_close(st);

    r = test_kt("import %s --source memorial_moscow --column name=NAME --column note=BIO "
                "--db %s 2>&1", MEMORIAL, db);
    assert_int_equal(r.code, 0);
    char want[512];
    snprintf(want, sizeof want,
             "imported %d records from %s into source memorial_moscow (%d with a year of birth, "
             "%d with a fate, 106 other names from brackets)\n"
             "read as utf-8 (told from the text), fields separated by commas\n",
             MEMORIAL_ROWS, MEMORIAL, MEMORIAL_ROWS, MEMORIAL_ROWS);
    assert_string_equal(r.out, want);
    test_run_free(&r);

    static const struct {
        const char *args;
        int exit;
        const char *fragment;
    } v[] = {
        /* Same file, another key: refused (4) naming the earlier source. */
        {"import " MEMORIAL " --source again --db %s", 4, "'memorial_moscow'"},
        {"import " MEMORIAL " --source again --encoding latin1 --db %s", 2,
         "utf-8, cp1250, cp1251, koi8-r"},
        {"import " MEMORIAL " --db %s", 2, "--source"},
        {"import --source x --db %s", 2, "FILE"},
        {"import " MEMORIAL " --source x --column shoe=NAME --db %s", 2, "unknown field"},
        {"import " MEMORIAL " --source x --column name --db %s", 2, "FIELD=HEADER"},
        {"import " MEMORIAL " --source x --name-order backwards --db %s", 2, "given-first"},
        {"import " MEMORIAL " --source x --bogus --db %s", 2, "unknown option"},
        {"import /nonexistent.csv --source x --db %s", 1, "cannot open"},
        {"import --help --db %s", 0, "--column FIELD=HEADER"},
        {"import " MEMORIAL " --source memorial_moscow --column name=NAME --replace --json "
         "--db %s", 0, "\"replaced\":\"memorial_moscow\""},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char args[512];
        snprintf(args, sizeof args, v[i].args, db);
        r = test_kt("%s 2>&1", args);
        if (r.code != v[i].exit || !strstr(r.out, v[i].fragment))
            fail_msg("%s: exit %d, output: %s", args, r.code, r.out);
        test_run_free(&r);
    }

    /* A bad row: exit 3, file:line: column, nothing imported. */
    const char *bad = tmp_path("cli_bad.csv");
    static const char body[] = "surname,birth_year\nKowalski,1905\nNowak,1893?\n";
    write_file(bad, body, strlen(body));
    r = test_kt("import %s --source bad --db %s 2>&1", bad, db);
    assert_int_equal(r.code, 3);
    snprintf(want, sizeof want, "%s:3: column 'birth_year':", bad);
    if (!strstr(r.out, want))
        fail_msg("'%s' lacks '%s'", r.out, want);
    test_run_free(&r);
    r = test_kt("import %s --source bad --db %s --json 2>/dev/null", bad, db);
    assert_int_equal(r.code, 3);
    assert_non_null(strstr(r.out, "\"line\":3"));
    assert_non_null(strstr(r.out, "\"column\":\"birth_year\""));
    test_run_free(&r);

    assert_int_equal(store_open(db, 0, &st, &err), KT_OK);
    assert_int_equal(count(st, "source"), sources0 + 1);
    assert_int_equal(count(st, "record"), records0 + MEMORIAL_ROWS);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_split_name),
        cmocka_unit_test(test_fields_and_raw_rows),
        cmocka_unit_test(test_column_mapping_and_name_order),
        cmocka_unit_test(test_bad_row_changes_nothing),
        cmocka_unit_test(test_duplicates_and_replace),
        cmocka_unit_test(test_same_records_in_every_encoding),
        cmocka_unit_test(test_memorial_utf8_and_cp1251),
        cmocka_unit_test(test_memorial_broken_at_line_3000),
        cmocka_unit_test(test_command_line),
    };
    return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
