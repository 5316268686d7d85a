/*
 * fuzz_import.c — libFuzzer target for importing a CSV list into the store
 * (store/import.h): the decoded rows read into records, years, whole names
 * split, the source replaced, all in one transaction in an in-memory
 * database. Also splits every row's text as a whole name
 * (store_import_split_name) both ways.
 *
 * The first byte chooses the options: the encoding (bits 0-2), whether the
 * name column reads given-first (bit 3), and whether a "NAME" or "FIO"
 * column is mapped to the name field (bit 4). The rest is the file. Every
 * import replaces the one before it, so the database stays small. Checks:
 * an import that fails says why; one that succeeds counts no more records
 * with a year than records.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/import.h"
#include "store/store.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static store *db;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    kt_error err;
    kt_error_clear(&err);
    if (store_open(":memory:", 1, &db, &err) != KT_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    static const char *const encodings[] = {NULL, "utf-8", "cp1250", "cp1251", "koi8-r"};
    static const store_import_column map[] = {{"name", "NAME"}, {"name", "FIO"}};
    if (size == 0 || size > 8192)
        return 0;
    store_import_options opt;
    memset(&opt, 0, sizeof opt);
    opt.source_key = "fuzz";
    opt.encoding = encodings[(bytes[0] & 7) % 5];
    opt.given_first = (bytes[0] >> 3) & 1;
    if (bytes[0] & 0x10) {
        opt.columns = map;
        opt.ncolumns = 2;
    }
    opt.replace = 1;

    char *data = malloc(size);
    if (!data)
        return 0;
    memcpy(data, bytes + 1, size - 1);

    store_import_result res;
    kt_error err;
    kt_error_clear(&err);
    int rc = store_import_csv_data(db, data, size - 1, "fuzz.csv", &opt, &res, &err);
    if (rc == KT_OK)
        CHECK(res.records >= 0 && res.with_year >= 0 && res.with_year <= res.records);
    else
        CHECK(rc < 0 && err.message[0] != '\0');

    /* The whole input as one name cell, NUL-terminated, both orders. */
    data[size - 1] = '\0';
    char sur[128], giv[128], pat[128];
    for (int gf = 0; gf < 2; gf++) {
        store_import_split_name(data, gf, sur, giv, pat, sizeof sur);
        CHECK(memchr(sur, '\0', sizeof sur) && memchr(giv, '\0', sizeof giv) &&
              memchr(pat, '\0', sizeof pat));
    }
    free(data);
    return 0;
}
