/*
 * import.c — a CSV list into the store as one source (store/import.h).
 *
 * Order of work, and why:
 *   1. read the bytes and hash them: the checksum is of the file as given,
 *      before any decoding, so the same file is recognised in any encoding
 *      option;
 *   2. decode to UTF-8 and read the header, map columns to fields — all
 *      before the database is touched, so option and header mistakes cost
 *      nothing;
 *   3. one transaction: refuse or replace an earlier import, add the source,
 *      add every row, write the audit entry, commit. Any error rolls all of
 *      it back, so a failed import leaves no source and no record behind.
 *
 * Every record keeps its raw row (decoded, without the line terminator) and
 * the line it starts on; parsed fields are trimmed copies, empty ones NULL.
 */
#include "store/import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <utf8proc.h>

#include "names/year.h"
#include "store/csv.h"
#include "store/encoding.h"
#include "util/sha256.h"

enum field_id {
    F_RECORD_ID, F_SURNAME, F_GIVEN_NAMES, F_PATRONYMIC, F_FATHER_NAME, F_NAME,
    F_BIRTH_YEAR, F_BIRTH_DATE, F_BIRTH_PLACE, F_RANK, F_OCCUPATION, F_CAMP,
    F_FATE, F_FATE_DATE, F_FATE_PLACE, F_LIST_POSITION, F_NOTE, NFIELDS
};

static const char *const field_names[NFIELDS] = {
    "record_id", "surname", "given_names", "patronymic", "father_name", "name",
    "birth_year", "birth_date", "birth_place", "rank", "occupation", "camp",
    "fate", "fate_date", "fate_place", "list_position", "note",
};

/* Fields whose text may state a birth year when no birth_year or birth_date
 * column does. Names, identifiers and everything about a death are left out:
 * a bare "1940" there is not a birth. Unmapped columns are searched too. */
static const int year_text_fields[] = {
    F_NOTE, F_BIRTH_PLACE, F_RANK, F_OCCUPATION, F_CAMP,
};

/* Plausible years of birth for anyone in a list the registry holds. */
enum { YEAR_MIN = 1800, YEAR_MAX = 2000 };

int store_import_field_known(const char *field)
{
    for (int f = 0; f < NFIELDS; f++)
        if (field && !strcmp(field, field_names[f]))
            return 1;
    return 0;
}

const char *store_import_field_list(void)
{
    return "record_id, surname, given_names, patronymic, father_name, name, "
           "birth_year, birth_date, birth_place, rank, occupation, camp, fate, "
           "fate_date, fate_place, list_position, note";
}

/* ---- small text helpers ----------------------------------------------- */

