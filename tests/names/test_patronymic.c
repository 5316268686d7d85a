/*
 * test_patronymic.c — the given-name table (data/names/given_names.tsv) is
 * well formed and covers what NAMES.md requires; patronymics and Polish
 * genitives lead back to the father's given name, for every row of the table
 * and for the cases in tests/data/names/patronymic_*.tsv.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "names/patronymic.h"
#include "names/query.h"
#include "names/textfold.h"
#include "store/csv.h"
#include "names_test_tsv.h"

#define TABLE "data/names/given_names.tsv"

enum { C_POLISH, C_GENITIVE, C_RUSSIAN, C_UKRAINIAN, C_LATIN, C_PATRONYMIC };
static const char *const required_header[] = {
    "polish", "genitive", "russian", "ukrainian", "latin", "patronymic_ru",
};

static void fold(const char *s, char *out, size_t cap)
{
    if (names_fold(s, strlen(s), out, cap, NAMES_FOLD_EXACT) < 0)
        out[0] = '\0';
}

/* Splits a ';' cell into forms (in place); returns the count. */
static int split_forms(char *cell, char **forms, int max)
{
    int n = 0;
    for (char *save = NULL, *f = strtok_r(cell, ";", &save); f && n < max;
         f = strtok_r(NULL, ";", &save))
        forms[n++] = f;
    return n;
}

/* 1 when word (folded) equals one of the forms of cell. */
static int cell_has(const char *cell, const char *word)
{
    char copy[2048], w[256], f[256];
    char *forms[32];
    snprintf(copy, sizeof copy, "%s", cell);
    fold(word, w, sizeof w);
    int n = split_forms(copy, forms, 32);
    for (int i = 0; i < n; i++) {
        fold(forms[i], f, sizeof f);
        if (strcmp(f, w) == 0)
            return 1;
    }
    return 0;
}

static int col_index(const tsv_row *header, const char *name)
{
    for (int i = 0; i < header->n; i++)
        if (strcmp(header->f[i], name) == 0)
            return i;
    return -1;
}

static void table_is_well_formed(void **state)
{
    (void)state;
    tsv_table t;
    assert_int_equal(tsv_load(TABLE, &t), 0);
    assert_true(t.n > 1);
    const tsv_row *h = &t.rows[0];
    for (int i = 0; i < 6; i++)
        assert_string_equal(h->f[i], required_header[i]);
    int sex = col_index(h, "sex");
    assert_true(sex >= 0);

    int male = 0, male_with_patronymic = 0, female = 0;
    char seen[1024][96];
    int n_seen = 0;
    for (int r = 1; r < t.n; r++) {
        const tsv_row *row = &t.rows[r];
        if (row->n != h->n)
            fail_msg("line %d: %d columns, header has %d", row->lineno, row->n, h->n);
        if (!row->f[C_POLISH][0])
            fail_msg("line %d: empty Polish form", row->lineno);
        for (int c = 0; c < row->n; c++) {
            const char *cell = row->f[c];
            size_t len = strlen(cell);
            if (strstr(cell, ";;") || (len && (cell[0] == ';' || cell[len - 1] == ';')))
                fail_msg("line %d column %s: empty form in \"%s\"", row->lineno, h->f[c], cell);
        }
        /* Polish forms are unique over the whole table. */
        char copy[512];
        char *forms[16];
        snprintf(copy, sizeof copy, "%s", row->f[C_POLISH]);
        int nf = split_forms(copy, forms, 16);
        for (int i = 0; i < nf; i++) {
            char f[96];
            fold(forms[i], f, sizeof f);
            for (int k = 0; k < n_seen; k++)
                if (strcmp(seen[k], f) == 0)
                    fail_msg("line %d: Polish form %s appears twice", row->lineno, forms[i]);
            if (n_seen < 1024)
                snprintf(seen[n_seen++], sizeof seen[0], "%s", f);
        }
        /* Every patronymic is a Russian patronymic. */
        snprintf(copy, sizeof copy, "%s", row->f[C_PATRONYMIC]);
        nf = split_forms(copy, forms, 16);
        for (int i = 0; i < nf; i++) {
            char f[96];
            fold(forms[i], f, sizeof f);
            size_t n = strlen(f);
            int ok = (n > strlen("ович") && strcmp(f + n - strlen("ович"), "ович") == 0) ||
                     (n > strlen("евич") && strcmp(f + n - strlen("евич"), "евич") == 0) ||
                     (n > strlen("ич") && strcmp(f + n - strlen("ич"), "ич") == 0);
            if (!ok)
                fail_msg("line %d: %s is not a patronymic", row->lineno, forms[i]);
        }
        const char *s = row->f[sex];
        if (strcmp(s, "m") == 0) {
            male++;
            male_with_patronymic += nf > 0;
        } else if (strcmp(s, "f") == 0) {
            female++;
            if (nf)
                fail_msg("line %d: a woman's name with a patronymic column", row->lineno);
        } else {
            fail_msg("line %d: sex is \"%s\", not m or f", row->lineno, s);
        }
    }
    assert_true(male >= 280);
    assert_true(female >= 40);
    /* A man's row without a patronymic is the rare exception. */
    assert_true(male_with_patronymic * 100 >= male * 98);
    tsv_free(&t);
}

