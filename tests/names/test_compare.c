/*
 * test_compare.c — given-name classes, fathers (patronymic and genitive),
 * splitting a whole name, and the comparison of a query with a record: the
 * order of evidence (a matching given name above a missing one above a
 * conflicting one; the same for fathers and years), swapped word order,
 * initials, double surnames, and the explanation lines.
 * Tables: tests/data/names/given_classes.tsv, fathers.tsv.
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

/* Calls fn(word, expected) for each row of a two-column TSV table. */
static int each_row(const char *path, void (*fn)(const char *, const char *, int, int *), int *bad)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char buf[512];
    int line = 0, header = 1, n = 0;
    while (fgets(buf, sizeof buf, f)) {
        line++;
        buf[strcspn(buf, "\r\n")] = '\0';
        if (!buf[0] || buf[0] == '#')
            continue;
        if (header) {
            header = 0;
            continue;
        }
        char *tab = strchr(buf, '\t');
        assert_non_null(tab);
        *tab = '\0';
        fn(buf, tab + 1, line, bad);
        n++;
    }
    fclose(f);
    return n;
}

static int has_label(const uint16_t *cls, int n, const char *label)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names_class_label(cls[i]), label) == 0)
            return 1;
    return 0;
}

static void check_given(const char *word, const char *label, int line, int *bad)
{
    uint16_t cls[NAMES_CLASSES_MAX];
    int n = names_given_classes(word, 0, NAMES_FORM_GIVEN, cls);
    if (!has_label(cls, n, label)) {
        printf("  line %d: %s is not in the class of %s (%d classes%s%s)\n", line, word, label,
               n, n ? ", first " : "", n ? names_class_label(cls[0]) : "");
        (*bad)++;
    }
}

static void check_father(const char *word, const char *label, int line, int *bad)
{
    uint16_t cls[NAMES_CLASSES_MAX];
    int n = names_father_classes(word, 0, cls);
    if (!has_label(cls, n, label)) {
        printf("  line %d: %s does not name %s as the father\n", line, word, label);
        (*bad)++;
    }
}

static void test_table_loaded(void **state)
{
    (void)state;
    assert_true(names_class_count() >= 100);
    assert_string_equal(names_class_label((uint16_t)names_given_class("Adam")), "Adam");
    assert_string_equal(names_class_label(60000), "");
}

static void test_given_classes(void **state)
{
    (void)state;
    int bad = 0;
    int n = each_row("tests/data/names/given_classes.tsv", check_given, &bad);
    assert_true(n >= 40);
    if (bad)
        fail_msg("%d given names in the wrong class", bad);
    /* not a given name */
    assert_int_equal(names_given_class("Smorawiński"), -1);
    /* a genitive is not a nominative: "Jana" names a father, not a man */
    uint16_t cls[NAMES_CLASSES_MAX];
    assert_int_equal(names_given_classes("Antoniego", 0, NAMES_FORM_GIVEN, cls), 0);
    assert_true(names_given_classes("Antoniego", 0, NAMES_FORM_GENITIVE, cls) > 0);
    /* different names are different classes */
    assert_int_not_equal(names_given_class("Józef"), names_given_class("Jan"));
    assert_int_not_equal(names_given_class("Иосиф"), names_given_class("Иван"));
}

static void test_fathers(void **state)
{
    (void)state;
    int bad = 0;
    int n = each_row("tests/data/names/fathers.tsv", check_father, &bad);
    assert_true(n >= 30);
    if (bad)
        fail_msg("%d fathers not recognised", bad);
    assert_true(names_is_patronymic("Янович", 0));
    assert_true(names_is_patronymic("Станиславовна", 0));
    assert_false(names_is_patronymic("Smorawiński", 0));
    assert_false(names_is_patronymic("Ич", 0));
}

