/*
 * given_forms.c — the given-name table (data/names/given_names.tsv) parsed
 * once into memory. Each form is kept three ways: cleaned for output, and
 * folded exact and loose for comparison (textfold.h), so a lookup folds the
 * word once and then compares bytes.
 *
 * Lookups go through two sorted indexes (one per fold mode) of every form,
 * ordered by (folded text, row, column, position), so a lookup is a binary
 * search and the first entry that fits is the one a scan of the table in
 * file order would find.
 *
 * Invariant: after the first call everything here is read-only; the
 * pthread_once guard makes the first call safe from any thread.
 */
#include "names/given_forms.h"
#include "names/textfold.h"
#include "util/tsv.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define GF_PATH "data/names/given_names.tsv"
#define GF_WORD 96

typedef struct gf_form {
    char clean[GF_WORD];
    char exact[GF_WORD];
    char loose[GF_WORD];
    int row, col, idx;
} gf_form;

typedef struct gf_row {
    int first[NAMES_GF_NCOL]; /* index into forms[] of the first form */
    int count[NAMES_GF_NCOL];
} gf_row;

static const char *const gf_headers[NAMES_GF_NCOL] = {
    "polish", "genitive", "russian", "ukrainian", "latin", "patronymic_ru",
    "diminutives",
};

static gf_row *rows;
static int n_rows;
static gf_form *forms;
static int n_forms;
static int *by_exact, *by_loose; /* indexes into forms[], sorted */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Adds the ';'-separated forms of one cell; returns 0 on allocation failure. */
static int add_cell(gf_row *r, int col, const char *cell, size_t len, int *cap)
{
    r->first[col] = n_forms;
    r->count[col] = 0;
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && cell[j] != ';')
            j++;
        size_t a = i, b = j;
        while (a < b && (cell[a] == ' ')) a++;
        while (b > a && (cell[b - 1] == ' ' || cell[b - 1] == '\r')) b--;
        if (b > a) {
            if (n_forms == *cap) {
                int ncap = *cap ? *cap * 2 : 1024;
                gf_form *nf = realloc(forms, (size_t)ncap * sizeof *nf);
                if (!nf)
                    return 0;
                forms = nf;
                *cap = ncap;
            }
            gf_form *f = &forms[n_forms];
            if (names_nfc_clean(cell + a, b - a, f->clean, sizeof f->clean) >= 0 &&
                names_fold(cell + a, b - a, f->exact, sizeof f->exact, NAMES_FOLD_EXACT) >= 0 &&
                names_fold(cell + a, b - a, f->loose, sizeof f->loose, NAMES_FOLD_LOOSE) >= 0) {
                f->row = (int)(r - rows);
                f->col = col;
                f->idx = r->count[col];
                n_forms++;
                r->count[col]++;
            }
        }
        i = j + 1;
    }
    return 1;
}

/* Columns are found by their header names; unknown columns are ignored. */
static void parse(void)
{
    kt_tsv c;
    kt_tsv_field f[32];
    int n;
    int colmap[32]; /* file column → NAMES_GF_* or -1 */
    int ncols = 0, form_cap = 0, row_cap = 0;
    kt_tsv_open_embedded(&c, GF_PATH, KT_TSV_COMMENTS);
    if (!kt_tsv_next(&c, f, 32, &n))
        return;
    for (ncols = 0; ncols < n && ncols < 32; ncols++) {
        colmap[ncols] = -1;
        for (int k = 0; k < NAMES_GF_NCOL; k++)
            if (kt_tsv_eq(f[ncols], gf_headers[k]))
                colmap[ncols] = k;
    }
    while (kt_tsv_next(&c, f, 32, &n)) {
        if (n_rows == row_cap) {
            int ncap = row_cap ? row_cap * 2 : 512;
            gf_row *nr = realloc(rows, (size_t)ncap * sizeof *nr);
            if (!nr)
                return;
            rows = nr;
            row_cap = ncap;
        }
        gf_row *r = &rows[n_rows];
        memset(r, 0, sizeof *r);
        for (int k = 0; k < ncols && k < n; k++)
            if (colmap[k] >= 0 && !add_cell(r, colmap[k], f[k].s, f[k].len, &form_cap))
                return;
        if (r->count[NAMES_GF_POLISH] > 0)
            n_rows++;
        else
            kt_tsv_refuse(&c, "a row without a Polish form");
    }
}

static int sort_loose; /* qsort has no context argument */

static int cmp_forms(const void *pa, const void *pb)
{
    const gf_form *a = &forms[*(const int *)pa], *b = &forms[*(const int *)pb];
    int c = strcmp(sort_loose ? a->loose : a->exact, sort_loose ? b->loose : b->exact);
    if (c) return c;
    if (a->row != b->row) return a->row < b->row ? -1 : 1;
    if (a->col != b->col) return a->col < b->col ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void load(void)
{
    parse();
    if (n_forms == 0)
        return;
    by_exact = malloc((size_t)n_forms * sizeof *by_exact);
    by_loose = malloc((size_t)n_forms * sizeof *by_loose);
    if (!by_exact || !by_loose) {
        free(by_exact);
        free(by_loose);
        by_exact = by_loose = NULL;
        n_rows = 0;                    /* behave as an empty table */
        return;
    }
    for (int i = 0; i < n_forms; i++)
        by_exact[i] = by_loose[i] = i;
    sort_loose = 0;
    qsort(by_exact, (size_t)n_forms, sizeof *by_exact, cmp_forms);
    sort_loose = 1;
    qsort(by_loose, (size_t)n_forms, sizeof *by_loose, cmp_forms);
}

static void ensure(void)
{
    pthread_once(&once, load);
}

int names_gf_rows(void)
{
    ensure();
    return n_rows;
}

int names_gf_nforms(int row, int col)
{
    ensure();
    if (row < 0 || row >= n_rows || col < 0 || col >= NAMES_GF_NCOL)
        return 0;
    return rows[row].count[col];
}

const char *names_gf_form(int row, int col, int i)
{
    if (i < 0 || i >= names_gf_nforms(row, col))
        return NULL;
    return forms[rows[row].first[col] + i].clean;
}

int names_gf_find(const char *word, size_t len, unsigned colmask, int mode,
                  int from, int *col, int *idx)
{
    ensure();
    char key[GF_WORD];
    if (n_rows == 0 || names_fold(word, len, key, sizeof key, mode) <= 0)
        return -1;
    const int *ix = mode == NAMES_FOLD_LOOSE ? by_loose : by_exact;
    int lo = 0, hi = n_forms;               /* first entry with text >= key */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        const gf_form *f = &forms[ix[mid]];
        if (strcmp(mode == NAMES_FOLD_LOOSE ? f->loose : f->exact, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int i = lo; i < n_forms; i++) {
        const gf_form *f = &forms[ix[i]];
        if (strcmp(mode == NAMES_FOLD_LOOSE ? f->loose : f->exact, key) != 0)
            break;
        if (f->row >= from && (colmask & NAMES_GF_BIT(f->col))) {
            if (col) *col = f->col;
            if (idx) *idx = f->idx;
            return f->row;
        }
    }
    return -1;
}

int names_gf_is_given(const char *word, size_t len)
{
    if (names_gf_find(word, len, NAMES_GF_GIVEN_COLS, NAMES_FOLD_EXACT, 0, NULL, NULL) >= 0)
        return 1;
    return names_gf_find(word, len, NAMES_GF_GIVEN_COLS, NAMES_FOLD_LOOSE, 0, NULL, NULL) >= 0;
}