/* Equal without case, in any script (utf8proc case folding). */
static int same_name(const char *a, const char *b)
{
    utf8proc_uint8_t *fa = NULL, *fb = NULL;
    int opts = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
    int eq;
    if (utf8proc_map((const utf8proc_uint8_t *)a, 0, &fa, opts) >= 0 &&
        utf8proc_map((const utf8proc_uint8_t *)b, 0, &fb, opts) >= 0)
        eq = !strcmp((const char *)fa, (const char *)fb);
    else
        eq = !strcasecmp(a, b); /* not UTF-8 (a --column argument): bytes */
    free(fa);
    free(fb);
    return eq;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A trimmed copy of s, or NULL when s is empty after trimming. *oom is set
 * when memory runs out. */
static char *trim_dup(const char *s, int *oom)
{
    while (is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_space(s[n - 1]))
        n--;
    if (n == 0)
        return NULL;
    char *t = malloc(n + 1);
    if (!t) {
        *oom = 1;
        return NULL;
    }
    memcpy(t, s, n);
    t[n] = '\0';
    return t;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- names ------------------------------------------------------------ */

static int patronymic_word(const char *w, size_t n)
{
    static const char *const endings[] = {"ович", "евич", "ич", "овна", "евна", "ична"};
    /* The endings are Cyrillic, so a match is a Cyrillic word (a stray Latin
     * lookalike elsewhere in it, as in "Hаумович", does not matter). The
     * ending is compared in lower case so "ИВАНОВИЧ" in capitals counts. */
    utf8proc_uint8_t *low = NULL;
    char word[256];
    if (n >= sizeof word)
        return 0;
    memcpy(word, w, n);
    word[n] = '\0';
    if (utf8proc_map((const utf8proc_uint8_t *)word, 0, &low,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_CASEFOLD) < 0)
        return 0;
    size_t ln = strlen((const char *)low);
    int yes = 0;
    for (size_t e = 0; e < sizeof endings / sizeof *endings && !yes; e++) {
        size_t el = strlen(endings[e]);
        /* A word that is only the ending ("Ич") is not a patronymic. */
        yes = ln > el && !memcmp(low + ln - el, endings[e], el);
    }
    free(low);
    return yes;
}

/* Copies words [from, to) of the word list, space-separated, into out. */
static void join_words(const char *const *w, const size_t *wl, size_t from, size_t to,
                       char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = from; i < to; i++) {
        if (n + wl[i] + 2 > cap)
            break;
        if (n)
            out[n++] = ' ';
        memcpy(out + n, w[i], wl[i]);
        n += wl[i];
        out[n] = '\0';
    }
}

void store_import_split_name(const char *name, int given_first, char *surname,
                             char *given, char *patronymic, size_t cap)
{
    enum { MAXW = 32 };
    const char *w[MAXW];
    size_t wl[MAXW], nw = 0;
    surname[0] = given[0] = patronymic[0] = '\0';
    for (const char *p = name; *p && nw < MAXW;) {
        while (is_space(*p))
            p++;
        /* "(Дорофеевич)", "(Гюнсберг Маврикий Карлович)": another reading or
         * an alias; it stays in the whole name but is not a part of it. */
        if (*p == '(') {
            const char *close = strchr(p, ')');
            p = close ? close + 1 : p + strlen(p);
            continue;
        }
        if (!*p)
            break;
        const char *s = p;
        while (*p && !is_space(*p) && *p != '(')
            p++;
        w[nw] = s;
        wl[nw] = (size_t)(p - s);
        /* "Kowalski, Jan": the comma only separates. */
        if (wl[nw] > 1 && s[wl[nw] - 1] == ',')
            wl[nw]--;
        nw++;
    }
    if (nw == 0)
        return;
    if (nw == 1) {
        join_words(w, wl, 0, 1, surname, cap);
        return;
    }
    if (!given_first) {
        join_words(w, wl, 0, 1, surname, cap);
        size_t end = nw;
        if (nw >= 3 && patronymic_word(w[nw - 1], wl[nw - 1])) {
            join_words(w, wl, nw - 1, nw, patronymic, cap);
            end = nw - 1;
        }
        join_words(w, wl, 1, end, given, cap);
    } else {
        join_words(w, wl, nw - 1, nw, surname, cap);
        size_t end = nw - 1;
        if (nw >= 3 && patronymic_word(w[nw - 2], wl[nw - 2])) {
            join_words(w, wl, nw - 2, nw - 1, patronymic, cap);
            end = nw - 2;
        }
        join_words(w, wl, 0, end, given, cap);
    }
}

/* ---- years ------------------------------------------------------------ */

/* The birth_year cell: digits only, a plausible year; else 0. */
static int parse_year_cell(const char *s)
{
    while (is_space(*s))
        s++;
    int y = 0, digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++)
        if (digits < 6)
            y = y * 10 + (*s - '0');
    while (is_space(*s))
        s++;
    if (*s || digits != 4 || y < YEAR_MIN || y > YEAR_MAX)
        return 0;
    return y;
}

/* The year of a birth_date cell: as names_find_birth_year reads it, else
 * the one 4-digit number in the plausible range. */
static int year_of_date(const char *s)
{
    int y = names_find_birth_year(s, NULL);
    if (y)
        return y;
    int found = 0;
    for (const char *p = s; *p; p++) {
        if (!(p[0] >= '0' && p[0] <= '9') || (p > s && p[-1] >= '0' && p[-1] <= '9'))
            continue;
        size_t d = strspn(p, "0123456789");
        if (d != 4)
            continue;
        int v = atoi(p);
        if (v < YEAR_MIN || v > YEAR_MAX)
            continue;
        if (found && found != v)
            return 0;
        found = v;
    }
    return found;
}