/* A form claimed by two rows makes two classes meet; only the pairs listed
 * (with their reason) in patronymic_shared_forms.tsv may do so. */
static void table_shares_only_listed_forms(void **state)
{
    (void)state;
    tsv_table t, shared;
    assert_int_equal(tsv_load(TABLE, &t), 0);
    assert_int_equal(tsv_load("tests/data/names/patronymic_shared_forms.tsv", &shared), 0);
    const tsv_row *h = &t.rows[0];
    int given_cols[] = {C_POLISH, C_RUSSIAN, C_UKRAINIAN, C_LATIN,
                        col_index(h, "diminutives"), C_PATRONYMIC};
    int n_listed_seen = 0;
    for (int a = 1; a < t.n; a++) {
        for (size_t gc = 0; gc < sizeof given_cols / sizeof *given_cols; gc++) {
            char copy[1024];
            char *forms[32];
            snprintf(copy, sizeof copy, "%s", tsv_field(&t.rows[a], given_cols[gc]));
            int nf = split_forms(copy, forms, 32);
            for (int i = 0; i < nf; i++) {
                /* The same column kind in later rows (patronymics with
                 * patronymics, given forms with given forms). */
                for (int b = a + 1; b < t.n; b++) {
                    int clash = 0;
                    if (given_cols[gc] == C_PATRONYMIC) {
                        clash = cell_has(tsv_field(&t.rows[b], C_PATRONYMIC), forms[i]);
                    } else {
                        for (size_t k = 0; k + 1 < sizeof given_cols / sizeof *given_cols; k++)
                            clash |= cell_has(tsv_field(&t.rows[b], given_cols[k]), forms[i]);
                    }
                    if (!clash)
                        continue;
                    char f[96], pair[256];
                    fold(forms[i], f, sizeof f);
                    char la[64], lb[64];
                    snprintf(la, sizeof la, "%s", t.rows[a].f[C_POLISH]);
                    snprintf(lb, sizeof lb, "%s", t.rows[b].f[C_POLISH]);
                    *strchrnul(la, ';') = '\0';
                    *strchrnul(lb, ';') = '\0';
                    snprintf(pair, sizeof pair, "%s;%s", la, lb);
                    int listed = 0;
                    for (int s = 1; s < shared.n; s++)
                        if (strcmp(shared.rows[s].f[0], f) == 0 &&
                            strcmp(tsv_field(&shared.rows[s], 1), pair) == 0)
                            listed = 1;
                    if (!listed)
                        fail_msg("form %s is in rows %s and %s: not listed as shared",
                                 forms[i], la, lb);
                    n_listed_seen++;
                }
            }
        }
    }
    /* Every listed pair still exists (the list does not rot). */
    assert_true(n_listed_seen >= shared.n - 1);
    tsv_free(&t);
    tsv_free(&shared);
}

static int row_of(const tsv_table *t, const char *form, const int *cols, int ncols)
{
    for (int r = 1; r < t->n; r++)
        for (int c = 0; c < ncols; c++)
            if (cell_has(tsv_field(&t->rows[r], cols[c]), form))
                return r;
    return -1;
}

