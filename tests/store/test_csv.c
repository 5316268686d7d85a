/*
 * test_csv.c — the RFC 4180 reader, case by case: each input is read whole
 * and rendered as one line per row ("LINE [raw] field|field", with \n and \r
 * escaped), or must fail with an error on a given line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/csv.h"

typedef struct csv_case {
    const char *name;
    const char *input;
    const char *rows;     /* expected rendering, NULL when an error is expected */
    long err_line;        /* expected error line (0 = no line, e.g. empty file) */
    const char *err_text; /* a fragment of the expected message */
    const char *err_field;/* expected column in the error, or NULL */
} csv_case;

static const csv_case cases[] = {
    {"plain LF", "a,b\n1,2\n3,4\n", "1 [a,b] a|b\n2 [1,2] 1|2\n3 [3,4] 3|4\n", 0, NULL, NULL},
    {"CRLF", "a,b\r\n1,2\r\n3,4\r\n", "1 [a,b] a|b\n2 [1,2] 1|2\n3 [3,4] 3|4\n", 0, NULL, NULL},
    {"no final newline", "a,b\n1,2", "1 [a,b] a|b\n2 [1,2] 1|2\n", 0, NULL, NULL},
    {"no final CRLF", "a,b\r\n1,2", "1 [a,b] a|b\n2 [1,2] 1|2\n", 0, NULL, NULL},
    {"BOM", "\xEF\xBB\xBF" "a,b\n1,2\n", "1 [a,b] a|b\n2 [1,2] 1|2\n", 0, NULL, NULL},
    {"quoted comma", "a,b\n\"x, y\",2\n", "1 [a,b] a|b\n2 [\"x, y\",2] x, y|2\n", 0, NULL, NULL},
    {"doubled quote", "a,b\n\"he said \"\"no\"\"\",2\n",
     "1 [a,b] a|b\n2 [\"he said \"\"no\"\"\",2] he said \"no\"|2\n", 0, NULL, NULL},
    {"only a quote", "a\n\"\"\"\"\n", "1 [a] a\n2 [\"\"\"\"] \"\n", 0, NULL, NULL},
    {"embedded LF, line numbers after it", "a,b\n\"one\ntwo\",2\n3,4\n",
     "1 [a,b] a|b\n2 [\"one\\ntwo\",2] one\\ntwo|2\n4 [3,4] 3|4\n", 0, NULL, NULL},
    {"embedded CRLF kept", "a,b\r\n\"one\r\ntwo\",2\r\n3,4\r\n",
     "1 [a,b] a|b\n2 [\"one\\r\\ntwo\",2] one\\r\\ntwo|2\n4 [3,4] 3|4\n", 0, NULL, NULL},
    {"empty fields", "a,b,c\n,,\n\"\",x,\n",
     "1 [a,b,c] a|b|c\n2 [,,] ||\n3 [\"\",x,] |x|\n", 0, NULL, NULL},
    {"fewer fields refused like more", "a,b,c\n1\n", NULL, 2, "this row has 1 fields, the header 3", NULL},
    {"blank lines skipped", "a\n\n1\n\r\n2\n\n", "1 [a] a\n3 [1] 1\n5 [2] 2\n", 0, NULL, NULL},
    {"UTF-8 text", "фамилия,imię\nКовальский,Józef\n",
     "1 [фамилия,imię] фамилия|imię\n2 [Ковальский,Józef] Ковальский|Józef\n", 0, NULL, NULL},
    {"header names trimmed", " a , b\n1,2\n", "1 [ a , b] a|b\n2 [1,2] 1|2\n", 0, NULL, NULL},
    {"spaces kept in data", "a\n  x  \n", "1 [a] a\n2 [  x  ]   x  \n", 0, NULL, NULL},
    {"quoted field at end of file", "a,b\n1,\"x\"", "1 [a,b] a|b\n2 [1,\"x\"] 1|x\n", 0, NULL, NULL},
    /* Errors. */
    {"empty file", "", NULL, 0, "empty", NULL},
    {"only a BOM and blank lines", "\xEF\xBB\xBF\n\n", NULL, 0, "empty", NULL},
    {"unterminated quote names its first line", "a,b\n1,2\n3,\"open\nmore\nstill\n", NULL, 3,
     "never closed", NULL},
    {"missing closing quote mid-file names the opening line",
     "a,b\n1,\"x\n2,\"y\"\n3,z\n", NULL, 2, "missing closing", NULL},
    {"missing closing quote, next field unquoted", "a,b,c\n1,\"x,2\n2,y,\"z\"\n", NULL, 2,
     "missing closing", NULL},
    {"unterminated quote in header", "a,\"b\n1,2\n", NULL, 1, "never closed", NULL},
    {"stray quote", "a,b\n1,2\nab\"c,2\n", NULL, 3, "quote inside an unquoted", NULL},
    {"text after closing quote", "a,b\n\"ab\"c,2\n", NULL, 2, "after the closing quote", NULL},
    {"stray quote after multi-line field", "a,b\n\"x\ny\",2\n1,b\"\n", NULL, 4,
     "quote inside an unquoted", NULL},
    {"too many fields", "a,b\n1,2\n1,2,3\n", NULL, 3, "3 fields, the header only 2", NULL},
    {"duplicate header", "name,Note,NAME\n", NULL, 1, "must differ", "NAME"},
    {"duplicate Cyrillic header", "Имя,ИМЯ\n", NULL, 1, "must differ", "ИМЯ"},
    {"duplicate empty header", "a,,\n", NULL, 1, "must differ", ""},
    /* Of several, the first column whose name came before, with that one. */
    {"first of several duplicates", "a,B,c,b,C,a\n", NULL, 1, "column 2 and column 4 alike",
     "b"},
    {"duplicate of the first column last", "z,y,x,w,Z\n", NULL, 1,
     "column 1 and column 5 alike", "Z"},
};