/* ---- the import ------------------------------------------------------- */

typedef struct import_ctx {
    const char *file;
    store_csv *csv;
    size_t ncols;
    int *col_field;        /* per column: field id, or -1 (raw only) */
    int field_col[NFIELDS];/* per field: column, or -1 */
    int given_first;
} import_ctx;

static int map_columns(import_ctx *cx, const store_import_options *opt, kt_error *err)
{
    for (int f = 0; f < NFIELDS; f++)
        cx->field_col[f] = -1;
    for (size_t c = 0; c < cx->ncols; c++)
        cx->col_field[c] = -1;
    for (size_t m = 0; m < opt->ncolumns; m++) {
        const store_import_column *map = &opt->columns[m];
        int f = -1;
        for (int k = 0; k < NFIELDS; k++)
            if (map->field && !strcmp(map->field, field_names[k]))
                f = k;
        if (f < 0) {
            kt_error_at(err, cx->file, 0, NULL, "--column %s=%s: unknown field '%s' (fields: %s)",
                        map->field ? map->field : "", map->header ? map->header : "",
                        map->field ? map->field : "", store_import_field_list());
            return KT_ERR_INPUT;
        }
        if (cx->field_col[f] >= 0) {
            kt_error_at(err, cx->file, 0, NULL, "--column: field '%s' is mapped twice",
                        field_names[f]);
            return KT_ERR_INPUT;
        }
        size_t c = 0;
        while (c < cx->ncols && !same_name(store_csv_column(cx->csv, c), map->header))
            c++;
        if (c == cx->ncols) {
            kt_error_at(err, cx->file, 1, NULL,
                        "--column %s=%s: the header has no column '%s'", field_names[f],
                        map->header, map->header);
            return KT_ERR_INPUT;
        }
        if (cx->col_field[c] >= 0) {
            kt_error_at(err, cx->file, 1, map->header,
                        "--column: this column is mapped to both '%s' and '%s'",
                        field_names[cx->col_field[c]], field_names[f]);
            return KT_ERR_INPUT;
        }
        cx->col_field[c] = f;
        cx->field_col[f] = (int)c;
    }
    /* Headers named like a field hold it, unless the field is mapped. */
    for (size_t c = 0; c < cx->ncols; c++) {
        if (cx->col_field[c] >= 0)
            continue;
        for (int f = 0; f < NFIELDS; f++)
            if (cx->field_col[f] < 0 && same_name(store_csv_column(cx->csv, c), field_names[f])) {
                cx->col_field[c] = f;
                cx->field_col[f] = (int)c;
                break;
            }
    }
    return KT_OK;
}

