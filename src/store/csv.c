/*
 * csv.c — the RFC 4180 reader (store/csv.h).
 *
 * One pass over the buffer, one row at a time. Invariants kept below:
 *   - csv->line is the line of the byte at csv->pos: it grows at every '\n'
 *     consumed, inside quotes too, so rows after a multi-line field still
 *     carry their true line;
 *   - field texts are unquoted into csv->buf, each followed by a NUL, and
 *     csv->offs[i] is where field i starts in it (offsets, not pointers,
 *     because buf may move as it grows);
 *   - a row is never longer than the header once store_csv_next returns it.
 */
#include "store/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct store_csv {
    const char *data;
    size_t len, pos;
    long line;
    char file[512];
    char *buf; /* unquoted texts of the current row */
    size_t buf_len, buf_cap;
    size_t *offs; /* field starts in buf */
    size_t noffs, offs_cap;
    const char **ptrs; /* row fields for the caller, ncols of them */
    size_t ncols;
    char **header;
    size_t raw_start, raw_end;
    long raw_line;
    char delim; /* ',', ';' or '\t' */
};

static int nomem(kt_error *err)
{
    kt_error_set(err, "out of memory reading CSV");
    return KT_ERR_NOMEM;
}

static int put(store_csv *c, char ch)
{
    if (c->buf_len == c->buf_cap) {
        size_t cap = c->buf_cap ? c->buf_cap * 2 : 256;
        char *b = realloc(c->buf, cap);
        if (!b)
            return -1;
        c->buf = b;
        c->buf_cap = cap;
    }
    c->buf[c->buf_len++] = ch;
    return 0;
}

static int start_field(store_csv *c)
{
    if (c->noffs == c->offs_cap) {
        size_t cap = c->offs_cap ? c->offs_cap * 2 : 16;
        size_t *o = realloc(c->offs, cap * sizeof *o);
        if (!o)
            return -1;
        c->offs = o;
        c->offs_cap = cap;
    }
    c->offs[c->noffs++] = c->buf_len;
    return 0;
}

static int at_line_end(const store_csv *c, size_t p)
{
    return p >= c->len || c->data[p] == '\n' ||
           (c->data[p] == '\r' && p + 1 < c->len && c->data[p + 1] == '\n');
}

/* Parses one row into buf/offs. Returns 1, 0 at the end of data, or an error. */
static int parse_row(store_csv *c, kt_error *err)
{
    const char *d = c->data;
    /* Empty lines between rows carry nothing; skip them. */
    while (c->pos < c->len && at_line_end(c, c->pos)) {
        c->pos += d[c->pos] == '\r' ? 2 : 1;
        c->line++;
    }
    if (c->pos >= c->len)
        return 0;
    c->raw_start = c->pos;
    c->raw_line = c->line;
    c->buf_len = 0;
    c->noffs = 0;
    for (;;) {
        if (start_field(c))
            return nomem(err);
        if (c->pos < c->len && d[c->pos] == '"') {
            long opened = c->line;
            c->pos++;
            for (;;) {
                if (c->pos >= c->len) {
                    kt_error_at(err, c->file, opened, NULL,
                                "a quoted field opens on this line and is never closed "
                                "(a missing \" ?)");
                    return KT_ERR_INPUT;
                }
                char ch = d[c->pos];
                if (ch == '"') {
                    if (c->pos + 1 < c->len && d[c->pos + 1] == '"') {
                        if (put(c, '"'))
                            return nomem(err);
                        c->pos += 2;
                        continue;
                    }
                    c->pos++;
                    break;
                }
                if (ch == '\n')
                    c->line++;
                if (put(c, ch))
                    return nomem(err);
                c->pos++;
            }
            if (!at_line_end(c, c->pos) && d[c->pos] != c->delim) {
                /* A field that ran over line ends and then "closes" on a
                 * quote followed by text is almost always one whose closing
                 * quote is missing where it opened: the quote found is the
                 * opening quote of a later field. Point at the opening. */
                if (c->line != opened)
                    kt_error_at(err, c->file, opened, NULL,
                                "a quoted field opens on this line and does not close "
                                "properly (the quote that ends it, on line %ld, is followed "
                                "by text): a missing closing \" on line %ld?",
                                c->line, opened);
                else
                    kt_error_at(err, c->file, c->line, NULL,
                                "text after the closing quote of a field (a quote inside a "
                                "quoted field is written \"\")");
                return KT_ERR_INPUT;
            }
        } else {
            while (!at_line_end(c, c->pos) && d[c->pos] != c->delim) {
                if (d[c->pos] == '"') {
                    kt_error_at(err, c->file, c->line, NULL,
                                "a quote inside an unquoted field (quote the whole field "
                                "and write the quote as \"\")");
                    return KT_ERR_INPUT;
                }
                if (put(c, d[c->pos]))
                    return nomem(err);
                c->pos++;
            }
        }
        if (put(c, '\0'))
            return nomem(err);
        if (c->pos < c->len && d[c->pos] == c->delim) {
            c->pos++;
            continue;
        }
        c->raw_end = c->pos;
        if (c->pos < c->len) {
            c->pos += d[c->pos] == '\r' ? 2 : 1;
            c->line++;
        }
        return 1;
    }
}

