/*
 * listing.c — shared output of the listing commands: aligned tables that
 * count display columns rather than bytes (Polish and Cyrillic letters are
 * two bytes but one column), numbers with thousands separators, JSON, and
 * the end of a listing (error, JSON array or text) in one place.
 *
 * Guarantees: a cut cell never splits a UTF-8 sequence; listing_out_end and
 * listing_out_finish release what they were given on every path.
 */
#include "cli/listing.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "cli/cli.h"
#include "store/history.h"

/* The first character of p (not at its end): returns its length in bytes
 * and sets *width to the columns it takes. An invalid byte is taken alone
 * and counts as one column, so that broken input still lines up roughly. */
static size_t next_char(const char *p, size_t *width)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
    if (n <= 0) {
        *width = 1;
        return 1;
    }
    int w = utf8proc_charwidth(cp);
    *width = w < 0 ? 1 : (size_t)w;
    return (size_t)n;
}

size_t listing_width(const char *s)
{
    size_t w = 0, cw;
    while (*s) {
        s += next_char(s, &cw);
        w += cw;
    }
    return w;
}

/* Bytes of s that fit in max columns, leaving room for "…" if cut. */
static size_t cut_bytes(const char *s, size_t max, int *cut)
{
    *cut = 0;
    if (max == 0 || listing_width(s) <= max)
        return strlen(s);
    size_t w = 0, cw;
    const char *p = s;
    while (*p) {
        size_t n = next_char(p, &cw);
        if (w + cw > max - 1)
            break;
        w += cw;
        p += n;
    }
    *cut = 1;
    return (size_t)(p - s);
}

const char *listing_number(int64_t n, char *buf, size_t cap)
{
    char digits[32];
    int neg = n < 0;
    unsigned long long u = neg ? 0ULL - (unsigned long long)n : (unsigned long long)n;
    int len = snprintf(digits, sizeof digits, "%llu", u);
    size_t o = 0;
    if (neg && o + 1 < cap)
        buf[o++] = '-';
    for (int i = 0; i < len && o + 1 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0 && o + 1 < cap)
            buf[o++] = ',';
        if (o + 1 < cap)
            buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

void listing_wrap(FILE *out, const char *text, int indent, size_t width)
{
    size_t col = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " ");
        char word[1024];
        size_t c = n < sizeof word - 1 ? n : sizeof word - 1;
        memcpy(word, p, c);
        word[c] = '\0';
        size_t w = listing_width(word);
        if (col > 0 && col + 1 + w > width) {
            fputc('\n', out);
            col = 0;
        }
        if (col == 0)
            fprintf(out, "%*s", indent, "");
        else {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, n, out);
        col += w;
        p += n;
    }
    fputc('\n', out);
}

struct listing_table {
    int ncols;
    char **headers;
    size_t *max;
    int *right;
    char **cells; /* rows * ncols */
    size_t rows, cap;
};

listing_table *listing_table_new(int ncols, const char *const *headers)
{
    listing_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ncols = ncols;
    t->headers = calloc((size_t)ncols, sizeof *t->headers);
    t->max = calloc((size_t)ncols, sizeof *t->max);
    t->right = calloc((size_t)ncols, sizeof *t->right);
    if (!t->headers || !t->max || !t->right) {
        listing_table_free(t);
        return NULL;
    }
    for (int i = 0; i < ncols; i++)
        if (!(t->headers[i] = strdup(headers[i] ? headers[i] : ""))) {
            listing_table_free(t);
            return NULL;
        }
    return t;
}

void listing_table_max(listing_table *t, int col, size_t max)
{
    if (t && col >= 0 && col < t->ncols)
        t->max[col] = max;
}

void listing_table_right(listing_table *t, int col)
{
    if (t && col >= 0 && col < t->ncols)
        t->right[col] = 1;
}

int listing_table_add(listing_table *t, const char *const *cells)
{
    if (!t)
        return -1;
    if (t->rows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        char **c = realloc(t->cells, cap * (size_t)t->ncols * sizeof *c);
        if (!c)
            return -1;
        t->cells = c;
        t->cap = cap;
    }
    char **row = t->cells + t->rows * (size_t)t->ncols;
    for (int i = 0; i < t->ncols; i++) {
        const char *v = cells[i] ? cells[i] : "";
        int cut;
        size_t n = cut_bytes(v, t->max[i], &cut);
        row[i] = malloc(n + (cut ? 4 : 1));
        if (!row[i]) {
            while (i-- > 0)
                free(row[i]);
            return -1;
        }
        memcpy(row[i], v, n);
        if (cut)
            memcpy(row[i] + n, "\xe2\x80\xa6", 4); /* "…" and NUL */
        else
            row[i][n] = '\0';
    }
    t->rows++;
    return 0;
}

