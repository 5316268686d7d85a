/*
 * test_year.c — names_find_birth_year(): a table of texts and the year of
 * birth each states (0 = none), with the span of text that stated it, plus
 * the whole Memorial list, whose BIO column states every birth year.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "names/year.h"

typedef struct year_case {
    const char *text;
    int year;
    const char *span; /* the text the span covers, NULL = not checked */
} year_case;

static const year_case cases[] = {
    /* Marked years, as sources write them. */
    {"род. 1884, Лифляндская губ. (Пальцамская волость)", 1884, "род. 1884"},
    {"Род. 1884", 1884, "Род. 1884"},
    {"ur. 1893", 1893, "ur. 1893"},
    {"ur. 25 XII 1893 we Lwowie", 1893, "ur. 25 XII 1893"},
    {"ur. 25 grudnia 1893 r.", 1893, "ur. 25 grudnia 1893 r."},
    {"ur. w 1893 r. w Krakowie", 1893, "ur. w 1893 r."},
    {"Kowalski Stanisław 1893 г.р.", 1893, "1893 г.р."},
    {"Ковальский Станислав, 1893 г. р., капитан", 1893, "1893 г. р."},
    {"1893 года рождения", 1893, "1893 года рождения"},
    {"р. 1893", 1893, "р. 1893"},
    {"b. 1893", 1893, "b. 1893"},
    {"born 1893 in Lwów", 1893, "born 1893"},
    {"born March 12, 1893", 1893, "born March 12, 1893"},
    {"родился 5 мая 1902 г. в Вильно", 1902, "родился 5 мая 1902 г."},
    {"род. 11.02.1872 (по другим данным - 1870), в Кременце", 1872, "род. 11.02.1872"},
    {"род. в сентябре 1895, в Бердичеве", 1895, "род. в сентябре 1895"},
    {"род. 3 декабря (по другим данным - февраля) 1914, в Луганске", 1914, NULL},
    {"ur. 5 ХII 1899", 1899, NULL}, /* Cyrillic Х for the Roman ten */
    {"rocznik 1910", 1910, "rocznik 1910"},
    {"1905 r. ur.", 1905, "1905 r. ur."},
    {"geb. 1.4.1890 in Posen", 1890, "geb. 1.4.1890"},
    {"*1898", 1898, "*1898"},
    {"s. Jana, ur. 1900 r. w Krakowie", 1900, "ur. 1900 r."},
    {"ppor. rez., ur. 12.03.1905", 1905, "ur. 12.03.1905"},
    {"urodzony 5 marca 1899 r.", 1899, "urodzony 5 marca 1899 r."},
    {"zam. Łódź, ul. Piotrkowska 120, ur. 1898", 1898, "ur. 1898"},
    {"b. Mar 3, 1898", 1898, "b. Mar 3, 1898"},
    {"род. 1.1.1900 г.", 1900, "род. 1.1.1900 г."},
    {"1898 г. р., уроженец г. Вильно", 1898, "1898 г. р."},
    {"арестован 1937, род. 1890", 1890, "род. 1890"},
    {"Гражданин 1893 года рождения", 1893, "1893 года рождения"},
    {"ur. ok. 1890", 1890, "ur. ok. 1890"},
    {"born c. 1890", 1890, "born c. 1890"},
    {"род. в 1895 г.", 1895, "род. в 1895 г."},
    /* A bare date or year that is the only plausible one. */
    {"Kowalski Jan, 1893 r.", 1893, "1893 r."},
    {"Иванов 1893, в 1937 арестован", 1893, "1893"},
    {"25.12.1893", 1893, "25.12.1893"},
    {"Kowalski Jan 1905 Lwów", 1905, "1905"},
    {"Бенашевский Мечислав 1899", 1899, "1899"},
    {"1893 1893", 1893, NULL},
    /* Marked years win over bare ones and over other dates. */
    {"zm. 1940, ur. 1905", 1905, "ur. 1905"},
    {"1910, род. 1884", 1884, "род. 1884"},
    {"род. 1884, Адрес: ул. Ленина. Рассстрелян 17.05.1938.", 1884, "род. 1884"},
    {"Расстрелян 17.05.1938, 1890", 1890, "1890"},
    /* Negatives: a death date is not a birth year; nothing; ambiguity. */
    {"Рассстрелян 17.05.1938", 0, NULL},
    {"Расстрелян в апреле 1940 г.", 0, NULL},
    {"zm. 1940", 0, NULL},
    {"zamordowany w Katyniu w kwietniu 1940", 0, NULL},
    {"died 1940", 0, NULL},
    {"арестован 12.10.1937", 0, NULL},
    {"Kowalski, w 1940 r. zamordowany", 0, NULL},
    {"исключен из ВКП(б) в 1935 г.", 0, NULL},
    {"in 1940", 0, NULL},
    {"", 0, NULL},
    {"Kowalski Stanisław", 0, NULL},
    {"1893-1940", 0, NULL},
    {"Kowalski 1899 or 1901", 0, NULL},
    {"12345", 0, NULL},
    {"ul. Długa 1800", 0, NULL},           /* outside the bare range */
    {"tel. 2024", 0, NULL},
    {"urban 1893 1894", 0, NULL},          /* "ur" only as a whole word */
    {"родом из Варшавы, 1893 1901", 0, NULL},
    {"гр. Иванов, 1893, 1901", 0, NULL},
    {"ur. Lwów", 0, NULL},
    {"\xff\xfe ur. \xc3", 0, NULL},        /* invalid UTF-8 is survived */
};

