/*
 * test_encoding.c — decoding imported bytes to UTF-8: the same text written
 * in utf-8, cp1250, cp1251 and koi8-r decodes (and then parses as CSV) to the
 * same fields; bad bytes are refused naming their line.
 *
 * The single-byte fixtures are made here with iconv from the UTF-8 text, and
 * checked against a few bytes known from the code tables, so a broken
 * conversion on either side cannot pass unnoticed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/csv.h"
#include "store/encoding.h"

static const char polish[] =
    "surname,given_names,birth_place,note\n"
    "Wilczyński,Józef,Łódź,\"ur. 25 XII 1893, żołnierz\"\n"
    "Śliwa,Mieczysław,Kraków,\"ppor., ź ż ą ę ó ł ń ś ć\"\n";

static const char russian[] =
    "Фамилия,Имя,Отчество,Примечание\n"
    "Ковальский,Станислав,Янович,\"род. 1893, г. Вильно\"\n"
    "Ёлкин,Щорс,Эдуардович,\"ЪЬЫЮЯ ёъьыюя, 5\"\n";

/* text converted from UTF-8 to `to` with iconv (malloc'd) */
static char *to_encoding(const char *text, const char *to, size_t *len)
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

/* All fields of a CSV text joined with '|' and rows with '\n'. */
static void fields_of(const char *utf8, size_t len, char *out)
{
    store_csv *csv;
    kt_error err;
    assert_int_equal(store_csv_open(utf8, len, "x.csv", &csv, &err), KT_OK);
    char *p = out;
    for (size_t i = 0; i < store_csv_columns(csv); i++)
        p += sprintf(p, "%s|", store_csv_column(csv, i));
    store_csv_row row;
    while (store_csv_next(csv, &row, &err) == 1) {
        *p++ = '\n';
        for (size_t i = 0; i < row.nfields; i++)
            p += sprintf(p, "%s|", row.fields[i]);
    }
    *p = '\0';
    store_csv_close(csv);
}

typedef struct same_case {
    const char *text;
    const char *encoding; /* as a user types it */
    const char *iconv_name;
    unsigned char probe_utf8[2]; /* a letter's UTF-8 bytes ... */
    unsigned char probe_byte;    /* ... and its byte in the code table */
} same_case;

static const same_case same[] = {
    {polish, "cp1250", "CP1250", {0xC5, 0x81}, 0xA3},       /* Ł */
    {polish, "windows-1250", "CP1250", {0xC5, 0x9A}, 0x8C}, /* Ś */
    {russian, "cp1251", "CP1251", {0xD0, 0x81}, 0xA8},      /* Ё */
    {russian, "CP1251", "CP1251", {0xD0, 0xA9}, 0xD9},      /* Щ */
    {russian, "koi8-r", "KOI8-R", {0xD0, 0x81}, 0xB3},      /* Ё */
    {russian, "KOI8-R", "KOI8-R", {0xD0, 0xA9}, 0xFD},      /* Щ */
};

static void test_same_fields_in_every_encoding(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        const same_case *c = &same[i];
        size_t len;
        char *bytes = to_encoding(c->text, c->iconv_name, &len);
        /* The fixture really is in the code table, not UTF-8. */
        assert_non_null(memchr(bytes, c->probe_byte, len));
        assert_null(memmem(bytes, len, c->probe_utf8, 2));

        char *utf8;
        size_t ulen;
        kt_error err;
        assert_int_equal(store_encoding_to_utf8(bytes, len, c->encoding, "x.csv", &utf8,
                                                &ulen, &err),
                         KT_OK);
        assert_int_equal(ulen, strlen(c->text));
        assert_string_equal(utf8, c->text);

        char want[2048], got[2048];
        fields_of(c->text, strlen(c->text), want);
        fields_of(utf8, ulen, got);
        assert_string_equal(got, want);
        free(utf8);
        free(bytes);
    }
}

static void test_utf8_passes_through(void **state)
{
    (void)state;
    const char *names[] = {NULL, "utf-8", "UTF-8", "utf8"};
    for (size_t i = 0; i < 4; i++) {
        char *out;
        size_t len;
        kt_error err;
        assert_int_equal(store_encoding_to_utf8(russian, strlen(russian), names[i], "r.csv",
                                                &out, &len, &err),
                         KT_OK);
        assert_string_equal(out, russian);
        free(out);
    }
}

typedef struct bad_case {
    const char *name;
    const char *bytes;
    size_t len;
    const char *encoding;
    int status;
    long line;
    const char *fragment;
} bad_case;

static const bad_case bad[] = {
    {"invalid UTF-8 on line 3", "a,b\n1,2\nx\xC3(,y\n", 13, "utf-8", KT_ERR_INPUT, 3,
     "invalid UTF-8"},
    {"cp1251 text read as UTF-8", "a\n\xCA\xEE\xE2\n", 6, NULL, KT_ERR_INPUT, 2,
     "--encoding"},
    {"truncated UTF-8 at the end", "a\nb\n\xD0", 5, "utf-8", KT_ERR_INPUT, 3, "invalid UTF-8"},
    {"overlong UTF-8", "a\n\xC0\xAF\n", 5, "utf-8", KT_ERR_INPUT, 2, "invalid UTF-8"},
    {"UTF-16 surrogate in UTF-8", "a\n\xED\xA0\x80\n", 6, "utf-8", KT_ERR_INPUT, 2,
     "invalid UTF-8"},
    {"NUL byte", "a\nb\nc\0d\n", 8, "utf-8", KT_ERR_INPUT, 3, "NUL"},
    {"NUL byte in cp1251", "a\n\0\n", 4, "cp1251", KT_ERR_INPUT, 2, "NUL"},
    {"byte undefined in cp1251", "a\nb\nc\x98\n", 7, "cp1251", KT_ERR_INPUT, 3,
     "not a character in cp1251"},
    {"byte undefined in cp1250", "a\n\x81\n", 4, "cp1250", KT_ERR_INPUT, 2,
     "not a character in cp1250"},
    {"unknown encoding", "a\n", 2, "latin-2", KT_ERR_INPUT, 0,
     "supported: utf-8, cp1250, cp1251, koi8-r"},
};

static void test_bad_bytes_name_their_line(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const bad_case *c = &bad[i];
        char *out = (char *)1;
        size_t len = 1;
        kt_error err;
        kt_error_clear(&err);
        int rc = store_encoding_to_utf8(c->bytes, c->len, c->encoding, "bad.csv", &out, &len,
                                        &err);
        if (rc != c->status || err.line != c->line || !strstr(err.message, c->fragment))
            fail_msg("%s: rc %d line %ld message '%s'", c->name, rc, err.line, err.message);
        assert_null(out);
        if (c->line)
            assert_string_equal(err.file, "bad.csv");
    }
}

static void test_canonical_names(void **state)
{
    (void)state;
    assert_string_equal(store_encoding_canonical("UTF8"), "utf-8");
    assert_string_equal(store_encoding_canonical("Windows-1250"), "cp1250");
    assert_string_equal(store_encoding_canonical("koi8r"), "koi8-r");
    assert_null(store_encoding_canonical("iso-8859-2"));
    assert_null(store_encoding_canonical(""));
    assert_null(store_encoding_canonical(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_fields_in_every_encoding),
        cmocka_unit_test(test_utf8_passes_through),
        cmocka_unit_test(test_bad_bytes_name_their_line),
        cmocka_unit_test(test_canonical_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