/* Header names compare without case, in any script. Input that is not
 * valid UTF-8 (the reader does not insist on it) compares byte for byte.
 * NULL only when memory runs out. */
static char *fold(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t rc = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                                       UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                                           UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (rc == UTF8PROC_ERROR_NOMEM)
        return NULL;
    return rc < 0 ? strdup(s) : (char *)out;
}

static char *trimmed_copy(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *t = malloc(n + 1);
    if (t) {
        memcpy(t, s, n);
        t[n] = '\0';
    }
    return t;
}

/* Orders column numbers by folded name (names: the folded names), then by
 * number. */
static int by_name(const void *a, const void *b, void *names)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    char *const *n = names;
    int d = strcmp(n[x], n[y]);
    return d ? d : (x > y) - (x < y);
}

/* The first column (by number) whose name an earlier one has already, as
 * *second, and that earlier one as *first: 1 when there is one, 0 when all
 * differ. Sorting keeps a header of 100,000 columns from taking
 * 5,000,000,000 comparisons. */
static int first_duplicate(char *const *names, size_t n, size_t *first, size_t *second,
                           kt_error *err)
{
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return nomem(err);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, by_name, (void *)names);
    int found = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        /* order[k] starts a run of equal names: its first two numbers */
        if ((k == 0 || strcmp(names[order[k - 1]], names[order[k]])) &&
            !strcmp(names[order[k]], names[order[k + 1]]) &&
            (!found || order[k + 1] < *second)) {
            *first = order[k];
            *second = order[k + 1];
            found = 1;
        }
    }
    free(order);
    return found;
}

static int read_header(store_csv *c, kt_error *err)
{
    int rc = parse_row(c, err);
    if (rc < 0)
        return rc;
    if (rc == 0) {
        kt_error_at(err, c->file, 0, NULL, "the file is empty: a header row is expected");
        return KT_ERR_INPUT;
    }
    c->ncols = c->noffs;
    c->header = calloc(c->ncols, sizeof *c->header);
    c->ptrs = calloc(c->ncols, sizeof *c->ptrs);
    char **folded = calloc(c->ncols, sizeof *folded);
    if (!c->header || !c->ptrs || !folded) {
        free(folded);
        return nomem(err);
    }
    rc = KT_OK;
    for (size_t i = 0; i < c->ncols && rc == KT_OK; i++) {
        c->header[i] = trimmed_copy(c->buf + c->offs[i]);
        folded[i] = c->header[i] ? fold(c->header[i]) : NULL;
        if (!folded[i])
            rc = nomem(err);
    }
    size_t first = 0, second = 0;
    if (rc == KT_OK && (rc = first_duplicate(folded, c->ncols, &first, &second, err)) == 1) {
        kt_error_at(err, c->file, c->raw_line, c->header[second],
                    "the header names column %zu and column %zu alike ('%s', '%s'); "
                    "column names must differ",
                    first + 1, second + 1, c->header[first], c->header[second]);
        rc = KT_ERR_INPUT;
    }
    for (size_t i = 0; i < c->ncols; i++)
        free(folded[i]);
    free(folded);
    return rc;
}

/* Counts commas, semicolons and tabs outside quotes on the line that starts
 * at pos (a quoted line break does not end it); returns where the next line
 * starts. */