static void test_split_whole(void **state)
{
    (void)state;
    static const char *cases[][4] = {
        /* whole, surname, given, patronymic */
        {"Крон Арнольд Фрицевич", "Крон", "Арнольд", "Фрицевич"},
        {"Бенашевский Мечислав Станиславович", "Бенашевский", "Мечислав", "Станиславович"},
        {"Jan Kowalski", "Kowalski", "Jan", ""},
        {"Kowalski Jan", "Kowalski", "Jan", ""},
        {"Smorawiński Mieczysław Makary", "Smorawiński", "Mieczysław Makary", ""},
        {"Сморавинский", "Сморавинский", "", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        names_split sp;
        names_split_whole(cases[i][0], &sp);
        char s[128], g[128], p[128];
        snprintf(s, sizeof s, "%.*s", (int)sp.surname_len, sp.surname ? sp.surname : "");
        snprintf(g, sizeof g, "%.*s", (int)sp.given_len, sp.given ? sp.given : "");
        snprintf(p, sizeof p, "%.*s", (int)sp.patronymic_len, sp.patronymic ? sp.patronymic : "");
        assert_string_equal(s, cases[i][1]);
        assert_string_equal(g, cases[i][2]);
        assert_string_equal(p, cases[i][3]);
    }
}

static names_person *person(const char *surname, const char *given, const char *patronymic,
                            const char *father, int year)
{
    static names_person p[8];
    static int next;
    names_person *r = &p[next++ % 8];
    names_person_from_fields(r, surname, given, patronymic, father, NULL, year, NULL);
    return r;
}

static double score(const char *query, const names_person *rec)
{
    names_result res;
    return names_compare_text(query, rec, &res);
}

/* A matching given name beats a missing one, which beats a conflicting one
 * (NAMES.md: a source that gives only the surname must not lose to one
 * that names another man). */
static void test_given_evidence(void **state)
{
    (void)state;
    const char *q = "Mieczysław Smorawiński";
    double match = score(q, person("Сморавинский", "Мечислав", NULL, NULL, 0));
    double missing = score(q, person("Сморавинский", NULL, NULL, NULL, 0));
    double conflict = score(q, person("Сморавинский", "Иван", NULL, NULL, 0));
    assert_true(match > missing);
    assert_true(missing > conflict);
    assert_true(match > 0.95);
    /* Russified forms are the same name */
    double russified = score("Józef Olszyna-Wilczyński", person("Ольшина-Вильчинский", "Иосиф", NULL, NULL, 0));
    assert_true(russified > 0.95);
    /* a one-letter surname difference with the right given name still
     * loses to the exact surname with no given name */
    double near = score("Aleksander Kowalewski", person("Коваленский", "Александр", NULL, NULL, 0));
    double exact_only = score("Aleksander Kowalewski", person("Ковалевский", NULL, NULL, NULL, 0));
    assert_true(exact_only > near);
}

static void test_order_and_initials(void **state)
{
    (void)state;
    names_person *rec = person("Сморавинский", "Мечислав", "Янович", NULL, 1893);
    double a = score("Mieczysław Smorawiński", rec);
    double b = score("Smorawiński Mieczysław", rec);
    assert_true(a > b - 1e-9 && a < b + 1e-9);
    double init_ok = score("M. Smorawiński", rec);
    double init_bad = score("J. Smorawiński", rec);
    assert_true(init_ok > init_bad);
    /* an initial that fits none of his names weighs as a given name that
     * does not: no more than "Jan" for Мечислав */
    double given_bad = score("Jan Smorawiński", rec);
    assert_true(init_bad <= given_bad + 1e-9);
    /* a Polish C., S., R. may begin a digraph: C. is Czesław (Чеслав) */
    assert_true(score("C. Rama", person("Рама", "Чеслав", NULL, NULL, 0)) > 0.95);
    assert_true(score("S. Szymański", person("Шиманский", "Шимон", NULL, NULL, 0)) > 0.95);
    /* a name's initial as its forms are most plausibly read: Vaclav read
     * as German is "faclaf", which does not make F. an initial of Wacław */
    names_person *w = person("Янковский", "Вацлав", NULL, NULL, 0);
    assert_true(score("W. Jankowski", w) > score("F. Jankowski", w) + 0.2);
}

static void test_father_and_year(void **state)
{
    (void)state;
    names_person *jan = person("Сморавинский", "Мечислав", "Янович", NULL, 1893);
    names_person *piotr = person("Сморавинский", "Мечислав", "Петрович", NULL, 1893);
    names_person *none = person("Сморавинский", "Мечислав", NULL, NULL, 1893);
    const char *q = "Mieczysław Smorawiński s. Jana";
    assert_true(score(q, jan) > score(q, none));
    assert_true(score(q, none) > score(q, piotr));
    /* a patronymic left in the given-names column still names the father */
    names_person *inline_pat = person("Сморавинский", "Мечислав Янович", NULL, NULL, 1893);
    assert_int_equal(inline_pat->ngiven, 1);
    assert_true(inline_pat->has_father);
    assert_true(score(q, inline_pat) > score(q, none));
    /* Polish genitive in a record against a patronymic in the query */
    names_person *pl = person("Smorawiński", "Mieczysław", NULL, "Jana", 1893);
    assert_true(score("Сморавинский Мечислав Янович", pl) > 0.95);

    const char *qy = "Smorawiński 1893";
    double y0 = score(qy, person("Сморавинский", NULL, NULL, NULL, 1893));
    double y1 = score(qy, person("Сморавинский", NULL, NULL, NULL, 1894));
    double y2 = score(qy, person("Сморавинский", NULL, NULL, NULL, 1895));
    double yfar = score(qy, person("Сморавинский", NULL, NULL, NULL, 1920));
    double ynone = score(qy, person("Сморавинский", NULL, NULL, NULL, 0));
    assert_true(y0 > y1 && y1 > y2 && y2 > yfar);
    assert_true(ynone > yfar);
}

static void test_double_surname(void **state)
{
    (void)state;
    names_person *whole = person("Ольшина-Вильчинский", "Юзеф", NULL, NULL, 1890);
    names_person *part = person("Вильчинский", "Юзеф", NULL, NULL, 1890);
    assert_true(score("Olszyna-Wilczyński", whole) > 0.95);
    assert_true(score("Olschina-Wiltschinski", whole) > 0.95);
    /* the second part lost in the record, or in the query */
    assert_true(score("Olszyna-Wilczyński Józef", part) > 0.85);
    assert_true(score("Wilczyński Józef", whole) > 0.85);
    /* but a different man with one shared part scores lower */
    names_person *other = person("Ольшина-Вильчинский", "Юзеф", NULL, NULL, 1890);
    assert_true(score("Bielczyński Józef", other) < score("Wilczyński Józef", other));
}

/* A camp or execution site in the query: the camp's records a little higher. */
static void test_camp(void **state)
{
    (void)state;
    names_person *koz = person("Сморавинский", "Мечислав", NULL, NULL, 1893);
    koz->camp = "kozelsk";
    names_person *star = person("Сморавинский", "Мечислав", NULL, NULL, 1893);
    star->camp = "starobelsk";
    names_person *none = person("Сморавинский", "Мечислав", NULL, NULL, 1893);
    assert_true(score("Smorawiński Kozielsk", koz) > score("Smorawiński Kozielsk", star));
    /* Katyń was where Kozielsk's prisoners were shot */
    assert_true(score("Smorawiński Katyń", koz) > score("Smorawiński Katyń", star));
    /* a record without a camp is neither helped nor hurt */
    double a = score("Smorawiński Kozielsk", none), b = score("Smorawiński", none);
    assert_true(a > b - 1e-9 && a < b + 1e-9);
}

static int has_line(const names_result *r, const char *text)
{
    for (int i = 0; i < r->nwhy; i++)
        if (strstr(r->why[i], text))
            return 1;
    return 0;
}

static void dump(const names_result *r)
{
    for (int i = 0; i < r->nwhy; i++)
        printf("    why: %s\n", r->why[i]);
}

static void test_explanation(void **state)
{
    (void)state;
    names_result r;
    names_compare_text("Mieczysław Smorawiński s. Jana 1893",
                       person("Сморавинский", "Мечислав", "Янович", NULL, 1893), &r);
    dump(&r);
    assert_true(has_line(&r, "Сморавинский"));
    assert_true(has_line(&r, "ń→н"));
    assert_true(has_line(&r, "w→в"));
    assert_true(has_line(&r, "Мечислав = Mieczysław"));
    assert_true(has_line(&r, "father Jan = Янович"));
    assert_true(has_line(&r, "born 1893 = 1893"));
    assert_true(r.score > 0.95);

    names_compare_text("Smoravinskiy 1895", person("Сморавинский", "Мечислав", NULL, NULL, 1893), &r);
    dump(&r);
    assert_true(has_line(&r, "born 1895"));
    assert_true(has_line(&r, "2 years apart"));

    names_compare_text("Józef Kowalski", person("Ковальский", "Иван", NULL, NULL, 0), &r);
    dump(&r);
    assert_true(has_line(&r, "Иван \xe2\x89\xa0 Józef"));   /* ≠ */

    /* the Polish form stripped of its diacritics is the same name */
    names_compare_text("Ordonowna", person("Ordonówna", NULL, NULL, NULL, 0), &r);
    dump(&r);
    assert_true(r.score > 0.999);
    assert_true(has_line(&r, "Ordonówna = Ordonowna"));

    /* letters spelled alike are not listed */
    names_compare_text("Olszyna-Wilczynski", person("Olszyna-Wilczyński", NULL, NULL, NULL, 0), &r);
    dump(&r);
    assert_true(has_line(&r, "n→ń"));
    assert_false(has_line(&r, "sz→sz"));

    names_compare_text("Przybylski", person("Пржибыльский", NULL, NULL, NULL, 0), &r);
    dump(&r);
    assert_true(has_line(&r, "rz→рж"));
}

/* What the reading rules do not explain is said as forgiven, and nothing
 * is said when the spelling is the name's own. */
static void test_forgiven(void **state)
{
    (void)state;
    static const struct {
        const char *query, *surname, *said;   /* said NULL: no "forgiven" */
    } cases[] = {
        {"Smorawiski", "Сморавинский", "forgiven: one letter dropped"},
        {"Smorawiski", "Smorawiński", "forgiven: one letter dropped"},
        {"Smoraswinski", "Smorawiński", "forgiven: one letter added"},
        {"Smorawinnski", "Smorawiński", NULL},   /* doubled: read as one */
        {"Smroawinski", "Сморавинский", "forgiven: two letters swapped"},
        {"Kozielcwski", "Козелевский", "forgiven: one letter mistyped or misread"},
        {"Smorawinski", "Сморавинский", NULL},
        {"Benaszewski", "Бенашевский", NULL},
        {"Przybylski", "Пржибыльский", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        names_result r;
        names_compare_text(cases[i].query, person(cases[i].surname, NULL, NULL, NULL, 0), &r);
        dump(&r);
        if (cases[i].said)
            assert_true(has_line(&r, cases[i].said));
        else
            assert_false(has_line(&r, "forgiven"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_loaded),
        cmocka_unit_test(test_given_classes),
        cmocka_unit_test(test_fathers),
        cmocka_unit_test(test_split_whole),
        cmocka_unit_test(test_given_evidence),
        cmocka_unit_test(test_order_and_initials),
        cmocka_unit_test(test_father_and_year),
        cmocka_unit_test(test_double_surname),
        cmocka_unit_test(test_camp),
        cmocka_unit_test(test_explanation),
        cmocka_unit_test(test_forgiven),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
