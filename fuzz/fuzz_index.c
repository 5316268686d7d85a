/*
 * fuzz_index.c — libFuzzer target for the name index (index/index.h):
 * arbitrary query text and filters against a fixed index, and small indexes
 * built from the fuzzer's own records.
 *
 * The fixed index holds a few hundred synthetic prisoners (invented names,
 * Polish and Cyrillic spellings, some with a patronymic or a father's name,
 * some only a whole name) built once at start-up. An input whose first byte
 * is even is a query (with a year and a camp filter taken from the next
 * bytes); an odd one is a list of records, one per line, fields separated by
 * tabs (surname, given names, patronymic, father, whole name, camp), whose
 * last line is the query. Checks: hits sorted best first, scores in 0..1,
 * slots inside the index, explanations NUL-terminated.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/index.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static kt_index *fixed;

static const char *const surnames[] = {
    "Kowalczyk", "Ковальчик", "Wiśniewicz", "Вишневич", "Zielonka", "Зелёнка",
    "Brzozowy", "Бжозовы", "Szczepaniak", "Щепаняк", "Chrząszcz", "Хшонщ",
    "Olszyna-Dębski", "Ольшина-Дембский", "Żurawek", "Журавек", "Jastrzębiak",
    "Ястржембяк", "Kmiecik", "Кмецик", "Łozowski", "Лозовский", "Wróblak", "Врублак",
};
static const char *const givens[] = {
    "Stanisław", "Станислав", "Józef", "Иосиф", "Mieczysław", "Мечислав",
    "Jan", "Ян", "Andrzej", "Андрей", "Wacław", "Вацлав", "Kazimierz", "Казимир",
};
static const char *const patronymics[] = {
    "Янович", "Иосифович", "Казимирович", "Станиславович", "Андреевич",
};
static const char *const fathers[] = {"Jana", "Józefa", "Antoniego", "Wojciecha"};
static const char *const camps[] = {"Козельск", "Старобельск", "Осташков", "Kozielsk", ""};

static void check_query(const kt_index *ix, const char *query, const index_filter *f)
{
    index_hit hits[16];
    int n = index_query(ix, query, f, hits, 16);
    CHECK(n <= 16);
    if (n < 0)
        return;
    size_t size = index_size(ix);
    for (int i = 0; i < n; i++) {
        CHECK(hits[i].slot < size);
        CHECK(hits[i].score >= 0 && hits[i].score <= 1);
        if (i > 0)
            CHECK(hits[i].score <= hits[i - 1].score);
        index_entry e;
        index_entry_get(ix, hits[i].slot, &e);
        CHECK(e.record_id == hits[i].record_id);
    }
    if (n > 0) {
        char why[8][160];
        int nw = index_explain(ix, query, hits[0].slot, why, 8);
        CHECK(nw <= 8);
        for (int i = 0; i < nw; i++)
            CHECK(memchr(why[i], '\0', sizeof why[i]) != NULL);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fixed = index_new();
    if (!fixed)
        abort();
    size_t ns = sizeof surnames / sizeof *surnames, ng = sizeof givens / sizeof *givens;
    int64_t id = 1;
    char whole[256];
    for (size_t s = 0; s < ns; s++)
        for (size_t g = 0; g < ng; g++) {
            store_record r;
            memset(&r, 0, sizeof r);
            r.id = id++;
            r.source_key = "fuzz";
            r.birth_year = (int)(1880 + (s * 7 + g * 3) % 60);
            r.camp = camps[(s + g) % 5];
            r.fate = (s + g) % 3 ? "расстрелян" : "";
            if ((s + g) % 4 == 3) {
                /* Whole name only, Russian order. */
                snprintf(whole, sizeof whole, "%s %s %s", surnames[s], givens[g],
                         patronymics[g % 5]);
                r.name = whole;
            } else {
                r.surname = surnames[s];
                r.given_names = givens[g];
                if (s % 2)
                    r.patronymic = patronymics[(s + g) % 5];
                else
                    r.father_name = fathers[(s + g) % 4];
            }
            if (index_add(fixed, &r) != 0)
                abort();
        }
    if (index_finish(fixed) != 0)
        abort();
    return 0;
}

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

static void own_records(char *text)
{
    char *lines[64];
    int nl = split(text, '\n', lines, 64);
    kt_index *ix = index_new();
    if (!ix)
        return;
    for (int i = 0; i + 1 < nl; i++) {
        char *f[6] = {0};
        split(lines[i], '\t', f, 6);
        store_record r;
        memset(&r, 0, sizeof r);
        r.id = i + 1;
        r.source_key = "fuzz";
        r.surname = f[0];
        r.given_names = f[1];
        r.patronymic = f[2];
        r.father_name = f[3];
        r.name = f[4];
        r.camp = f[5];
        r.birth_year = 1880 + i;
        CHECK(index_add(ix, &r) == 0);
    }
    CHECK(index_finish(ix) == 0);
    CHECK(index_size(ix) == (size_t)(nl - 1));
    check_query(ix, lines[nl - 1], NULL);
    index_free(ix);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size < 3 || size > 4096)
        return 0;
    char *text = malloc(size - 2);
    if (!text)
        return 0;
    memcpy(text, bytes + 3, size - 3);
    text[size - 3] = '\0';

    if (bytes[0] & 1) {
        own_records(text);
    } else {
        index_filter f;
        memset(&f, 0, sizeof f);
        if (bytes[1] & 0x80) {
            f.born = 1860 + bytes[1] % 100;
            f.born_tolerance = bytes[2] % 4;
        }
        if (bytes[2] & 0x80)
            f.camp = camps[bytes[2] % 5];
        if (bytes[2] & 0x40)
            f.fate = "расстрел";
        check_query(fixed, text, (bytes[1] | bytes[2]) & 0xC0 ? &f : NULL);
    }
    free(text);
    return 0;
}
