/*
 * test_hostile.c — hostile input through the command line: names holding
 * markup, quotes and SQL are stored and printed verbatim; invalid UTF-8
 * and NUL bytes, a 1 MB query, a 100,000-column CSV, a 10 MB single-line
 * CSV, devices, directories and odd file names each get a clear error or
 * correct handling, never a crash, and a refused input changes nothing.
 */
#include <fcntl.h>
#include <sqlite3.h>

#include "../testutil.h"

static char path_buf[8][512];

/* test_dir/name, in one of a few rotating buffers. */
static const char *in_dir(const char *name)
{
    static int next;
    char *p = path_buf[next++ % 8];
    snprintf(p, sizeof path_buf[0], "%s/%s", test_dir, name);
    return p;
}

static void write_bytes(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void write_text(const char *path, const char *text)
{
    write_bytes(path, text, strlen(text));
}

/* What the store holds, as `sources --json` and `check` see it. */
static char *state_of_store(void)
{
    test_run r = test_kt("sources --json --db '%s'", test_db);
    assert_int_equal(r.code, 0);
    free(r.err);
    return r.out;
}

/* Runs "BIN args" expecting exit `code` and `says` in its standard error;
 * the store must be as it was. */
static void refused(int code, const char *says, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void refused(int code, const char *says, const char *fmt, ...)
{
    char *before = state_of_store();
    va_list ap;
    va_start(ap, fmt);
    char args[4096];
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    test_run r = test_kt("%s", args);
    if (r.code != code || !strstr(r.err, says))
        fail_msg("%.300s: exit %d (not %d): %.500s", args, r.code, code, r.err);
    test_run_free(&r);
    char *after = state_of_store();
    assert_string_equal(after, before);
    free(before);
    free(after);
    test_kt_ok("check --quick --db '%s'", test_db);
}

static int64_t sql_int(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t v = -999;
    assert_int_equal(sqlite3_open_v2(test_db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* ---- names that try to be code ------------------------------------------ */

static const char hostile_csv[] =
    "record_id,surname,given_names,note\n"
    "h1,\"<script>alert(1)</script>\",Jan,\"<img src=x onerror=alert(2)>\"\n"
    "h2,\"O'Brien'; DROP TABLE record; --\",\"Józef \"\"Ziuk\"\"\",%s%n%x\n"
    "h3,Back\\slash,\"Adam\tTab\",\"line one\nline two\"\n"
    "h4,\"Robert'); DELETE FROM source; --\",Jan,\"' OR '1'='1\"\n"
    "h5,\"&lt;b&gt; &amp; \\u0000 ${HOME} $(id) `id`\",Ян,Кто-то\n";

static void test_names_stored_and_printed_verbatim(void **state)
{
    (void)state;
    write_text(in_dir("hostile.csv"), hostile_csv);
    test_kt_ok("import '%s' --source hostile --db '%s'", in_dir("hostile.csv"), test_db);

    struct {
        const char *key, *surname, *given, *note;
    } want[] = {
        {"h1", "<script>alert(1)</script>", "Jan", "<img src=x onerror=alert(2)>"},
        {"h2", "O'Brien'; DROP TABLE record; --", "Józef \"Ziuk\"", "%s%n%x"},
        {"h3", "Back\\slash", "Adam\tTab", "line one\nline two"},
        {"h4", "Robert'); DELETE FROM source; --", "Jan", "' OR '1'='1"},
        {"h5", "&lt;b&gt; &amp; \\u0000 ${HOME} $(id) `id`", "Ян", "Кто-то"},
    };
    json_t *j = test_kt_json("records --source hostile --limit 0 --json --db '%s'", test_db);
    json_t *list = json_is_array(j) ? j : json_object_get(j, "records");
    assert_int_equal(json_array_size(list), 5);
    for (size_t i = 0; i < 5; i++) {
        json_t *r = json_array_get(list, i);
        assert_string_equal(json_string_value(json_object_get(r, "record_key")), want[i].key);
        assert_string_equal(json_string_value(json_object_get(r, "surname")), want[i].surname);
        assert_string_equal(json_string_value(json_object_get(r, "given_names")), want[i].given);
        assert_string_equal(json_string_value(json_object_get(r, "note")), want[i].note);
    }
    /* the raw row of h2 exactly as in the file */
    const char *raw = json_string_value(json_object_get(json_array_get(list, 1), "raw"));
    assert_string_equal(raw, "h2,\"O'Brien'; DROP TABLE record; --\",\"Józef \"\"Ziuk\"\"\",%s%n%x");
    json_decref(j);

    /* the text listing prints them as they are (cut to the column's width);
     * a terminal is not a browser */
    test_run r = test_kt("records --source hostile --db '%s'", test_db);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "  <script>alert(1)</scrip"));
    assert_non_null(strstr(r.out, "  O'Brien'; DROP TABLE re"));
    assert_non_null(strstr(r.out, "  Józef \"Ziuk\""));
    test_run_free(&r);

    /* searched for, they are text; nothing was dropped or deleted */
    r = test_kt("search --db '%s' --json \"<script>alert(1)</script>\"", test_db);
    assert_int_equal(r.code, 0);
    test_run_free(&r);
    r = test_kt("search --db '%s' \"O'Brien'; DROP TABLE record; --\"", test_db);
    assert_int_equal(r.code, 0);
    test_run_free(&r);
    r = test_kt("search --db '%s' \"Robert'); DELETE FROM source; --\"", test_db);
    assert_int_equal(r.code, 0);
    test_run_free(&r);
    assert_true(sql_int("SELECT count(*) FROM source") >= 3);
    assert_true(sql_int("SELECT count(*) FROM record") >= 57);
    test_kt_ok("check --db '%s'", test_db);
}

/* Runs BIN args... with standard output and error on a new terminal (a
 * pseudo-terminal), as a user at a terminal would; all it wrote there. */
static char *run_on_terminal(const char *const *args)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    char *slave_name = ptsname(master);
    assert_non_null(slave_name);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setsid();
        int slave = open(slave_name, O_RDWR);
        if (slave < 0)
            _exit(126);
        dup2(slave, STDOUT_FILENO);
        dup2(slave, STDERR_FILENO);
        close(master);
        execv(test_bin, (char *const *)args);
        _exit(127);
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        if (n + 1 >= cap) {
            buf = realloc(buf, cap *= 2);
            assert_non_null(buf);
        }
        ssize_t got = read(master, buf + n, cap - n - 1);
        if (got <= 0)
            break; /* EIO once the child has closed the terminal */
        n += (size_t)got;
    }
    buf[n] = '\0';
    close(master);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    return buf;
}

/* Control characters in a record reach the store and JSON exactly, but
 * never the terminal: text output shows U+FFFD in their place. */
static void test_control_characters_never_reach_the_terminal(void **state)
{
    (void)state;
    static const char csv[] = "record_id,surname,given_names,note\n"
                              "c1,\"Esc\033[2J\033]0;title\007\",Jan\001x,\"C1 \xC2\x9B" "31m,"
                              " del \x7F, cr \r, \xC2\xA7 \xC2\xB0 \xC3\xBC kept\"\n";
    static const char note[] = "C1 \xC2\x9B" "31m, del \x7F, cr \r, \xC2\xA7 \xC2\xB0 \xC3\xBC kept";
    write_text(in_dir("control.csv"), csv);
    test_kt_ok("import '%s' --source control --db '%s'", in_dir("control.csv"), test_db);

    /* into a pipe: C0 controls replaced, in text */
    static const char *const commands[] = {"records --source control --db '%s'",
                                           "search --db '%s' Esc Jan"};
    for (size_t i = 0; i < 2; i++) {
        test_run r = test_kt(commands[i], test_db);
        assert_int_equal(r.code, 0);
        assert_non_null(strstr(r.out, "Esc\xEF\xBF\xBD[2J"));
        assert_null(strchr(r.out, '\033'));
        assert_null(strchr(r.out, '\007'));
        assert_null(strchr(r.out, '\001'));
        test_run_free(&r);
    }
    /* ... and JSON exact */
    test_run r = test_kt("records --source control --json --db '%s'", test_db);
    assert_int_equal(r.code, 0);
    json_t *j = test_json_parse(r.out, 0);
    json_t *rec = json_array_get(json_is_array(j) ? j : json_object_get(j, "records"), 0);
    assert_string_equal(json_string_value(json_object_get(rec, "surname")),
                        "Esc\033[2J\033]0;title\007");
    assert_string_equal(json_string_value(json_object_get(rec, "note")), note);
    json_decref(j);
    test_run_free(&r);

    /* on a terminal: DEL and C1 replaced as well, in text and JSON alike;
     * the other letters of the line kept */
    const char *text_args[] = {test_bin, "records", "--source", "control", "--db", test_db,
                               NULL};
    const char *json_args[] = {test_bin, "records", "--source", "control", "--json", "--db",
                               test_db, NULL};
    const char *const *runs[] = {text_args, json_args};
    for (size_t i = 0; i < 2; i++) {
        char *seen = run_on_terminal(runs[i]);
        assert_null(strchr(seen, '\033'));
        assert_null(strchr(seen, '\177'));
        assert_null(strstr(seen, "\xC2\x9B"));
        if (i == 1)
            assert_non_null(strstr(seen, "C1 \xEF\xBF\xBD" "31m, del \xEF\xBF\xBD, cr \\r, "
                                         "\xC2\xA7 \xC2\xB0 \xC3\xBC kept"));
        free(seen);
    }

    /* in an error message too: a header named with an ESC sequence */
    write_text(in_dir("control_header.csv"), "surname,\033[31mred\n1,2\n");
    r = test_kt("import '%s' --source ch --column 'note=x' --db '%s'", in_dir("control_header.csv"),
                test_db);
    assert_int_equal(r.code, 3);
    assert_null(strchr(r.err, '\033'));
    test_run_free(&r);
}

/* A source key that tries the same: refused, or kept verbatim. */
static void test_hostile_source_key(void **state)
{
    (void)state;
    write_text(in_dir("key.csv"), "surname,given_names\nKeyman,Jan\n");
    const char *key = "<script>'; DROP TABLE source; --";
    test_run r = test_kt("import '%s' --source \"%s\" --db '%s'", in_dir("key.csv"), key, test_db);
    if (r.code == 0) {
        test_run_free(&r);
        r = test_kt("sources --json --db '%s'", test_db);
        assert_non_null(strstr(r.out, "<script>'; DROP TABLE source; --"));
    } else {
        assert_true(r.code == 2 || r.code == 3);
        assert_non_null(strstr(r.err, "key"));
    }
    test_run_free(&r);
    test_kt_ok("check --db '%s'", test_db);
}

/* ---- bytes that are not text -------------------------------------------- */

static void test_bad_bytes_refused(void **state)
{
    (void)state;
    static const char bad_utf8[] = "surname,given_names\nKowalski,Jan\nNowak,J\xc3\x28n\n";
    write_text(in_dir("bad_utf8.csv"), bad_utf8);
    refused(3, "bad_utf8.csv:3: invalid UTF-8",
            "import '%s' --source bad --encoding utf-8 --db '%s'", in_dir("bad_utf8.csv"),
            test_db);

    static const char nul[] = "surname,given_names\nKowalski,Jan\nNo\0wak,Jan\n";
    write_bytes(in_dir("nul.csv"), nul, sizeof nul - 1);
    refused(3, "nul.csv:3: the file contains a NUL byte", "import '%s' --source nul --db '%s'",
            in_dir("nul.csv"), test_db);

    /* overlong and surrogate encodings are not UTF-8 either */
    static const char overlong[] = "surname\nA\xc0\xaf" "B\n";
    write_text(in_dir("overlong.csv"), overlong);
    refused(3, "invalid UTF-8", "import '%s' --source o --encoding utf-8 --db '%s'",
            in_dir("overlong.csv"), test_db);
    static const char surrogate[] = "surname\nA\xed\xa0\x80" "B\n";
    write_text(in_dir("surrogate.csv"), surrogate);
    refused(3, "invalid UTF-8", "import '%s' --source s --encoding utf-8 --db '%s'",
            in_dir("surrogate.csv"), test_db);

    /* UTF-16 (a spreadsheet's "Unicode text") */
    static const char utf16[] = "\xff\xfes\0u\0r\0n\0a\0m\0e\0\n\0";
    write_bytes(in_dir("utf16.csv"), utf16, sizeof utf16 - 1);
    refused(3, "utf16.csv", "import '%s' --source u --db '%s'", in_dir("utf16.csv"), test_db);
}

/* ---- sizes -------------------------------------------------------------- */

static void test_huge_query(void **state)
{
    (void)state;
    /* 1 MB on one line of a batch file: refused, with its line (a usage
     * error, as on the command line) */
    size_t n = 1 << 20;
    char *q = malloc(n + 1);
    assert_non_null(q);
    for (size_t i = 0; i < n; i++)
        q[i] = "Kowalski "[i % 9];
    q[n - 1] = '\n';
    q[n] = '\0';
    write_text(in_dir("q1m.txt"), q);
    test_run r = test_kt("search --db '%s' --json --batch '%s'", test_db, in_dir("q1m.txt"));
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "q1m.txt:1: the query is too long"));
    test_run_free(&r);

    /* ... and a good query on the next line is still answered */
    write_text(in_dir("q2.txt"), "Kowalski\nKeyman Jan\n");
    r = test_kt("search --db '%s' --json --batch '%s'", test_db, in_dir("q2.txt"));
    assert_int_equal(r.code, 0);
    test_run_free(&r);

    /* 1 MB in words on the command line (an argument holds at most 128 KB):
     * a usage error, not a crash */
    char cmd[PATH_MAX + 1024];
    snprintf(cmd, sizeof cmd,
             "'%s' search --db '%s' $(head -c 1000000 '%s' | tr '\\n' ' ') >/dev/null 2>'%s'",
             test_bin, test_db, in_dir("q1m.txt"), in_dir("err.txt"));
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    assert_int_equal(WEXITSTATUS(rc), 2);
    FILE *e = fopen(in_dir("err.txt"), "r");
    char *said = test_slurp(e);
    fclose(e);
    assert_non_null(strstr(said, "the query is too long"));
    free(said);
    free(q);
}