static void table_covers_polish_list(void **state)
{
    (void)state;
    tsv_table t;
    assert_int_equal(tsv_load(TABLE, &t), 0);
    FILE *fp = fopen("data/names/polish_male_given.txt", "r");
    assert_non_null(fp);
    char line[256];
    int n = 0, polish_col[] = {C_POLISH};
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        n++;
        if (row_of(&t, line, polish_col, 1) < 0)
            fail_msg("%s (data/names/polish_male_given.txt) has no row", line);
    }
    fclose(fp);
    assert_int_equal(n, 230);
    tsv_free(&t);
}

static void table_holds_names_md_classes(void **state)
{
    (void)state;
    tsv_table t, cls;
    assert_int_equal(tsv_load(TABLE, &t), 0);
    assert_int_equal(tsv_load("tests/data/names/patronymic_classes.tsv", &cls), 0);
    int cols[] = {C_POLISH, C_RUSSIAN, C_UKRAINIAN, C_LATIN};
    for (int i = 1; i < cls.n; i++) {
        char copy[512];
        char *forms[16];
        snprintf(copy, sizeof copy, "%s", cls.rows[i].f[0]);
        int nf = split_forms(copy, forms, 16);
        int row = row_of(&t, forms[0], cols, 4);
        if (row < 0)
            fail_msg("line %d: %s is not in the table", cls.rows[i].lineno, forms[0]);
        for (int k = 1; k < nf; k++) {
            int found = 0;
            for (int c = 0; c < 4; c++)
                found |= cell_has(t.rows[row].f[cols[c]], forms[k]);
            if (!found)
                fail_msg("line %d: %s is not in the row of %s", cls.rows[i].lineno,
                         forms[k], forms[0]);
        }
    }
    tsv_free(&t);
    tsv_free(&cls);
}

typedef int (*reader)(const char *, char *, size_t);

/* Every form in column `from` of a row, read by fn, leads back to a form in
 * column `to` of the same row; at least `min` forms are checked. */
static void round_trip(int from, int to, reader fn, const char *what, int min)
{
    tsv_table t;
    assert_int_equal(tsv_load(TABLE, &t), 0);
    int checked = 0;
    for (int r = 1; r < t.n; r++) {
        char copy[512];
        char *forms[16];
        snprintf(copy, sizeof copy, "%s", t.rows[r].f[from]);
        int nf = split_forms(copy, forms, 16);
        for (int i = 0; i < nf; i++) {
            char out[96];
            if (!fn(forms[i], out, sizeof out))
                fail_msg("%s (row %s): not read as a %s", forms[i], t.rows[r].f[0], what);
            if (!cell_has(t.rows[r].f[to], out))
                fail_msg("%s (row %s) gave %s, not a form of the row's column %d",
                         forms[i], t.rows[r].f[0], out, to);
            checked++;
        }
    }
    assert_true(checked >= min);
    tsv_free(&t);
}

/* Every patronymic of a row leads back to a Russian form of that row. */
static void every_patronymic_round_trips(void **state)
{
    (void)state;
    round_trip(C_PATRONYMIC, C_RUSSIAN, names_patronymic_father, "patronymic", 300);
}

/* Every genitive of a row leads back to a Polish form of that row. */
static void every_genitive_round_trips(void **state)
{
    (void)state;
    round_trip(C_GENITIVE, C_POLISH, names_genitive_father, "genitive", 320);
}


static void run_cases(const char *path, reader fn)
{
    tsv_table t;
    assert_int_equal(tsv_load(path, &t), 0);
    assert_true(t.n > 10);
    int failures = 0;
    for (int i = 1; i < t.n; i++) {
        const char *word = t.rows[i].f[0], *want = tsv_field(&t.rows[i], 1);
        char out[96];
        int got = fn(word, out, sizeof out);
        char a[96], b[96];
        if (strcmp(want, "-") == 0) {
            if (got) {
                print_error("%s:%d: %s gave %s, expected none\n", path, t.rows[i].lineno, word, out);
                failures++;
            }
            continue;
        }
        fold(out, a, sizeof a);
        fold(want, b, sizeof b);
        if (!got || strcmp(a, b) != 0) {
            print_error("%s:%d: %s gave %s, expected %s\n", path, t.rows[i].lineno, word,
                        got ? out : "(none)", want);
            failures++;
        }
    }
    tsv_free(&t);
    assert_int_equal(failures, 0);
}