static void test_year_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const year_case *c = &cases[i];
        size_t span[2] = {0, 0};
        int y = names_find_birth_year(c->text, span);
        if (y != c->year) {
            print_error("%s: got %d, want %d\n", c->text, y, c->year);
            failures++;
            continue;
        }
        if (y && c->span) {
            size_t len = strlen(c->span);
            if (span[1] < span[0] || span[1] > strlen(c->text) ||
                span[1] - span[0] != len || memcmp(c->text + span[0], c->span, len)) {
                print_error("%s: span [%zu,%zu) '%.*s', want '%s'\n", c->text,
                            span[0], span[1], (int)(span[1] - span[0]),
                            c->text + span[0], c->span);
                failures++;
            }
        }
        /* Without a span the answer is the same. */
        assert_int_equal(names_find_birth_year(c->text, NULL), y);
    }
    assert_int_equal(failures, 0);
}

static void test_year_null(void **state)
{
    (void)state;
    assert_int_equal(names_find_birth_year(NULL, NULL), 0);
}

/* The Memorial BIO column: every text begins with "род."; all but none may be
 * missed, and each year found must be the one the marker states. */
static void test_year_memorial_bios(void **state)
{
    (void)state;
    FILE *f = fopen("tests/data/memorial/moscow_shot_1937_1941.csv", "rb");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0;
    long rows = 0, found = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        if (rows++ == 0)
            continue; /* header */
        /* Search the row text after the name: NAME then BIO. */
        int y = names_find_birth_year(line, NULL);
        char *rod = strstr(line, "род.");
        if (y) {
            found++;
            /* The year found is the first year after "род.". */
            assert_non_null(rod);
            const char *p = rod;
            while (*p && !(p[0] >= '1' && p[0] <= '2' && p[1] >= '0' && p[1] <= '9' &&
                           p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' &&
                           !(p[4] >= '0' && p[4] <= '9')))
                p++;
            assert_int_equal(y, atoi(p));
        }
    }
    free(line);
    fclose(f);
    rows--;
    print_message("memorial: %ld of %ld rows give a year of birth\n", found, rows);
    assert_int_equal(rows, 5232);
    assert_int_equal(found, rows);
}

/* Random texts made of markers, digits, dates and invalid bytes: never a
 * crash, a year only in range, a span inside the text that holds the year. */
static void test_year_random_texts(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "род.", "ur.", "р.", "г.р.", " ", ",", ".", "1893", "1940", "25", "XII", "(", ")",
        "Расстрелян", "zm.", "b.", "*", "в", "мая", "\xC3", "\xFF", "18", "9", "-", "г.",
    };
    unsigned seed = 7;
    for (int round = 0; round < 20000; round++) {
        char text[256] = "";
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        for (unsigned k = (seed >> 16) % 12; k > 0; k--) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)];
            size_t l = strlen(p);
            if (n + l >= sizeof text)
                break;
            memcpy(text + n, p, l + 1);
            n += l;
        }
        size_t span[2] = {99999, 99999};
        int y = names_find_birth_year(text, span);
        if (!y)
            continue;
        assert_true(y >= 1800 && y <= 2029);
        assert_true(span[0] < span[1] && span[1] <= n);
        char ys[8];
        snprintf(ys, sizeof ys, "%d", y);
        char cut[256];
        memcpy(cut, text + span[0], span[1] - span[0]);
        cut[span[1] - span[0]] = '\0';
        if (!strstr(cut, ys))
            fail_msg("'%s': year %d, span '%s'", text, y, cut);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_year_table),
        cmocka_unit_test(test_year_null),
        cmocka_unit_test(test_year_random_texts),
        cmocka_unit_test(test_year_memorial_bios),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
