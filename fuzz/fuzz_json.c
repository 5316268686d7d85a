/*
 * fuzz_json.c — libFuzzer target for the JSON every reader is given
 * (store/json.h, index_hit_json and index_search_json in index/index.h):
 * records made of arbitrary bytes, as a damaged file could hold them.
 *
 * An input is lines of tab-separated fields; each line but the last is a
 * record (record_key, surname, given names, patronymic, father's name,
 * whole name, camp, fate, note, source URLs, raw row), the last line the
 * query. Checks what the headers promise: every builder gives an object
 * with all its keys; a field's text comes back as it went in when it is
 * valid UTF-8 and not empty, and as null otherwise; every object dumps
 * (jansson refuses text that is not UTF-8, which a _nocheck setter could
 * have let in) and the search's, which holds every hit, reads back the
 * same; the URLs are an array of strings; each hit names a record that was
 * given, with a score from 0 to 1 and its "why" lines as strings.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "store/json.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

#define FIELDS 11
#define RECORDS 32

/* Splits s at c in place into at most max parts; returns the count. */
static int split(char *s, char c, char **parts, int max)
{
    int n = 0;
    parts[n++] = s;
    while (n < max) {
        char *p = strchr(s, c);
        if (!p)
            break;
        *p = '\0';
        parts[n++] = s = p + 1;
    }
    return n;
}

static int utf8(const char *s)
{
    json_t *j = json_string(s);
    json_decref(j);
    return j != NULL;
}

/* The field came through: its text when valid UTF-8 and not empty, else null. */
static void check_field(const json_t *obj, const char *key, const char *given)
{
    json_t *v = json_object_get(obj, key);
    CHECK(v != NULL);
    if (given && *given && utf8(given))
        CHECK(json_is_string(v) && !strcmp(json_string_value(v), given));
    else
        CHECK(json_is_null(v));
}

/* It dumps compact; with `read_back`, the text reads back as the same.
 * Reading back tests jansson's reader and writer more than this code, so
 * it is done once an input, on the search's object, which holds every hit
 * (reading each back took a fifth of the target's time). */
static void check_dump(json_t *j, int read_back)
{
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    CHECK(text != NULL);
    if (read_back) {
        json_error_t e;
        json_t *back = json_loads(text, 0, &e);
        CHECK(back != NULL && json_equal(back, j));
        json_decref(back);
    }
    free(text);
}

static void check_record(const store_record *r)
{
    json_t *j = store_record_json(r);
    CHECK(json_is_object(j));
    CHECK(json_integer_value(json_object_get(j, "id")) == r->id);
    check_field(j, "record_key", r->record_key);
    check_field(j, "surname", r->surname);
    check_field(j, "given_names", r->given_names);
    check_field(j, "patronymic", r->patronymic);
    check_field(j, "father_name", r->father_name);
    check_field(j, "name", r->name);
    check_field(j, "camp", r->camp);
    check_field(j, "fate", r->fate);
    check_field(j, "note", r->note);
    json_t *urls = json_object_get(j, "source_urls");
    CHECK(json_is_array(urls));
    for (size_t i = 0; i < json_array_size(urls); i++)
        CHECK(json_is_string(json_array_get(urls, i)));
    CHECK(json_is_string(json_object_get(j, "raw")));
    check_dump(j, 0);
    json_decref(j);
}

/* A hit's object: it names a record given, its score lies in 0..1, its
 * "why" is an array of strings; with `full`, every key of the shape. */
static void check_hit_object(const json_t *j, int nrec, int full)
{
    CHECK(json_is_object(j));
    json_int_t id = json_integer_value(json_object_get(j, "record_id"));
    CHECK(id >= 1 && id <= nrec);
    static const char *const keys[] = {"record_key", "source", "score", "name", "birth_year",
                                       "why", "person_id"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys - !full; k++)
        CHECK(json_object_get(j, keys[k]) != NULL);
    double score = json_real_value(json_object_get(j, "score"));
    CHECK(score >= 0 && score <= 1);
    json_t *why = json_object_get(j, "why");
    CHECK(json_is_array(why));
    for (size_t i = 0; i < json_array_size(why); i++)
        CHECK(json_is_string(json_array_get(why, i)));
}

static void check_hit(const kt_index *ix, const char *query, const index_hit *hit, int nrec)
{
    json_t *j = index_hit_json(ix, query, hit);
    check_hit_object(j, nrec, 1);
    check_dump(j, 0);
    json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size > 8192)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, bytes, size);
    text[size] = '\0';
    char *lines[RECORDS + 1];
    int nl = split(text, '\n', lines, RECORDS + 1);
    kt_index *ix = index_new();
    CHECK(ix != NULL);
    for (int i = 0; i + 1 < nl; i++) {
        char *f[FIELDS] = {0};
        split(lines[i], '\t', f, FIELDS);
        store_record r;
        memset(&r, 0, sizeof r);
        r.id = i + 1;
        r.source_key = "fuzz";
        r.record_key = f[0];
        r.surname = f[1];
        r.given_names = f[2];
        r.patronymic = f[3];
        r.father_name = f[4];
        r.name = f[5];
        r.camp = f[6];
        r.fate = f[7];
        r.note = f[8];
        r.source_urls = f[9];
        r.raw = f[10];
        r.birth_year = i % 3 ? 1880 + i : 0;
        r.person_id = i % 2 ? i : 0;
        check_record(&r);
        CHECK(index_add(ix, &r) == 0);
        if (f[6] && *f[6]) /* refused only when nothing but spaces */
            CHECK(index_add_alias(ix, &r, f[6], "fuzz") == 0 ||
                  strspn(f[6], " ") == strlen(f[6]));
    }
    CHECK(index_finish(ix) == 0);
    const char *query = lines[nl - 1];
    /* index_hit_json reads the query again for each hit: the best and the
     * last of eight; the search's JSON below builds every hit's object the
     * same way from the query read once, and all of them are checked there */
    index_hit hits[8];
    int n = index_query(ix, query, NULL, hits, 8);
    if (n > 0)
        check_hit(ix, query, &hits[0], nl - 1);
    if (n > 1)
        check_hit(ix, query, &hits[n - 1], nl - 1);
    json_t *all = index_search_json(ix, query, NULL, 4);
    if (all) {
        json_t *res = json_object_get(all, "results");
        CHECK(json_is_array(res));
        for (size_t i = 0; i < json_array_size(res); i++) {
            json_t *r = json_array_get(res, i), *recs = json_object_get(r, "records");
            check_hit_object(r, nl - 1, 1);
            CHECK(json_is_array(recs) && json_array_size(recs) >= 1);
            for (size_t k = 0; k < json_array_size(recs); k++)
                check_hit_object(json_array_get(recs, k), nl - 1, 0);
        }
        check_dump(all, 1);
        json_decref(all);
    }
    index_free(ix);
    free(text);
    return 0;
}