static void patronymic_cases(void **state)
{
    (void)state;
    run_cases("tests/data/names/patronymic_cases.tsv", names_patronymic_father);
}

static void genitive_cases(void **state)
{
    (void)state;
    run_cases("tests/data/names/patronymic_genitive.tsv", names_genitive_father);
}

/* The real Memorial list (5,233 people shot in Moscow 1937-1941, names in
 * NKVD order "Surname Given Patronymic"): nearly every patronymic is read,
 * most to a name of the table, and the query parser finds them in place.
 * Mostly Russians, not Poles, so this measures the rules more than the table. */
static void memorial_patronymics_are_read(void **state)
{
    (void)state;
    FILE *fp = fopen("tests/data/memorial/moscow_shot_1937_1941.csv", "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *data = malloc((size_t)size + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)size, fp), (size_t)size);
    fclose(fp);

    kt_error err;
    store_csv *csv;
    assert_int_equal(store_csv_open(data, (size_t)size, "memorial", &csv, &err), KT_OK);
    size_t name_col = 0;
    for (size_t i = 0; i < store_csv_columns(csv); i++)
        if (strcmp(store_csv_column(csv, i), "NAME") == 0)
            name_col = i;
    int three = 0, read = 0, known = 0, in_query = 0;
    store_csv_row row;
    while (store_csv_next(csv, &row, &err) == 1) {
        const char *name = row.fields[name_col];
        const char *sp1 = strchr(name, ' ');
        const char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
        if (!sp2 || strchr(sp2 + 1, ' '))
            continue;
        three++;
        char out[96];
        int r = names_patronymic_father(sp2 + 1, out, sizeof out);
        read += r > 0;
        known += r == 1;
        names_query q;
        names_query_parse(name, &q);
        in_query += q.n_words == 3 && q.words[2].kind == NAMES_WORD_PATRONYMIC;
    }
    store_csv_close(csv);
    free(data);
    print_message("memorial: %d three-word names, patronymic read %d (%.1f%%), "
                  "father in the table %d (%.1f%%), found by the query parser %d (%.1f%%)\n",
                  three, read, 100.0 * read / three, known, 100.0 * known / three, in_query,
                  100.0 * in_query / three);
    assert_true(three > 5000);
    assert_true(read * 1000 >= three * 985);
    assert_true(known * 100 >= three * 85);
    assert_true(in_query * 100 >= three * 75);
}

/* 1 = the table knows the father's name, 2 = the rules alone read it. */
static void table_and_rule_readings_differ(void **state)
{
    (void)state;
    char out[96];
    assert_int_equal(names_patronymic_father("Янович", out, sizeof out), 1);
    assert_int_equal(names_patronymic_father("Прохорович", out, sizeof out), 2);
    assert_string_equal(out, "Прохор");
    assert_int_equal(names_patronymic_father("Тышкевич", out, sizeof out), 2);
    assert_int_equal(names_patronymic_father("Yanovich", out, sizeof out), 1);
}

static void small_buffers_are_refused(void **state)
{
    (void)state;
    char out[4] = "zzz";
    assert_int_equal(names_patronymic_father("Станиславович", out, sizeof out), 0);
    assert_int_equal(names_genitive_father("Stanisława", out, 3), 0);
    assert_int_equal(names_patronymic_father(NULL, out, sizeof out), 0);
    assert_int_equal(names_genitive_father("Jana", NULL, 10), 0);
    /* exactly enough room: "Ян" is 4 bytes + NUL */
    char five[5];
    assert_int_equal(names_patronymic_father("Янович", five, sizeof five), 1);
    assert_string_equal(five, "Ян");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_is_well_formed),
        cmocka_unit_test(table_shares_only_listed_forms),
        cmocka_unit_test(table_covers_polish_list),
        cmocka_unit_test(table_holds_names_md_classes),
        cmocka_unit_test(every_patronymic_round_trips),
        cmocka_unit_test(every_genitive_round_trips),
        cmocka_unit_test(patronymic_cases),
        cmocka_unit_test(genitive_cases),
        cmocka_unit_test(table_and_rule_readings_differ),
        cmocka_unit_test(memorial_patronymics_are_read),
        cmocka_unit_test(small_buffers_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
