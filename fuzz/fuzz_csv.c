/*
 * fuzz_csv.c — libFuzzer target for the CSV reader and the encodings an
 * import accepts (store/csv.h, store/encoding.h).
 *
 * The first byte picks the declared encoding (utf-8, cp1250, cp1251, koi8-r
 * or none); the rest is the file. The bytes are decoded, and whatever decodes
 * is read as CSV to the last row or the first error. The raw bytes are also
 * read as CSV undecoded, since a reader must not trust its input to be
 * valid UTF-8 either. Checks what the headers promise: every row has the
 * header's field count, its raw text lies inside the buffer, line numbers
 * never go back, and an error names a line. A file read to its end is
 * written out again with every field quoted, and reading that must give the
 * same header and the same fields, row by row; and each row's raw text,
 * read under the header on its own, gives that row's fields again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/csv.h"
#include "store/encoding.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* A growing buffer for the file written out again. */
typedef struct out_buf {
    char *p;
    size_t len, cap;
} out_buf;

static void put(out_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *p = realloc(b->p, cap);
        if (!p)
            abort();
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void put_field(out_buf *b, const char *s, int first)
{
    if (!first)
        put(b, ",", 1);
    put(b, "\"", 1);
    for (; *s; s++) {
        put(b, s, 1);
        if (*s == '"')
            put(b, s, 1); /* a quote is written twice */
    }
    put(b, "\"", 1);
}

/* Reads data (which must parse) and compares its fields with want's. */
static void compare_reread(const out_buf *b, const out_buf *want_fields)
{
    kt_error err;
    store_csv *csv = NULL;
    CHECK(store_csv_open(b->p, b->len, "again.csv", &csv, &err) == KT_OK);
    out_buf got = {0};
    for (size_t i = 0; i < store_csv_columns(csv); i++)
        put(&got, store_csv_column(csv, i), strlen(store_csv_column(csv, i)) + 1);
    store_csv_row row;
    int rc;
    while ((rc = store_csv_next(csv, &row, &err)) == 1)
        for (size_t i = 0; i < row.nfields; i++)
            put(&got, row.fields[i], strlen(row.fields[i]) + 1);
    CHECK(rc == 0);
    CHECK(got.len == want_fields->len && memcmp(got.p, want_fields->p, got.len) == 0);
    free(got.p);
    store_csv_close(csv);
}

/* header (the quoted header line) + raw must read as one row with fields
 * row->fields. */
static void check_raw(const out_buf *header, const store_csv_row *row)
{
    out_buf b = {0};
    put(&b, header->p, header->len);
    put(&b, row->raw, row->raw_len);
    kt_error err;
    store_csv *csv = NULL;
    CHECK(store_csv_open(b.p, b.len, "raw.csv", &csv, &err) == KT_OK);
    store_csv_row again;
    CHECK(store_csv_next(csv, &again, &err) == 1);
    CHECK(again.nfields == row->nfields);
    for (size_t i = 0; i < row->nfields; i++)
        CHECK(strcmp(again.fields[i], row->fields[i]) == 0);
    CHECK(store_csv_next(csv, &again, &err) == 0);
    store_csv_close(csv);
    free(b.p);
}

static void read_all(const char *data, size_t len)
{
    kt_error err;
    kt_error_clear(&err);
    store_csv *csv = NULL;
    int rc = store_csv_open(data, len, "fuzz.csv", &csv, &err);
    if (rc != KT_OK) {
        CHECK(csv == NULL || rc == KT_OK);
        CHECK(err.message[0] != '\0');
        return;
    }
    size_t ncols = store_csv_columns(csv);
    CHECK(ncols >= 1);
    out_buf again = {0}, fields = {0}; /* the file quoted; its fields, NUL-separated */
    for (size_t i = 0; i < ncols; i++) {
        const char *name = store_csv_column(csv, i);
        CHECK(name != NULL);
        put_field(&again, name, i == 0);
        put(&fields, name, strlen(name) + 1);
    }
    put(&again, "\r\n", 2);
    out_buf header = {0};
    put(&header, again.p, again.len);

    long last_line = 0;
    store_csv_row row;
    while ((rc = store_csv_next(csv, &row, &err)) == 1) {
        CHECK(row.nfields == ncols);
        for (size_t i = 0; i < row.nfields; i++)
            CHECK(strlen(row.fields[i]) <= len);
        CHECK(row.raw >= data && row.raw + row.raw_len <= data + len);
        CHECK(row.line > last_line);
        last_line = row.line;
        check_raw(&header, &row);
        for (size_t i = 0; i < row.nfields; i++) {
            put_field(&again, row.fields[i], i == 0);
            put(&fields, row.fields[i], strlen(row.fields[i]) + 1);
        }
        put(&again, "\n", 1);
    }
    if (rc != 0) {
        CHECK(rc < 0);
        CHECK(err.message[0] != '\0');
        CHECK(err.line >= 1);
    } else {
        compare_reread(&again, &fields);
    }
    free(again.p);
    free(fields.p);
    free(header.p);
    store_csv_close(csv);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    static const char *const encodings[] = {NULL, "utf-8", "cp1250", "cp1251", "koi8-r"};
    if (size == 0)
        return 0;
    const char *enc = encodings[bytes[0] % 5];
    const char *data = (const char *)bytes + 1;
    size_t len = size - 1;

    kt_error err;
    kt_error_clear(&err);
    char *utf8 = NULL;
    size_t utf8_len = 0;
    int rc = store_encoding_to_utf8(data, len, enc, "fuzz.csv", &utf8, &utf8_len, &err);
    if (rc == KT_OK) {
        CHECK(utf8 != NULL && utf8[utf8_len] == '\0');
        CHECK(strlen(utf8) == utf8_len);
        read_all(utf8, utf8_len);
        free(utf8);
    } else {
        CHECK(rc < 0 && err.message[0] != '\0');
    }

    /* Undecoded, in a buffer of exactly len bytes so that a read past the
     * end is caught. */
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, len);
    read_all(copy, len);
    free(copy);
    return 0;
}
