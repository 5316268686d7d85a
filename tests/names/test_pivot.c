/*
 * test_pivot.c — normalisation, orthography detection, reading into the
 * pivot, keys. Table-driven from tests/data/names/: pairs that are one name
 * must read alike and meet on a candidate key (same_name.tsv); a name must
 * read closer to itself in the other script than to a look-alike
 * (near_miss.tsv); unrelated names must stay apart (different.tsv).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "names/names.h"

/* ---- a small TSV reader for the tables ---- */

typedef struct row {
    char *col[4];
    int ncol;
    int line;
} row;

/* Reads a TSV file: skips '#' comments and the header; returns rows. */
static row *read_tsv(const char *path, int *n)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    row *rows = NULL;
    int cap = 0, header = 1, line = 0;
    char buf[1024];
    *n = 0;
    while (fgets(buf, sizeof buf, f)) {
        line++;
        buf[strcspn(buf, "\r\n")] = '\0';
        if (buf[0] == '#' || buf[0] == '\0')
            continue;
        if (header) {
            header = 0;
            continue;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            rows = realloc(rows, (size_t)cap * sizeof *rows);
            assert_non_null(rows);
        }
        row *r = &rows[(*n)++];
        memset(r, 0, sizeof *r);
        r->line = line;
        char *p = buf;
        while (r->ncol < 4) {
            char *t = strchr(p, '\t');
            if (t)
                *t = '\0';
            r->col[r->ncol++] = strdup(p);
            if (!t)
                break;
            p = t + 1;
        }
    }
    fclose(f);
    return rows;
}

static void free_rows(row *rows, int n)
{
    for (int i = 0; i < n; i++)
        for (int c = 0; c < rows[i].ncol; c++)
            free(rows[i].col[c]);
    free(rows);
}

static double similarity(const char *a, const char *b)
{
    names_word x, y;
    assert_true(names_word_read(a, 0, &x) > 0);
    assert_true(names_word_read(b, 0, &y) > 0);
    return names_surname_similarity(&x, &y, NULL, 0);
}

/* 1 when some key of some reading of a equals some key of some reading of b. */
static int share_key(const char *a, const char *b)
{
    names_word x, y;
    names_word_read(a, 0, &x);
    names_word_read(b, 0, &y);
    for (int i = 0; i < x.nread; i++) {
        char sa[NAMES_SKELETON_MAX + 1];
        uint64_t ka[NAMES_KEYS_MAX];
        int la = names_skeleton(x.read[i].ph, x.read[i].len, sa, sizeof sa);
        int na = names_keys(sa, (size_t)la, ka);
        for (int j = 0; j < y.nread; j++) {
            char sb[NAMES_SKELETON_MAX + 1];
            uint64_t kb[NAMES_KEYS_MAX];
            int lb = names_skeleton(y.read[j].ph, y.read[j].len, sb, sizeof sb);
            int nb = names_keys(sb, (size_t)lb, kb);
            for (int p = 0; p < na; p++)
                for (int q = 0; q < nb; q++)
                    if (ka[p] == kb[q])
                        return 1;
        }
    }
    return 0;
}

/* ---- tests ---- */

static void test_rules_loaded(void **state)
{
    (void)state;
    for (int o = 0; o < NAMES_ORTHO_COUNT; o++) {
        int n = names_rules_count((names_ortho)o);
        if (n < 25)
            fail_msg("%s: only %d rules loaded", names_ortho_name((names_ortho)o), n);
    }
}