static size_t count_separators(const char *d, size_t len, size_t pos, size_t n[3])
{
    int quoted = 0;
    n[0] = n[1] = n[2] = 0;
    for (; pos < len; pos++) {
        char ch = d[pos];
        if (ch == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (ch == '\n')
            return pos + 1;
        else if (ch == ',')
            n[0]++;
        else if (ch == ';')
            n[1]++;
        else if (ch == '\t')
            n[2]++;
    }
    return pos;
}

/* The separator of a file: of comma, semicolon (spreadsheets in Polish and
 * Russian locales) and tab, one that the header line and the first row use
 * equally often (the header "Nazwisko, imię;Rok" has one of each, its row
 * "Kowalski Jan;1900" only the semicolon), the most used of those; else the
 * one the header uses most; a comma when the header has none (a single
 * column). */
static char detect_delimiter(const char *d, size_t len, size_t pos)
{
    static const char seps[3] = {',', ';', '\t'};
    size_t head[3], row[3];
    size_t next = count_separators(d, len, pos, head);
    count_separators(d, len, next, row);
    int best = -1;
    for (int i = 0; i < 3; i++)
        if (head[i] && head[i] == row[i] && (best < 0 || head[i] > head[best]))
            best = i;
    if (best < 0)
        for (int i = 0; i < 3; i++)
            if (head[i] && (best < 0 || head[i] > head[best]))
                best = i;
    return best < 0 ? ',' : seps[best];
}

int store_csv_open(const char *data, size_t len, const char *file, store_csv **out,
                   kt_error *err)
{
    return store_csv_open_with(data, len, file, ',', out, err);
}

int store_csv_open_with(const char *data, size_t len, const char *file, char delim,
                        store_csv **out, kt_error *err)
{
    *out = NULL;
    if (delim && delim != ',' && delim != ';' && delim != '\t') {
        kt_error_at(err, file ? file : "", 0, NULL,
                    "the separator must be a comma, a semicolon or a tab");
        return KT_ERR_INPUT;
    }
    store_csv *c = calloc(1, sizeof *c);
    if (!c)
        return nomem(err);
    c->data = data;
    c->len = len;
    c->line = 1;
    snprintf(c->file, sizeof c->file, "%s", file ? file : "");
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        c->pos = 3;
    c->delim = delim ? delim : detect_delimiter(data, len, c->pos);
    int rc = read_header(c, err);
    if (rc != KT_OK) {
        store_csv_close(c);
        return rc;
    }
    *out = c;
    return KT_OK;
}

void store_csv_close(store_csv *c)
{
    if (!c)
        return;
    if (c->header)
        for (size_t i = 0; i < c->ncols; i++)
            free(c->header[i]);
    free(c->header);
    free(c->ptrs);
    free(c->offs);
    free(c->buf);
    free(c);
}

size_t store_csv_columns(const store_csv *c) { return c->ncols; }

char store_csv_delimiter(const store_csv *c) { return c->delim; }

const char *store_csv_column(const store_csv *c, size_t i)
{
    return i < c->ncols ? c->header[i] : NULL;
}

static const char *delimiter_name(char d)
{
    return d == ';' ? "semicolon" : d == '\t' ? "tab" : "comma";
}

int store_csv_next(store_csv *c, store_csv_row *row, kt_error *err)
{
    int rc = parse_row(c, err);
    if (rc <= 0)
        return rc;
    if (c->noffs > c->ncols) {
        kt_error_at(err, c->file, c->raw_line, NULL,
                    "this row has %zu fields, the header only %zu (an unquoted %s?)",
                    c->noffs, c->ncols, delimiter_name(c->delim));
        return KT_ERR_INPUT;
    }
    if (c->noffs < c->ncols) {
        kt_error_at(err, c->file, c->raw_line, NULL,
                    "this row has %zu fields, the header %zu (a missing %s, or a line break "
                    "in an unquoted field?)",
                    c->noffs, c->ncols, delimiter_name(c->delim));
        return KT_ERR_INPUT;
    }
    for (size_t i = 0; i < c->ncols; i++)
        c->ptrs[i] = c->buf + c->offs[i];
    row->nfields = c->ncols;
    row->fields = c->ptrs;
    row->raw = c->data + c->raw_start;
    row->raw_len = c->raw_end - c->raw_start;
    row->line = c->raw_line;
    return 1;
}