size_t listing_table_rows(const listing_table *t)
{
    return t ? t->rows : 0;
}

static void print_row(const listing_table *t, char *const *row, const size_t *width,
                      FILE *out, int indent)
{
    /* Empty trailing cells are left out, so no line ends in blanks. */
    int last = t->ncols - 1;
    while (last > 0 && !row[last][0])
        last--;
    fprintf(out, "%*s", indent, "");
    for (int i = 0; i <= last; i++) {
        size_t pad = width[i] - listing_width(row[i]);
        if (t->right[i])
            fprintf(out, "%*s%s", (int)pad, "", row[i]);
        else
            fprintf(out, "%s%*s", row[i], i == last ? 0 : (int)pad, "");
        if (i < last)
            fputs("  ", out);
    }
    fputc('\n', out);
}

void listing_table_print(const listing_table *t, FILE *out, int indent)
{
    if (!t)
        return;
    size_t *width = calloc((size_t)t->ncols, sizeof *width);
    if (!width)
        return;
    for (int i = 0; i < t->ncols; i++)
        width[i] = listing_width(t->headers[i]);
    for (size_t r = 0; r < t->rows; r++)
        for (int i = 0; i < t->ncols; i++) {
            size_t w = listing_width(t->cells[r * (size_t)t->ncols + i]);
            if (w > width[i])
                width[i] = w;
        }
    print_row(t, t->headers, width, out, indent);
    fprintf(out, "%*s", indent, "");
    for (int i = 0; i < t->ncols; i++) {
        for (size_t k = 0; k < width[i]; k++)
            fputc('-', out);
        if (i < t->ncols - 1)
            fputs("  ", out);
    }
    fputc('\n', out);
    for (size_t r = 0; r < t->rows; r++)
        print_row(t, t->cells + r * (size_t)t->ncols, width, out, indent);
    free(width);
}

void listing_table_free(listing_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->rows * (size_t)t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    if (t->headers)
        for (int i = 0; i < t->ncols; i++)
            free(t->headers[i]);
    free(t->headers);
    free(t->max);
    free(t->right);
    free(t);
}

int listing_json_print(json_t *v)
{
    return cli_print_json(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

void listing_urls(const char *urls)
{
    char url[2048];
    while (history_url_next(&urls, url, sizeof url))
        printf("    %s\n", url);
}

void listing_out_start(listing_out *o, int json, int longform, int ncols,
                       const char *const *headers)
{
    *o = (listing_out){.json = json, .longform = longform};
    if (json)
        o->json_items = json_array();
    else if (!longform)
        o->table = listing_table_new(ncols, headers);
}

int listing_out_json(listing_out *o, json_t *j)
{
    return json_array_append_new(o->json_items, j) ? KT_ERR_NOMEM : 0;
}

int listing_out_row(listing_out *o, const char *const *cells)
{
    return listing_table_add(o->table, cells) ? KT_ERR_NOMEM : 0;
}

void listing_out_free(listing_out *o)
{
    json_decref(o->json_items);
    listing_table_free(o->table);
    o->json_items = NULL;
    o->table = NULL;
}

int listing_out_end(listing_out *o, int rc, kt_error *err)
{
    int code = CLI_CONTINUE;
    if (rc != KT_OK)
        code = cli_fail(rc, err);
    else if (o->json) {
        /* Asked for, so printed even when the array could not be made:
         * listing_json_print() then fails, and so does the command. */
        code = listing_json_print(o->json_items) ? CLI_EXIT_ERROR : CLI_EXIT_OK;
        o->json_items = NULL;
    }
    if (code != CLI_CONTINUE)
        listing_out_free(o);
    return code;
}

int listing_out_finish(listing_out *o, int rc, kt_error *err, const char *none,
                       const char *footer)
{
    int code = listing_out_end(o, rc, err);
    if (code != CLI_CONTINUE)
        return code;
    if (o->n == 0)
        printf("%s\n", none);
    else if (o->table) {
        listing_table_print(o->table, stdout, 0);
        if (footer)
            printf("\n%d %s\n", o->n, footer);
    }
    listing_out_free(o);
    return CLI_EXIT_OK;
}