static void test_normalize(void **state)
{
    (void)state;
    static const char *cases[][2] = {
        {"SMORAWIŃSKI", "smorawiński"},
        {"Smorawin\xcc\x81ski", "smorawiński"},           /* NFD ń */
        {"Сморави\xcc\x81нский", "сморавинский"},         /* stress mark */
        {"Olszyna\xe2\x80\x93Wilczyński", "olszyna-wilczyński"}, /* en dash */
        {"Olszyna - Wilczyński", "olszyna-wilczyński"},
        {"O\xe2\x80\x99" "Brien", "o'brien"},
        {"  kpt.  Kowalski, ", "kpt kowalski"},
        {"Свёнтек", "свёнтек"},
        {"ŁUKOSKI", "łukoski"},
        /* compatibility forms spelt out on every road (found by fuzzing:
         * ǅ was lowered to ǆ, which a second pass spelt dž because Ⱥ had
         * lowered to a letter past the fast path's range) */
        {"\xc7\x85 \xc8\xba", "d\xc5\xbe \xe2\xb1\xa5"},
        {"\xc7\x85ordan", "d\xc5\xbeordan"},
        {"Mi\xc4\xb3" "ers", "miijers"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[128], again[128];
        int n = names_normalize(cases[i][0], strlen(cases[i][0]), out, sizeof out);
        assert_true(n >= 0);
        assert_string_equal(out, cases[i][1]);
        /* idempotent */
        names_normalize(out, (size_t)n, again, sizeof again);
        assert_string_equal(again, out);
    }
    char tiny[4];
    assert_int_equal(names_normalize("Smorawiński", 12, tiny, sizeof tiny), -1);
    assert_int_equal(names_normalize("\xff\xfe", 2, tiny, sizeof tiny), -1);
}

static void test_orthographies(void **state)
{
    (void)state;
    static const struct {
        const char *word;
        names_ortho first;
        int count;
    } cases[] = {
        {"сморавинский", NAMES_RUSSIAN, 1},
        {"сморавінський", NAMES_UKRAINIAN, 1},
        {"ґудзь", NAMES_UKRAINIAN, 1},
        {"станіслаў", NAMES_BELARUSIAN, 1},
        {"раманоўскі", NAMES_BELARUSIAN, 1},
        {"smorawiński", NAMES_POLISH, 1},
        {"žukovskij", NAMES_ISO9, 1},
        {"smoravinskiy", NAMES_POLISH, 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        names_ortho o[4];
        int n = names_orthographies(cases[i].word, strlen(cases[i].word), o, 4);
        assert_int_equal(n, cases[i].count);
        assert_int_equal(o[0], cases[i].first);
    }
}

static void test_pivot_examples(void **state)
{
    (void)state;
    static const char *cases[][2] = {
        {"Szczepański", "SCepanski"},
        {"Щепанский", "SCepanski"},
        {"Dąbrowski", "dombrovski"},
        {"Домбровский", "dombrovski"},
        {"Józef", "juzef"},
        {"Юзеф", "juzef"},
        {"Сморави\xcc\x81нский", "smoravinski"},
        {"Ольшина-Вильчинский", "olSyna-vilCynski"},
        {"Świątek", "svontek"},
        {"Свёнтек", "svontek"},
        {"Wiesław", "veslav"},
        {"Веслав", "veslav"},
        {"Гнатюк", "gnatuk"},
        {"Гнатюк", "gnatuk"},
        {"Ярош", "jaroS"},
        {"Kossak", "kosak"},             /* doubled letters collapse */
        /* a soft r is written ri + vowel in Polish, я ю after р in Russian;
         * other consonants' softness is not written on either side */
        {"Kriuk", "krjuk"},
        {"Крюк", "krjuk"},
        {"Рябинин", "rjabinin"},
        {"Kruk", "kruk"},
        {"Крук", "kruk"},
        {"Любич", "lubiC"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        assert_true(names_pivot(cases[i][0], 0, out, sizeof out) >= 0);
        if (strcmp(out, cases[i][1]) != 0)
            fail_msg("%s reads \"%s\", expected \"%s\"", cases[i][0], out, cases[i][1]);
    }
    /* Ukrainian г is h, Russian г is g: the same letters read differently */
    names_word w;
    names_word_read("Гнатюк", 0, &w);
    assert_string_equal(w.read[0].ph, "gnatuk");
    names_word_read("Гнатюкі", 0, &w);   /* і: Ukrainian */
    assert_int_equal(w.read[0].ortho, NAMES_UKRAINIAN);
    assert_int_equal(w.read[0].ph[0], 'h');
}

/* names_pivot is the first reading names_word_read keeps, also when the
 * most plausible orthography reads nothing: "Ï" has no Polish reading and
 * once pivoted to "" while its word read "j" in French (found by fuzzing). */
static void test_pivot_is_first_reading(void **state)
{
    (void)state;
    static const char *words[] = {
        "\xc3\x8f", "\xc3\xaf", "Szczepański", "Щепанский", "Kossak", "Chmiel",
        "Гнатюкі", "Łozowski", "Müller", "\xc3\x8fx",
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        names_word w;
        char out[NAMES_PIVOT_MAX + 1];
        int nr = names_word_read(words[i], 0, &w);
        int n = names_pivot(words[i], 0, out, sizeof out);
        assert_true(nr > 0);
        if (n != w.read[0].len || strcmp(out, w.read[0].ph) != 0)
            fail_msg("%s: pivot \"%s\", first reading \"%s\"", words[i], out, w.read[0].ph);
    }
}

/* An ASCII word is read in every plausible way: "ch" is х in Polish and ч
 * in English, and both readings are kept. */
static void test_ascii_readings(void **state)
{
    (void)state;
    names_word w;
    assert_true(names_word_read("Chmielewski", 0, &w) >= 2);
    int has_x = 0, has_C = 0;
    for (int i = 0; i < w.nread; i++) {
        has_x |= w.read[i].ph[0] == 'x';
        has_C |= w.read[i].ph[0] == 'C';
    }
    assert_true(has_x);
    assert_true(has_C);
    /* readings are distinct */
    for (int i = 0; i < w.nread; i++)
        for (int j = i + 1; j < w.nread; j++)
            assert_string_not_equal(w.read[i].ph, w.read[j].ph);
    /* and every reading records where its phonemes came from */
    names_word_read("Szczepański", 0, &w);
    assert_int_equal(w.read[0].ph[0], 'S');
    assert_int_equal(w.read[0].src_off[0], 0);
    assert_int_equal(w.read[0].src_len[0], 4);   /* "szcz" */
}

static void test_same_name(void **state)
{
    (void)state;
    int n;
    row *rows = read_tsv("tests/data/names/same_name.tsv", &n);
    assert_true(n >= 50);
    int bad = 0;
    for (int i = 0; i < n; i++) {
        const char *a = rows[i].col[0], *b = rows[i].col[1];
        double s = similarity(a, b);
        int k = share_key(a, b);
        if (s < 0.85 || !k) {
            printf("  line %d: %s / %s (%s): similarity %.3f%s\n", rows[i].line, a, b,
                   rows[i].ncol > 2 ? rows[i].col[2] : "", s, k ? "" : ", no shared key");
            bad++;
        }
        /* symmetric */
        assert_true(similarity(b, a) > s - 1e-9 && similarity(b, a) < s + 1e-9);
    }
    free_rows(rows, n);
    if (bad)
        fail_msg("%d pairs of one name read apart", bad);
}

static void test_near_miss(void **state)
{
    (void)state;
    int n;
    row *rows = read_tsv("tests/data/names/near_miss.tsv", &n);
    assert_true(n >= 15);
    int bad = 0;
    for (int i = 0; i < n; i++) {
        double same = similarity(rows[i].col[0], rows[i].col[1]);
        double other = similarity(rows[i].col[0], rows[i].col[2]);
        if (!(same > other)) {
            printf("  line %d: %s: %s %.3f is not above %s %.3f\n", rows[i].line,
                   rows[i].col[0], rows[i].col[1], same, rows[i].col[2], other);
            bad++;
        }
    }
    free_rows(rows, n);
    if (bad)
        fail_msg("%d near misses read closer than the true name", bad);
}

static void test_different(void **state)
{
    (void)state;
    int n;
    row *rows = read_tsv("tests/data/names/different.tsv", &n);
    assert_true(n >= 8);
    for (int i = 0; i < n; i++) {
        double s = similarity(rows[i].col[0], rows[i].col[1]);
        if (s >= 0.7)
            fail_msg("line %d: %s / %s read alike (%.3f)", rows[i].line, rows[i].col[0],
                     rows[i].col[1], s);
    }
    free_rows(rows, n);
}

/* The costs come from data/rules/confusions.tsv. */
static void test_costs(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        double d;
    } cases[] = {
        {"kowalski", "kowalski", 0.0},
        {"dab", "dap", 0.3},          /* final devoicing */
        {"vyl", "vil", 0.15},         /* ы / и */
        {"Zuk", "Suk", 0.3},          /* rz → ш */
        {"marjan", "maran", 0.25},    /* j comes and goes */
        {"prZybylski", "pZybylski", 0.5}, /* рж */
        {"kowalski", "kowlaski", 0.5},    /* neighbours swapped */
        {"kowalski", "kowalsky", 0.15},
        {"kruk", "kruq", 1.0},        /* anything else: 1 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double d = names_distance(cases[i].a, strlen(cases[i].a), cases[i].b, strlen(cases[i].b));
        if (d < cases[i].d - 1e-9 || d > cases[i].d + 1e-9)
            fail_msg("%s / %s: distance %.3f, expected %.3f", cases[i].a, cases[i].b, d, cases[i].d);
    }
    /* the bounded form agrees below the bound and exceeds it above */
    assert_true(names_distance_within("kowalski", 8, "nowak", 5, 0.5) > 0.5);
    assert_true(names_distance_within("dab", 3, "dap", 3, 0.5) < 0.31);
}

/* Keys: a dropped, doubled, changed or swapped letter still meets. */
static void test_keys_tolerance(void **state)
{
    (void)state;
    static const char *cases[][2] = {
        {"Kowalczyk", "Kowalczk"},     /* dropped letter */
        {"Kowalczyk", "Kowalcyzk"},    /* swapped letters */
        {"Kowalczyk", "Kowalszyk"},    /* changed letter */
        {"Kowalczyk", "Kowallczyk"},   /* doubled letter */
        {"Romanowski", "Romanowsky"},
        {"Łukoski", "Луковский"},      /* -оский written -овский */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (!share_key(cases[i][0], cases[i][1]))
            fail_msg("%s and %s share no key", cases[i][0], cases[i][1]);
    /* and the skeleton is what the header says */
    char sk[NAMES_SKELETON_MAX + 1];
    names_skeleton("prZybylski", 10, sk, sizeof sk);
    char sk2[NAMES_SKELETON_MAX + 1];
    names_skeleton("pSybylski", 9, sk2, sizeof sk2);
    assert_string_equal(sk, sk2);                  /* rz = рж = ш */
    uint64_t k[NAMES_KEYS_MAX];
    assert_int_equal(names_keys("KRK", 3, k), 1);  /* short: no deletions */
    assert_true(names_keys("KAFALCEK", 8, k) > 1);
}

/* Arbitrary bytes and arbitrary code points never crash the reader and
 * always leave NUL-terminated, bounded output (run under ASan in CI). */
static void test_garbage(void **state)
{
    (void)state;
    uint64_t st = 0x9E3779B97F4A7C15ULL;
    char in[300];
    for (int round = 0; round < 20000; round++) {
        size_t n = 0, len = 1 + (size_t)(round % 120);
        while (n < len) {
            st ^= st << 13; st ^= st >> 7; st ^= st << 17;
            if (round % 2) {
                in[n++] = (char)(st & 0xFF);      /* raw bytes */
            } else {
                /* well-formed UTF-8 of code points from the scripts of names */
                static const uint32_t base[] = {0x20, 0xC0, 0x100, 0x300, 0x400, 0x2010, 0x1E00};
                uint32_t cp = base[st % 7] + (uint32_t)((st >> 8) % 0x80);
                if (cp < 0x80) {
                    in[n++] = (char)cp;
                } else if (cp < 0x800 && n + 2 <= sizeof in) {
                    in[n++] = (char)(0xC0 | (cp >> 6));
                    in[n++] = (char)(0x80 | (cp & 0x3F));
                } else if (n + 3 <= sizeof in) {
                    in[n++] = (char)(0xE0 | (cp >> 12));
                    in[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    in[n++] = (char)(0x80 | (cp & 0x3F));
                } else {
                    break;
                }
            }
        }
        char out[NAMES_TEXT_MAX];
        int k = names_normalize(in, n, out, sizeof out);
        if (k >= 0)
            assert_int_equal(strlen(out), (size_t)k);
        names_word w;
        int r = names_word_read(in, n, &w);
        assert_true(r >= 0 && r <= NAMES_READINGS_MAX);
        for (int i = 0; i < r; i++) {
            assert_true(w.read[i].len <= NAMES_PIVOT_MAX);
            assert_int_equal(strlen(w.read[i].ph), w.read[i].len);
            char sk[NAMES_SKELETON_MAX + 1];
            uint64_t keys[NAMES_KEYS_MAX];
            int sl = names_skeleton(w.read[i].ph, w.read[i].len, sk, sizeof sk);
            assert_true(sl >= 0 && sl <= NAMES_SKELETON_MAX);
            assert_true(names_keys(sk, (size_t)sl, keys) >= 1);
        }
        in[n < sizeof in ? n : sizeof in - 1] = '\0';
        uint16_t cls[NAMES_CLASSES_MAX];
        names_given_classes(in, strlen(in), NAMES_FORM_ANY, cls);
        names_father_classes(in, strlen(in), cls);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_loaded),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_orthographies),
        cmocka_unit_test(test_pivot_examples),
        cmocka_unit_test(test_pivot_is_first_reading),
        cmocka_unit_test(test_ascii_readings),
        cmocka_unit_test(test_same_name),
        cmocka_unit_test(test_near_miss),
        cmocka_unit_test(test_different),
        cmocka_unit_test(test_costs),
        cmocka_unit_test(test_keys_tolerance),
        cmocka_unit_test(test_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
