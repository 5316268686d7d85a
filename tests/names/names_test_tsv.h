/*
 * names_test_tsv.h — a tiny TSV reader for the table-driven name tests:
 * '#' lines and empty lines are skipped, fields are tab-separated, the
 * first non-comment line is kept (tests decide whether it is a header).
 * Header-only: each test program includes it once.
 */
#ifndef NAMES_TEST_TSV_H
#define NAMES_TEST_TSV_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TSV_MAX_FIELDS 16

typedef struct tsv_row {
    int n;                        /* number of fields */
    char *f[TSV_MAX_FIELDS];      /* fields, NUL-terminated, inside line */
    char *line;
    int lineno;                   /* 1-based line in the file */
} tsv_row;

typedef struct tsv_table {
    tsv_row *rows;
    int n;
} tsv_table;

/* Loads path; returns 0, or -1 if the file cannot be read. */
static int tsv_load(const char *path, tsv_table *t)
{
    t->rows = NULL;
    t->n = 0;
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    char buf[8192];
    int lineno = 0, cap = 0;
    while (fgets(buf, sizeof buf, fp)) {
        lineno++;
        size_t len = strlen(buf);
        while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
            buf[--len] = '\0';
        if (len == 0 || buf[0] == '#')
            continue;
        if (t->n == cap) {
            cap = cap ? cap * 2 : 64;
            tsv_row *nr = realloc(t->rows, (size_t)cap * sizeof *nr);
            if (!nr)
                break;
            t->rows = nr;
        }
        tsv_row *r = &t->rows[t->n++];
        r->line = strdup(buf);
        r->lineno = lineno;
        r->n = 0;
        char *p = r->line;
        while (r->n < TSV_MAX_FIELDS) {
            r->f[r->n++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = '\0';
            p = tab + 1;
        }
    }
    fclose(fp);
    return 0;
}

static void tsv_free(tsv_table *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->rows[i].line);
    free(t->rows);
    t->rows = NULL;
    t->n = 0;
}

/* Field k of row r, or "" when the row is shorter. */
static const char *tsv_field(const tsv_row *r, int k)
{
    return k < r->n ? r->f[k] : "";
}

#endif
