/*
 * test_tsv.c — the TSV cursor (util/tsv.h): comments, header, CRLF, blank
 * lines, empty fields, a trailing tab, a last line without its newline, more
 * fields than the caller's array, and the line numbers it reports. Table-driven:
 * each case is a text, flags, and the rows expected as "LINE:f1|f2|...".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/tsv.h"

#define CF (KT_TSV_COMMENTS)
#define CH (KT_TSV_COMMENTS | KT_TSV_HEADER)

static const struct tsv_case {
    const char *name;
    const char *text;
    unsigned flags;
    const char *rows[8]; /* NULL-terminated */
} cases[] = {
    {"plain", "a\tb\nc\td\n", 0, {"1:a|b", "2:c|d"}},
    {"no newline at the end", "a\tb\nc\td", 0, {"1:a|b", "2:c|d"}},
    {"CRLF", "a\tb\r\nc\td\r\n", 0, {"1:a|b", "2:c|d"}},
    {"CRLF, last line bare CR", "a\r\nb\r", 0, {"1:a", "2:b"}},
    {"blank lines skipped, still counted", "\n\na\n\r\n\nb\n", 0, {"3:a", "6:b"}},
    {"empty fields", "a\t\tc\n\t\n", 0, {"1:a||c", "2:|"}},
    {"trailing tab", "a\tb\t\n", 0, {"1:a|b|"}},
    {"comments kept without the flag", "#x\ta\nb\n", 0, {"1:#x|a", "2:b"}},
    {"comments skipped", "# one\na\n#two\nb\n", CF, {"2:a", "4:b"}},
    {"'#' inside a line is data", "a#\t#b\n", CF, {"1:a#|#b"}},
    {"header after comments", "# note\n\nid\tname\n1\tx\n# c\n2\ty", CH,
     {"4:1|x", "6:2|y"}},
    {"header only", "id\tname\n", CH, {NULL}},
    {"header without comments flag", "#h\nrow\n", KT_TSV_HEADER, {"2:row"}},
    {"empty text", "", CH, {NULL}},
    {"only blank and comments", "\n#a\r\n\n", CH, {NULL}},
    {"UTF-8 fields", "Ж\tż\n", 0, {"1:Ж|ż"}},
};

/* The row as "LINE:f1|f2|..." from the fields the cursor filled. */
static void render(const kt_tsv *c, const kt_tsv_field *f, int n, char *out, size_t cap)
{
    size_t o = (size_t)snprintf(out, cap, "%ld:", c->line);
    for (int i = 0; i < n && o < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%.*s", i ? "|" : "", (int)f[i].len, f[i].s);
}

static void table_cases(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const struct tsv_case *tc = &cases[k];
        kt_tsv c;
        kt_tsv_init(&c, tc->text, strlen(tc->text), tc->flags);
        kt_tsv_field f[8];
        int n, r = 0;
        char got[256];
        while (kt_tsv_next(&c, f, 8, &n)) {
            render(&c, f, n, got, sizeof got);
            if (!tc->rows[r])
                fail_msg("%s: unexpected row %s", tc->name, got);
            if (strcmp(got, tc->rows[r]) != 0)
                fail_msg("%s: row %d is %s, expected %s", tc->name, r, got, tc->rows[r]);
            r++;
        }
        if (tc->rows[r])
            fail_msg("%s: missing row %s", tc->name, tc->rows[r]);
        /* The end stays the end. */
        assert_int_equal(kt_tsv_next(&c, f, 8, &n), 0);
        assert_int_equal(n, 0);
    }
}

/* The row is the line verbatim, without "\r\n", and points into the text. */
static void row_is_the_line(void **state)
{
    (void)state;
    const char *text = "h\n x\ty \r\nlast\t";
    kt_tsv c;
    kt_tsv_field f[4];
    int n;
    kt_tsv_init(&c, text, strlen(text), KT_TSV_HEADER);
    assert_int_equal(kt_tsv_next(&c, f, 4, &n), 1);
    assert_int_equal(c.row_len, 5);
    assert_memory_equal(c.row, " x\ty ", 5);
    assert_ptr_equal(c.row, text + 2);
    assert_ptr_equal(f[0].s, text + 2);
    assert_int_equal(kt_tsv_next(&c, f, 4, &n), 1);
    assert_int_equal(c.line, 3);
    assert_int_equal(n, 2);
    assert_int_equal(f[1].len, 0);
    assert_memory_equal(c.row, "last\t", 5);
}