/* Turns one CSV row into a record and stores it. */
static int import_row(store *st, import_ctx *cx, const store_csv_row *row,
                      int64_t source_id, int *with_year, kt_error *err)
{
    char *val[NFIELDS] = {0};
    int oom = 0, rc = KT_OK;
    char *raw = NULL, *text = NULL;
    char surname[512], given[512], patronymic[512];

    for (int f = 0; f < NFIELDS; f++)
        if (cx->field_col[f] >= 0)
            val[f] = trim_dup(row->fields[cx->field_col[f]], &oom);
    raw = malloc(row->raw_len + 1);
    if (oom || !raw) {
        kt_error_set(err, "out of memory importing line %ld", row->line);
        rc = KT_ERR_NOMEM;
        goto done;
    }
    memcpy(raw, row->raw, row->raw_len);
    raw[row->raw_len] = '\0';

    store_record rec;
    memset(&rec, 0, sizeof rec);
    rec.source_id = source_id;
    rec.record_key = val[F_RECORD_ID];
    rec.surname = val[F_SURNAME];
    rec.given_names = val[F_GIVEN_NAMES];
    rec.patronymic = val[F_PATRONYMIC];
    rec.father_name = val[F_FATHER_NAME];
    rec.name = val[F_NAME];
    rec.birth_date = val[F_BIRTH_DATE];
    rec.birth_place = val[F_BIRTH_PLACE];
    rec.rank = val[F_RANK];
    rec.occupation = val[F_OCCUPATION];
    rec.camp = val[F_CAMP];
    rec.fate = val[F_FATE];
    rec.fate_date = val[F_FATE_DATE];
    rec.fate_place = val[F_FATE_PLACE];
    rec.list_position = val[F_LIST_POSITION];
    rec.note = val[F_NOTE];
    rec.raw = raw;
    rec.raw_line = row->line;

    /* A whole name fills the parts the file does not give separately. */
    if (val[F_NAME]) {
        store_import_split_name(val[F_NAME], cx->given_first, surname, given, patronymic,
                                sizeof surname);
        if (!rec.surname && surname[0])
            rec.surname = surname;
        if (!rec.given_names && given[0])
            rec.given_names = given;
        if (!rec.patronymic && patronymic[0])
            rec.patronymic = patronymic;
    }

    if (val[F_BIRTH_YEAR]) {
        rec.birth_year = parse_year_cell(val[F_BIRTH_YEAR]);
        if (!rec.birth_year) {
            kt_error_at(err, cx->file, row->line,
                        store_csv_column(cx->csv, (size_t)cx->field_col[F_BIRTH_YEAR]),
                        "'%s' is not a year of birth (a year %d-%d expected)",
                        val[F_BIRTH_YEAR], YEAR_MIN, YEAR_MAX);
            rc = KT_ERR_INPUT;
            goto done;
        }
    } else if (val[F_BIRTH_DATE]) {
        rec.birth_year = year_of_date(val[F_BIRTH_DATE]);
    }
    if (!rec.birth_year) {
        /* The other columns' text, joined, so a marked year anywhere beats a
         * bare one and two different bare years cancel out. */
        size_t cap = row->raw_len + 16 * cx->ncols + 1, n = 0;
        text = malloc(cap);
        if (!text) {
            kt_error_set(err, "out of memory importing line %ld", row->line);
            rc = KT_ERR_NOMEM;
            goto done;
        }
        text[0] = '\0';
        for (size_t c = 0; c < cx->ncols; c++) {
            int f = cx->col_field[c], use = f < 0;
            for (size_t k = 0; k < sizeof year_text_fields / sizeof *year_text_fields; k++)
                use |= f == year_text_fields[k];
            const char *cell = row->fields[c];
            size_t l = strlen(cell);
            if (!use || !l || n + l + 4 > cap)
                continue;
            if (n) {
                memcpy(text + n, " ; ", 3);
                n += 3;
            }
            memcpy(text + n, cell, l);
            n += l;
            text[n] = '\0';
        }
        rec.birth_year = names_find_birth_year(text, NULL);
    }
    if (rec.birth_year)
        (*with_year)++;

    rc = store_record_add(st, &rec, err);
    if (rc != KT_OK) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%s", err->message);
        kt_error_at(err, cx->file, row->line, NULL, "%s", msg);
    }
done:
    for (int f = 0; f < NFIELDS; f++)
        free(val[f]);
    free(raw);
    free(text);
    return rc;
}

/* "Cyrl" or "Latn": the script most letters of the names are in. */
static const char *names_script(long cyr, long lat)
{
    if (!cyr && !lat)
        return NULL;
    return cyr >= lat ? "Cyrl" : "Latn";
}

static void count_script(const char *s, long *cyr, long *lat)
{
    if (!s)
        return;
    utf8proc_int32_t cp;
    for (utf8proc_ssize_t i = 0, l; s[i]; i += l > 0 ? l : 1) {
        l = utf8proc_iterate((const utf8proc_uint8_t *)s + i, -1, &cp);
        if (l > 0 && cp >= 0x400 && cp <= 0x4FF)
            (*cyr)++;
        else if (l > 0 && ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
                           (cp >= 0xC0 && cp <= 0x24F)))
            (*lat)++;
    }
}

/* The few statements the store interface has no call for, on its handle. */
static long records_of(store *st, int64_t source_id)
{
    sqlite3_stmt *s = NULL;
    long n = 0;
    if (sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM record WHERE source_id = ?1",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, source_id);
        if (sqlite3_step(s) == SQLITE_ROW)
            n = (long)sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return n;
}

static int set_script(store *st, int64_t source_id, const char *script, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(store_db(st), "UPDATE source SET script = ?1 WHERE id = ?2",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, script, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, source_id);
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_OK) {
        kt_error_set(err, "setting the source's script: %s", sqlite3_errmsg(store_db(st)));
        return KT_ERR;
    }
    return KT_OK;
}