static void escape_into(char **p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            *(*p)++ = '\\';
            *(*p)++ = 'n';
        } else if (s[i] == '\r') {
            *(*p)++ = '\\';
            *(*p)++ = 'r';
        } else {
            *(*p)++ = s[i];
        }
    }
}

/* Renders every row of input; returns the status of the first failure. */
static int render(const char *input, char *out, kt_error *err)
{
    store_csv *csv;
    char *p = out;
    *p = '\0';
    int rc = store_csv_open(input, strlen(input), "t.csv", &csv, err);
    if (rc != KT_OK)
        return rc;
    p += sprintf(p, "1 [");
    /* The header's raw text is not kept; rebuild it from the input. */
    const char *h = input + (strncmp(input, "\xEF\xBB\xBF", 3) ? 0 : 3);
    escape_into(&p, h, strcspn(h, "\r\n"));
    p += sprintf(p, "] ");
    for (size_t i = 0; i < store_csv_columns(csv); i++)
        p += sprintf(p, "%s%s", i ? "|" : "", store_csv_column(csv, i));
    p += sprintf(p, "\n");
    store_csv_row row;
    while ((rc = store_csv_next(csv, &row, err)) == 1) {
        p += sprintf(p, "%ld [", row.line);
        escape_into(&p, row.raw, row.raw_len);
        p += sprintf(p, "] ");
        for (size_t i = 0; i < row.nfields; i++) {
            if (i)
                *p++ = '|';
            escape_into(&p, row.fields[i], strlen(row.fields[i]));
        }
        p += sprintf(p, "\n");
        *p = '\0';
    }
    store_csv_close(csv);
    return rc;
}

static void test_csv_cases(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const csv_case *c = &cases[i];
        char out[4096];
        kt_error err;
        kt_error_clear(&err);
        int rc = render(c->input, out, &err);
        if (c->rows) {
            if (rc != KT_OK || strcmp(out, c->rows)) {
                print_error("%s: rc %d (%s)\ngot:\n%s\nwant:\n%s\n", c->name, rc, err.message,
                            out, c->rows);
                failures++;
            }
            continue;
        }
        if (rc != KT_ERR_INPUT || err.line != c->err_line ||
            !strstr(err.message, c->err_text) || strcmp(err.file, "t.csv") ||
            (c->err_field && strcmp(err.field, c->err_field))) {
            print_error("%s: rc %d, line %ld, field '%s', message '%s'; want line %ld, '%s'\n",
                        c->name, rc, err.line, err.field, err.message, c->err_line,
                        c->err_text);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* A buffer that is not NUL-terminated is read only up to its length. */
static void test_csv_length_bound(void **state)
{
    (void)state;
    const char data[] = "a,b\n1,2\n3,4XXXX";
    store_csv *csv;
    kt_error err;
    assert_int_equal(store_csv_open(data, 11, "t.csv", &csv, &err), KT_OK);
    store_csv_row row;
    assert_int_equal(store_csv_next(csv, &row, &err), 1);
    assert_int_equal(store_csv_next(csv, &row, &err), 1);
    assert_string_equal(row.fields[1], "4");
    assert_int_equal(row.raw_len, 3);
    assert_int_equal(store_csv_next(csv, &row, &err), 0);
    assert_int_equal(store_csv_next(csv, &row, &err), 0);
    store_csv_close(csv);
}

/* Many rows and wide fields: buffers grow and row lines stay exact. */
static void test_csv_large(void **state)
{
    (void)state;
    size_t cap = 4 << 20, n = 0;
    char *data = malloc(cap);
    assert_non_null(data);
    n += (size_t)sprintf(data + n, "id,text\n");
    for (int i = 0; i < 20000; i++) {
        if (i % 3 == 0)
            n += (size_t)sprintf(data + n, "%d,\"line one\nline two, %d\"\n", i, i);
        else
            n += (size_t)sprintf(data + n, "%d,%0*d\n", i, 1 + i % 97, i);
    }
    store_csv *csv;
    kt_error err;
    assert_int_equal(store_csv_open(data, n, "big.csv", &csv, &err), KT_OK);
    store_csv_row row;
    long expect_line = 2;
    int count = 0;
    while (store_csv_next(csv, &row, &err) == 1) {
        assert_int_equal(row.line, expect_line);
        assert_int_equal(atoi(row.fields[0]), count);
        expect_line += count % 3 == 0 ? 2 : 1;
        count++;
    }
    assert_int_equal(count, 20000);
    store_csv_close(csv);
    free(data);
}

/* ---- generated tables: write with RFC 4180 quoting, read back --------- */

static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 16) % n;
}