/* More fields than the array: all counted, only max filled (the guard
 * entries after them untouched). */
static void more_fields_than_room(void **state)
{
    (void)state;
    const char *text = "a\tb\tc\td\te\n";
    kt_tsv c;
    kt_tsv_field f[4];
    const char guard = 'g';
    f[2].s = f[3].s = &guard;
    f[2].len = f[3].len = 99;
    int n;
    kt_tsv_init(&c, text, strlen(text), 0);
    assert_int_equal(kt_tsv_next(&c, f, 2, &n), 1);
    assert_int_equal(n, 5);
    assert_int_equal(f[0].len, 1);
    assert_int_equal(f[1].s[0], 'b');
    assert_ptr_equal(f[2].s, &guard);
    assert_int_equal(f[3].len, 99);
    /* max 0 and a NULL array: a count only */
    kt_tsv_init(&c, text, strlen(text), 0);
    assert_int_equal(kt_tsv_next(&c, NULL, 0, &n), 1);
    assert_int_equal(n, 5);
}

/* The cursor reads only inside [data, data+len): a text not NUL-terminated
 * (a slice of a longer buffer) ends where len says. */
static void stops_at_len(void **state)
{
    (void)state;
    const char buf[] = "a\tb\nc\td\nNOT\tMINE";
    kt_tsv c;
    kt_tsv_field f[4];
    int n;
    kt_tsv_init(&c, buf, 7, 0); /* "a\tb\nc\td" — no newline, then more bytes */
    assert_int_equal(kt_tsv_next(&c, f, 4, &n), 1);
    assert_int_equal(kt_tsv_next(&c, f, 4, &n), 1);
    assert_int_equal(n, 2);
    assert_int_equal(f[1].len, 1);
    assert_int_equal(f[1].s[0], 'd');
    assert_int_equal(kt_tsv_next(&c, f, 4, &n), 0);
    kt_tsv_init(&c, NULL, 0, CH);
    assert_int_equal(kt_tsv_next(&c, f, 4, &n), 0);
}

static void helpers(void **state)
{
    (void)state;
    kt_tsv_field f = {"kapitan\tx", 7};
    assert_true(kt_tsv_eq(f, "kapitan"));
    assert_false(kt_tsv_eq(f, "kapita"));
    assert_false(kt_tsv_eq(f, "kapitanx"));
    char buf[8];
    assert_int_equal(kt_tsv_copy(f, buf, sizeof buf), 1);
    assert_string_equal(buf, "kapitan");
    assert_int_equal(kt_tsv_copy(f, buf, 7), 0); /* no room for the NUL */
    assert_string_equal(buf, "");
    kt_tsv_field e = {"", 0};
    assert_true(kt_tsv_eq(e, ""));
    assert_int_equal(kt_tsv_copy(e, buf, 1), 1);
    assert_string_equal(buf, "");
}

/* A real embedded table opens; a missing one is an empty cursor. */
static void embedded(void **state)
{
    (void)state;
    kt_tsv c;
    kt_tsv_field f[8];
    int n, rows = 0;
    assert_int_equal(kt_tsv_open_embedded(&c, "data/rules/ranks.tsv", CH), 1);
    while (kt_tsv_next(&c, f, 8, &n)) {
        assert_true(n >= 2);
        assert_true(c.line > 1);
        rows++;
    }
    assert_true(rows > 10);
    assert_int_equal(kt_tsv_open_embedded(&c, "data/rules/no_such.tsv", CH), 0);
    assert_int_equal(kt_tsv_next(&c, f, 8, &n), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_cases),
        cmocka_unit_test(row_is_the_line),
        cmocka_unit_test(more_fields_than_room),
        cmocka_unit_test(stops_at_len),
        cmocka_unit_test(helpers),
        cmocka_unit_test(embedded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