/* What a replaced source said about itself, carried over to its successor
 * unless the new import says otherwise (a title given by --title once
 * should not be lost by every later --replace). */
typedef struct source_meta {
    char *title, *reference, *date, *language, *licence, *url;
} source_meta;

static void meta_free(source_meta *m)
{
    free(m->title);
    free(m->reference);
    free(m->date);
    free(m->language);
    free(m->licence);
    free(m->url);
    memset(m, 0, sizeof *m);
}

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

static void meta_keep(source_meta *m, const store_source *src)
{
    if (m->title || m->reference || m->url)
        return; /* the first replaced source speaks */
    m->title = dup_or_null(src->title);
    m->reference = dup_or_null(src->reference);
    m->date = dup_or_null(src->date);
    m->language = dup_or_null(src->language);
    m->licence = dup_or_null(src->licence);
    m->url = dup_or_null(src->url);
}

/* Refuses or clears an earlier import of the same bytes or the same key. */
static int check_earlier(store *st, const char *file, const store_import_options *opt,
                         const char *checksum, store_import_result *res,
                         source_meta *meta, kt_error *err)
{
    store_source prev;
    int rc = store_source_by_checksum(st, checksum, &prev, err);
    if (rc == KT_OK) {
        if (!opt->replace) {
            kt_error_at(err, file, 0, NULL,
                        "this file was already imported as source '%s' (same SHA-256 %.12s…); "
                        "use --replace to replace that source",
                        prev.key, checksum);
            return KT_ERR_EXISTS;
        }
        snprintf(res->replaced, sizeof res->replaced, "%s", prev.key);
        res->replaced_records = records_of(st, prev.id);
        meta_keep(meta, &prev);
        if ((rc = store_source_delete(st, prev.id, err)) != KT_OK)
            return rc;
    } else if (rc != KT_ERR_NOTFOUND) {
        return rc;
    }
    rc = store_source_get(st, opt->source_key, &prev, err);
    if (rc == KT_OK) {
        if (!opt->replace) {
            kt_error_at(err, file, 0, NULL,
                        "source '%s' already exists (imported from %s); choose another "
                        "--source or use --replace",
                        prev.key, prev.file_name && *prev.file_name ? prev.file_name : "elsewhere");
            return KT_ERR_EXISTS;
        }
        if (!res->replaced[0]) {
            snprintf(res->replaced, sizeof res->replaced, "%s", prev.key);
            res->replaced_records = records_of(st, prev.id);
        }
        meta_keep(meta, &prev);
        return store_source_delete(st, prev.id, err);
    }
    return rc == KT_ERR_NOTFOUND ? KT_OK : rc;
}