static void test_wide_and_long_files(void **state)
{
    (void)state;
    /* 100,000 columns: one record, its raw row whole */
    enum { COLS = 100000 };
    size_t cap = (size_t)COLS * 16;
    char *csv = malloc(cap);
    assert_non_null(csv);
    size_t len = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int c = 0; c < COLS; c++)
            len += (size_t)snprintf(csv + len, cap - len, c ? ",%s%d" : "%s",
                                    pass ? "v" : c ? "c" : "surname", c);
        csv[len++] = '\n';
    }
    size_t row_len = len - (strchr(csv, '\n') + 1 - csv) - 1;
    write_bytes(in_dir("wide.csv"), csv, len);
    test_kt_ok("import '%s' --source wide --db '%s'", in_dir("wide.csv"), test_db);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT length(raw) FROM record r JOIN source s ON s.id ="
             " r.source_id WHERE s.key = 'wide'");
    assert_int_equal(sql_int(sql), (int64_t)row_len);

    /* the same width, with the last column named like the first: the
     * error names both */
    len = 0;
    for (int c = 0; c < COLS; c++)
        len += (size_t)snprintf(csv + len, cap - len, "%sc%d", c ? "," : "",
                                c == COLS - 1 ? 0 : c);
    csv[len++] = '\n';
    write_bytes(in_dir("wide_dup.csv"), csv, len);
    refused(3, "column 1 and column 100000 alike", "import '%s' --source wide2 --db '%s'",
            in_dir("wide_dup.csv"), test_db);
    free(csv);

    /* a 10 MB field on one line */
    size_t big = 10u << 20;
    char *line = malloc(big + 64);
    assert_non_null(line);
    len = (size_t)sprintf(line, "surname,note\nLongman,");
    memset(line + len, 'x', big);
    len += big;
    line[len++] = '\n';
    write_bytes(in_dir("long.csv"), line, len);
    test_kt_ok("import '%s' --source long --db '%s'", in_dir("long.csv"), test_db);
    assert_int_equal(sql_int("SELECT length(note) FROM record WHERE surname = 'Longman'"),
                     (int64_t)big);

    /* 10 MB on one line and nothing else: a header without rows */
    memset(line, 'y', big);
    write_bytes(in_dir("one_line.csv"), line, big);
    test_run r = test_kt("import '%s' --source one_line --db '%s'", in_dir("one_line.csv"),
                         test_db);
    assert_true(r.code == 0 || r.code == 3);
    if (r.code == 0)
        assert_non_null(strstr(r.out, "imported 0 records"));
    test_run_free(&r);
    free(line);
    test_kt_ok("check --db '%s'", test_db);
}