/* Pieces a field is made of: plain text, the characters that need quoting,
 * two-byte and three-byte UTF-8, spaces. */
static const char *const pieces[] = {"a", "Z", "7", ",", "\"", "\n", "\r\n", "\r", " ",
                                     "ł", "Щ", "€", "\"\"", ",\"", "x y"};

static void test_csv_round_trip(void **state)
{
    (void)state;
    enum { ROUNDS = 400, MAXC = 6, MAXR = 12, FLEN = 64 };
    for (int round = 0; round < ROUNDS; round++) {
        size_t ncols = 1 + rnd(MAXC), nrows = rnd(MAXR);
        const char *eol = rnd(2) ? "\r\n" : "\n";
        static char field[MAXR][MAXC][FLEN * 4];
        static char text[MAXR * MAXC * FLEN * 10], raw[MAXR][MAXC * FLEN * 10];
        long line_of[MAXR];
        size_t n = 0;
        for (size_t c = 0; c < ncols; c++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%sc%zu", c ? "," : "", c);
        n += (size_t)snprintf(text + n, sizeof text - n, "%s", eol);
        long line = 2;
        for (size_t r = 0; r < nrows; r++) {
            line_of[r] = line;
            size_t rn = 0;
            for (size_t c = 0; c < ncols; c++) {
                char *f = field[r][c];
                f[0] = '\0';
                for (unsigned k = rnd(6); k > 0; k--)
                    strcat(f, pieces[rnd(sizeof pieces / sizeof *pieces)]);
                /* Quote when needed, and always for a lone empty field,
                 * which would otherwise be an empty line (skipped). */
                int quote = strpbrk(f, ",\"\r\n") || (ncols == 1 && !*f) || rnd(4) == 0;
                if (c)
                    raw[r][rn++] = ',';
                if (quote)
                    raw[r][rn++] = '"';
                for (const char *p = f; *p; p++) {
                    if (*p == '"')
                        raw[r][rn++] = '"';
                    if (*p == '\n')
                        line++;
                    raw[r][rn++] = *p;
                }
                if (quote)
                    raw[r][rn++] = '"';
            }
            raw[r][rn] = '\0';
            line++;
            const char *end = r + 1 < nrows || rnd(2) ? eol : "";
            memcpy(text + n, raw[r], rn);
            memcpy(text + n + rn, end, strlen(end));
            n += rn + strlen(end);
        }
        store_csv *csv;
        kt_error err;
        int rc = store_csv_open(text, n, "gen.csv", &csv, &err);
        if (rc != KT_OK)
            fail_msg("round %d: %s:%ld: %s", round, err.file, err.line, err.message);
        assert_int_equal(store_csv_columns(csv), ncols);
        store_csv_row row;
        for (size_t r = 0; r < nrows; r++) {
            rc = store_csv_next(csv, &row, &err);
            if (rc != 1)
                fail_msg("round %d row %zu: rc %d %s:%ld: %s", round, r, rc, err.file, err.line,
                         err.message);
            assert_int_equal(row.line, line_of[r]);
            assert_int_equal(row.raw_len, strlen(raw[r]));
            assert_memory_equal(row.raw, raw[r], row.raw_len);
            for (size_t c = 0; c < ncols; c++)
                assert_string_equal(row.fields[c], field[r][c]);
        }
        assert_int_equal(store_csv_next(csv, &row, &err), 0);
        store_csv_close(csv);
    }
}

/* Random bytes from the characters that matter: never a crash, and an error
 * always names a line inside the input. */
static void test_csv_garbage(void **state)
{
    (void)state;
    static const char alphabet[] = "ab,\"\n\r \xC5\x82";
    for (int round = 0; round < 3000; round++) {
        char text[96];
        size_t n = rnd(sizeof text);
        long lines = 1;
        for (size_t i = 0; i < n; i++) {
            text[i] = alphabet[rnd(sizeof alphabet - 1)];
            lines += text[i] == '\n';
        }
        store_csv *csv;
        kt_error err;
        kt_error_clear(&err);
        int rc = store_csv_open(text, n, "junk.csv", &csv, &err);
        if (rc == KT_OK) {
            store_csv_row row;
            while ((rc = store_csv_next(csv, &row, &err)) == 1) {
                assert_true(row.line >= 1 && row.line <= lines);
                assert_true(row.raw >= text && row.raw + row.raw_len <= text + n);
            }
            store_csv_close(csv);
        }
        if (rc < 0) {
            assert_int_equal(rc, KT_ERR_INPUT);
            assert_true(err.line >= 0 && err.line <= lines);
            assert_true(err.message[0] != '\0');
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_cases),
        cmocka_unit_test(test_csv_length_bound),
        cmocka_unit_test(test_csv_large),
        cmocka_unit_test(test_csv_round_trip),
        cmocka_unit_test(test_csv_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