int store_import_csv_data(store *st, const char *data, size_t len, const char *file,
                          const store_import_options *opt, store_import_result *res,
                          kt_error *err)
{
    memset(res, 0, sizeof *res);
    if (!opt->source_key || !*opt->source_key) {
        kt_error_set(err, "an import needs a source key (--source KEY)");
        return KT_ERR_INPUT;
    }
    kt_sha256_hex(data, len, res->checksum);

    char *utf8 = NULL;
    size_t ulen = 0;
    int rc = store_encoding_to_utf8(data, len, opt->encoding, file, &utf8, &ulen, err);
    if (rc != KT_OK)
        return rc;

    import_ctx cx;
    memset(&cx, 0, sizeof cx);
    source_meta meta;
    memset(&meta, 0, sizeof meta);
    cx.file = file;
    cx.given_first = opt->given_first;
    rc = store_csv_open(utf8, ulen, file, &cx.csv, err);
    if (rc != KT_OK) {
        free(utf8);
        return rc;
    }
    cx.ncols = store_csv_columns(cx.csv);
    cx.col_field = calloc(cx.ncols, sizeof *cx.col_field);
    if (!cx.col_field) {
        kt_error_set(err, "out of memory");
        rc = KT_ERR_NOMEM;
        goto out;
    }
    if ((rc = map_columns(&cx, opt, err)) != KT_OK)
        goto out;

    if ((rc = store_begin(st, err)) != KT_OK)
        goto out;
    if ((rc = check_earlier(st, file, opt, res->checksum, res, &meta, err)) != KT_OK)
        goto rollback;

    store_source src;
    memset(&src, 0, sizeof src);
    src.key = opt->source_key;
    src.title = opt->title && *opt->title ? opt->title
                : meta.title                  ? meta.title
                                              : base_name(file);
    src.reference = meta.reference;
    src.date = meta.date;
    src.language = meta.language;
    src.licence = meta.licence;
    src.url = meta.url;
    src.file_name = base_name(file);
    src.checksum = res->checksum;
    if ((rc = store_source_add(st, &src, err)) != KT_OK)
        goto rollback;
    res->source_id = src.id;

    store_csv_row row;
    int with_year = 0;
    long cyr = 0, lat = 0;
    while ((rc = store_csv_next(cx.csv, &row, err)) == 1) {
        if ((rc = import_row(st, &cx, &row, src.id, &with_year, err)) != KT_OK)
            goto rollback;
        res->records++;
        for (int f = F_SURNAME; f <= F_NAME; f++)
            if (cx.field_col[f] >= 0)
                count_script(row.fields[cx.field_col[f]], &cyr, &lat);
    }
    if (rc != 0)
        goto rollback;
    res->with_year = with_year;

    const char *script = names_script(cyr, lat);
    if (script && (rc = set_script(st, src.id, script, err)) != KT_OK)
        goto rollback;

    char detail[1024];
    int dn = snprintf(detail, sizeof detail,
                      "%ld records (%ld with a year of birth) from %s, sha256 %s",
                      res->records, res->with_year, base_name(file), res->checksum);
    if (res->replaced[0] && dn > 0 && (size_t)dn < sizeof detail)
        snprintf(detail + dn, sizeof detail - (size_t)dn,
                 "; replaces source '%s' (%ld records)", res->replaced, res->replaced_records);
    if ((rc = store_audit(st, "import", opt->source_key, detail, err)) != KT_OK)
        goto rollback;
    if ((rc = store_commit(st, err)) != KT_OK)
        goto rollback;
    goto out;

rollback:
    store_rollback(st);
    res->records = res->with_year = 0;
    res->source_id = 0;
out:
    meta_free(&meta);
    free(cx.col_field);
    store_csv_close(cx.csv);
    free(utf8);
    return rc;
}

int store_import_csv(store *st, const char *path, const store_import_options *opt,
                     store_import_result *res, kt_error *err)
{
    memset(res, 0, sizeof *res);
    FILE *f = fopen(path, "rb");
    if (!f) {
        kt_error_at(err, path, 0, NULL, "cannot open: %s", strerror(errno));
        return KT_ERR;
    }
    /* A directory cannot be read, and a device such as /dev/zero or
     * /dev/urandom never ends: refuse both before reading. (A pipe, as
     * from "<(gunzip -c list.csv.gz)", is read to its end.) */
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 &&
        (S_ISDIR(sb.st_mode) || S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode))) {
        kt_error_at(err, path, 0, NULL, "is a %s, not a CSV file",
                    S_ISDIR(sb.st_mode) ? "directory" : "device");
        fclose(f);
        return KT_ERR_INPUT;
    }
    size_t cap = 1 << 16, len = 0;
    char *data = malloc(cap);
    int rc = KT_OK;
    while (data) {
        size_t n = fread(data + len, 1, cap - len, f);
        len += n;
        if (len < cap) {
            if (ferror(f)) {
                kt_error_at(err, path, 0, NULL, "cannot read: %s", strerror(errno));
                rc = KT_ERR;
            }
            break;
        }
        char *bigger = realloc(data, cap * 2);
        if (!bigger) {
            free(data);
            data = NULL;
            break;
        }
        data = bigger;
        cap *= 2;
    }
    fclose(f);
    if (!data) {
        kt_error_at(err, path, 0, NULL, "out of memory reading the file");
        return KT_ERR_NOMEM;
    }
    if (rc == KT_OK)
        rc = store_import_csv_data(st, data, len, path, opt, res, err);
    free(data);
    return rc;
}