/* ---- file names --------------------------------------------------------- */

/* Runs argv (argv[0] the binary) with its output thrown away; exit code. */
static int run_argv(const char *const *argv)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(126);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_path_tricks(void **state)
{
    (void)state;
    /* odd but real names import, under their base name only */
    static const char *const names[] = {"it's here.csv", "new\nline.csv", "дата ü.csv",
                                        "-dash.csv"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char text[128], key[16];
        snprintf(text, sizeof text, "surname,given_names\nOddname%zu,Jan\n", i);
        write_text(in_dir(names[i]), text);
        snprintf(key, sizeof key, "odd%zu", i);
        /* exactly this argument, no shell in between */
        const char *args[] = {test_bin, "import", in_dir(names[i]), "--source", key, "--db",
                              test_db, NULL};
        if (run_argv(args) != 0)
            fail_msg("importing '%s' failed", names[i]);
    }
    json_t *j = test_kt_json("sources --json --db '%s'", test_db);
    int seen = 0;
    for (size_t i = 0; i < json_array_size(j); i++) {
        const char *fn = json_string_value(json_object_get(json_array_get(j, i), "file_name"));
        if (fn && !strcmp(fn, "it's here.csv"))
            seen++;
        assert_true(!fn || !strstr(fn, test_dir)); /* no directory is kept */
    }
    assert_int_equal(seen, 1);
    json_decref(j);

    /* "-dash.csv" alone reads as an option */
    test_run r = test_kt("import -dash.csv --source d --db '%s'", test_db);
    assert_int_equal(r.code, 2);
    test_run_free(&r);

    /* ../ in a path is just a path */
    write_text(in_dir("up.csv"), "surname\nUpman\n");
    test_kt_ok("import '%s/../%s/up.csv' --source up --db '%s'", test_dir,
               strrchr(test_dir, '/') + 1, test_db);

    /* devices, directories, a missing file: refused, nothing changed */
    refused(3, "is a device", "import /dev/zero --source z --db '%s'", test_db);
    refused(3, "is a device", "import /dev/urandom --source z --db '%s'", test_db);
    refused(3, "is a directory", "import '%s' --source z --db '%s'", test_dir, test_db);
    refused(1, "cannot open", "import '%s' --source z --db '%s'", in_dir("missing.csv"),
            test_db);

    /* a database that is not one: a CSV, a device, a directory */
    refused(3, "not a kartoteka database", "import '%s' --source z --db '%s'",
            in_dir("up.csv"), in_dir("up.csv"));
    refused(3, "not a regular file", "import '%s' --source z --db /dev/null", in_dir("up.csv"));
    refused(3, "not a regular file", "stats --db /dev/null");
    refused(3, "is a directory", "stats --db '%s'", test_dir);
    /* the CSV that was offered as a database is untouched */
    FILE *f = fopen(in_dir("up.csv"), "r");
    char *text = test_slurp(f);
    fclose(f);
    assert_string_equal(text, "surname\nUpman\n");
    free(text);

    /* a backup under an odd name, and one where the database is */
    r = test_kt("backup \"%s/it's a backup\" --db '%s'", test_dir, test_db);
    assert_int_equal(r.code, 0);
    test_run_free(&r);
    refused(3, "the database itself", "backup '%s' --db '%s'", test_db, test_db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_stored_and_printed_verbatim),
        cmocka_unit_test(test_control_characters_never_reach_the_terminal),
        cmocka_unit_test(test_hostile_source_key),
        cmocka_unit_test(test_bad_bytes_refused),
        cmocka_unit_test(test_huge_query),
        cmocka_unit_test(test_wide_and_long_files),
        cmocka_unit_test(test_path_tricks),
    };
    return cmocka_run_group_tests(tests, test_setup_db, test_teardown);
}
