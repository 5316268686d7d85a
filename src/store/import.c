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

#include "names/fate.h"
#include "names/names.h"
#include "names/othernames.h"
#include "names/year.h"
#include "store/csv.h"
#include "store/encoding.h"
#include "store/record_alias.h"
#include "util/sha256.h"

enum field_id {
    F_RECORD_ID, F_SURNAME, F_GIVEN_NAMES, F_PATRONYMIC, F_FATHER_NAME, F_NAME,
    F_BIRTH_YEAR, F_BIRTH_DATE, F_BIRTH_PLACE, F_RANK, F_OCCUPATION, F_CAMP,
    F_FATE, F_FATE_DATE, F_FATE_PLACE, F_LIST_POSITION, F_NOTE, F_URL, NFIELDS
};

static const char *const field_names[NFIELDS] = {
    "record_id", "surname", "given_names", "patronymic", "father_name", "name",
    "birth_year", "birth_date", "birth_place", "rank", "occupation", "camp",
    "fate", "fate_date", "fate_place", "list_position", "note", "url",
};

/* The headers the archives' lists use for each field, in English, Polish
 * and Russian (compared without case; the field's own name counts too).
 * "BIO" is Memorial's column of biographies; "LINK" its row's address. */
static const char *const field_headers[NFIELDS][12] = {
    [F_RECORD_ID] = {"id", "record id", "identyfikator", "идентификатор"},
    [F_SURNAME] = {"last name", "last_name", "lastname", "family name", "nazwisko",
                   "фамилия"},
    [F_GIVEN_NAMES] = {"first name", "first_name", "first names", "given names",
                       "forename", "forenames", "imię", "imie", "imiona", "имя"},
    [F_PATRONYMIC] = {"отчество"},
    [F_FATHER_NAME] = {"father", "father's name", "fathers name", "imię ojca",
                       "imie ojca", "ojciec", "имя отца"},
    [F_NAME] = {"full name", "full_name", "imię i nazwisko", "nazwisko i imię",
                "nazwisko i imiona", "фио", "ф.и.о.", "фамилия имя отчество"},
    [F_BIRTH_YEAR] = {"year of birth", "born", "rok urodzenia", "rok ur.", "год рождения",
                      "г.р.", "год р."},
    [F_BIRTH_DATE] = {"date of birth", "data urodzenia", "дата рождения"},
    [F_BIRTH_PLACE] = {"place of birth", "birthplace", "miejsce urodzenia",
                       "место рождения"},
    [F_RANK] = {"military rank", "stopień", "stopien", "stopień wojskowy", "звание",
                "воинское звание"},
    [F_OCCUPATION] = {"profession", "zawód", "zawod", "профессия", "род занятий"},
    [F_CAMP] = {"obóz", "oboz", "лагерь"},
    [F_FATE] = {"los", "судьба"},
    [F_FATE_DATE] = {"date of death", "data śmierci", "data smierci", "дата смерти",
                     "дата расстрела"},
    [F_FATE_PLACE] = {"place of death", "miejsce śmierci", "miejsce smierci",
                      "место смерти", "место расстрела"},
    [F_LIST_POSITION] = {"position", "lp", "lp.", "l.p.", "nr", "№", "№ п/п"},
    [F_NOTE] = {"notes", "remarks", "comment", "comments", "bio", "biography", "uwagi",
                "biogram", "biografia", "примечание", "примечания", "биография"},
    [F_URL] = {"link", "source_url", "source url", "odnośnik", "ссылка"},
};

/* Fields whose text may state a birth year when no birth_year or birth_date
 * column does. Names, identifiers and everything about a death are left out:
 * a bare "1940" there is not a birth. Unmapped columns are searched too. */
static const int year_text_fields[] = {
    F_NOTE, F_BIRTH_PLACE, F_RANK, F_OCCUPATION, F_CAMP,
};

/* Plausible years of birth for anyone in a list the registry holds. */
enum { YEAR_MIN = 1800, YEAR_MAX = 2000 };

int store_import_key_valid(const char *key)
{
    size_t n = 0;
    for (; key && key[n]; n++) {
        char c = key[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    return n > 0 && n <= 64;
}

const char *store_import_field(int i)
{
    return i >= 0 && i < NFIELDS ? field_names[i] : NULL;
}

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
           "fate_date, fate_place, list_position, note, url";
}

/* ---- small text helpers ----------------------------------------------- */

/* s without case, in any script (utf8proc case folding); s itself, copied,
 * when it is not UTF-8. NULL only when memory runs out. */
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

/* Equal without case, in any script (utf8proc case folding). */
static int same_name(const char *a, const char *b)
{
    /* Folding changes a name's length by a small factor only (composition
     * at most merges a letter's few marks, case folding only grows), so
     * names of very different lengths differ: no folding of a 10 MB header
     * cell for each of the names a column may have. */
    size_t la = strlen(a), lb = strlen(b);
    if (la > 8 * lb + 16 || lb > 8 * la + 16)
        return 0;
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

/* Copies n bytes of s into out (cap bytes), without bracketed text that a
 * span of the whole name may enclose ("Jan (Janek) Józef"). */
static void copy_span(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int depth = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && depth)
            depth--;
        else if (!depth && !(s[i] == ' ' && (o == 0 || out[o - 1] == ' ')))
            out[o++] = s[i];
    }
    while (o && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
}

/* The order names_split_whole_order takes for the options' given_first. */
static int name_order(int given_first)
{
    return given_first > 0 ? NAMES_ORDER_GIVEN_FIRST
           : given_first < 0 ? NAMES_ORDER_AUTO
                             : NAMES_ORDER_SURNAME_FIRST;
}

/* Splits name (without its brackets, already in plain) into the parts. */
static void split_plain(const char *plain, int given_first, char *surname, char *given,
                        char *patronymic, size_t cap)
{
    names_split sp;
    names_split_whole_order(plain, name_order(given_first), &sp);
    copy_span(sp.surname ? sp.surname : "", sp.surname_len, surname, cap);
    copy_span(sp.given ? sp.given : "", sp.given_len, given, cap);
    copy_span(sp.patronymic ? sp.patronymic : "", sp.patronymic_len, patronymic, cap);
    /* "Kowalski, Jan": the comma only separates */
    size_t l = strlen(surname);
    if (l > 1 && surname[l - 1] == ',')
        surname[l - 1] = '\0';
}

void store_import_split_name(const char *name, int given_first, char *surname,
                             char *given, char *patronymic, size_t cap)
{
    char plain[1024];
    names_other other[1];
    names_other_names(name, given_first > 0, other, 0, plain, sizeof plain);
    split_plain(plain, given_first, surname, given, patronymic, cap);
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

/* A file whose columns give no name: the headers found, and how to map. */
static int no_name_column(const import_ctx *cx, kt_error *err)
{
    /* the headers, each recognised one with its field: 'Rok urodzenia'
     * (birth_year); the example mapping names the first one not taken */
    char found[512];
    size_t n = 0;
    const char *example = NULL;
    found[0] = '\0';
    for (size_t c = 0; c < cx->ncols && n + 8 < sizeof found; c++) {
        const char *h = store_csv_column(cx->csv, c);
        int f = cx->col_field[c];
        if (f < 0 && !example)
            example = h;
        int w = snprintf(found + n, sizeof found - n, "%s'%s'%s%s%s", c ? ", " : "", h,
                         f >= 0 ? " (" : "", f >= 0 ? field_names[f] : "", f >= 0 ? ")" : "");
        if (w < 0 || (size_t)w >= sizeof found - n) {
            snprintf(found + n, sizeof found - n, ", …");
            break;
        }
        n += (size_t)w;
    }
    if (!example)
        example = "HEADER";
    kt_error_at(err, cx->file, 1, NULL,
                "no column gives a name (the header has %s); name the columns surname, "
                "given_names or name, or map them, e.g. --column surname='%s', or "
                "--column name='%s' for a whole name in one column",
                found, example, example);
    return KT_ERR_INPUT;
}

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
    /* Headers named like a field, or as the lists name it, hold it unless
     * the field is mapped. The names are folded once each, so a file of
     * many columns costs one fold per column. */
    enum { NSYN = 13 };
    char *syn[NFIELDS][NSYN] = {{0}};
    int rc = KT_OK;
    for (int f = 0; f < NFIELDS && rc == KT_OK; f++)
        for (int k = 0; k < NSYN && rc == KT_OK; k++) {
            const char *name = k == 0 ? field_names[f] : field_headers[f][k - 1];
            if (name && !(syn[f][k] = fold(name)))
                rc = KT_ERR_NOMEM;
            if (!name)
                break;
        }
    for (size_t c = 0; c < cx->ncols && rc == KT_OK; c++) {
        if (cx->col_field[c] >= 0)
            continue;
        char *h = fold(store_csv_column(cx->csv, c));
        if (!h) {
            rc = KT_ERR_NOMEM;
            break;
        }
        for (int f = 0; f < NFIELDS && cx->col_field[c] < 0; f++) {
            if (cx->field_col[f] >= 0)
                continue;
            for (int k = 0; k < NSYN && syn[f][k]; k++)
                if (!strcmp(h, syn[f][k])) {
                    cx->col_field[c] = f;
                    cx->field_col[f] = (int)c;
                    break;
                }
        }
        free(h);
    }
    for (int f = 0; f < NFIELDS; f++)
        for (int k = 0; k < NSYN; k++)
            free(syn[f][k]);
    if (rc != KT_OK) {
        kt_error_set(err, "out of memory reading the header");
        return rc;
    }
    if (cx->field_col[F_SURNAME] < 0 && cx->field_col[F_NAME] < 0 &&
        cx->field_col[F_GIVEN_NAMES] < 0)
        return no_name_column(cx, err);
    return KT_OK;
}

/* The text of a row's columns that may state a year of birth or a fate:
 * the unmapped ones and those of fields[] (nf of them), joined with " ; "
 * so a marked year anywhere beats a bare one and two different bare years
 * cancel out. NULL when memory runs out. */
static char *row_text(const import_ctx *cx, const store_csv_row *row, const int *fields,
                      size_t nf)
{
    size_t cap = row->raw_len + 16 * cx->ncols + 1, n = 0;
    char *text = malloc(cap);
    if (!text)
        return NULL;
    text[0] = '\0';
    for (size_t c = 0; c < cx->ncols; c++) {
        int f = cx->col_field[c], use = f < 0;
        for (size_t k = 0; k < nf; k++)
            use |= f == fields[k];
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
    return text;
}

/* Fields whose text may state the fate when no column gives it all. */
static const int fate_text_fields[] = {F_NOTE, F_FATE, F_FATE_PLACE, F_FATE_DATE};

/* Turns one CSV row into a record and stores it, with its other names. */
static int import_row(store *st, import_ctx *cx, const store_csv_row *row,
                      int64_t source_id, store_import_result *res, kt_error *err)
{
    char *val[NFIELDS] = {0};
    int oom = 0, rc = KT_OK;
    char *raw = NULL, *text = NULL;
    char surname[512], given[512], patronymic[512], plain[1024], place[300];
    names_other other[8];
    size_t nother = 0;

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
    /* A list without an id column is still cited by a key of its own: the
     * line its row starts on, which anyone holding the file can find. */
    char line_key[32];
    snprintf(line_key, sizeof line_key, "line %ld", row->line);
    rec.record_key = val[F_RECORD_ID] && *val[F_RECORD_ID] ? val[F_RECORD_ID] : line_key;
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
    rec.source_urls = val[F_URL];
    rec.raw = raw;
    rec.raw_line = row->line;

    /* A whole name fills the parts the file does not give separately; its
     * brackets are the record's other names. */
    if (val[F_NAME]) {
        nother = names_other_names(val[F_NAME], cx->given_first > 0, other,
                                   sizeof other / sizeof *other, plain, sizeof plain);
        split_plain(plain, cx->given_first, surname, given, patronymic, sizeof surname);
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
        if (!(text = row_text(cx, row, year_text_fields,
                              sizeof year_text_fields / sizeof *year_text_fields)))
            goto nomem;
        rec.birth_year = names_find_birth_year(text, NULL);
        free(text);
        text = NULL;
    }
    if (rec.birth_year)
        res->with_year++;

    /* The fate, its date and place from the text, where no column says. */
    names_fate fate;
    memset(&fate, 0, sizeof fate);
    if (!rec.fate || !rec.fate_date || !rec.fate_place) {
        if (!(text = row_text(cx, row, fate_text_fields,
                              sizeof fate_text_fields / sizeof *fate_text_fields)))
            goto nomem;
        names_find_fate(text, &fate);
        if (!rec.fate && fate.kind)
            rec.fate = fate.kind;
        if (!rec.fate_date && fate.date[0])
            rec.fate_date = fate.date;
        if (!rec.fate_place && (fate.place[0] || fate.burial[0])) {
            snprintf(place, sizeof place, "%s%s%s%s", fate.place,
                     fate.place[0] && fate.burial[0] ? "; " : "",
                     fate.burial[0] ? "burial: " : "", fate.burial);
            rec.fate_place = place;
        }
    }
    if (rec.fate)
        res->with_fate++;

    rc = store_record_add(st, &rec, err);
    for (size_t i = 0; rc == KT_OK && i < nother; i++) {
        store_record_alias a = {.record_id = rec.id, .name = other[i].name,
                                .kind = names_other_kinds[other[i].kind]};
        if ((rc = store_record_alias_add(st, &a, err)) == KT_OK)
            res->other_names++;
    }
    if (rc != KT_OK) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%s", err->message);
        kt_error_at(err, cx->file, row->line, NULL, "%s", msg);
    }
    goto done;
nomem:
    kt_error_set(err, "out of memory importing line %ld", row->line);
    rc = KT_ERR_NOMEM;
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
    if (!store_import_key_valid(opt->source_key)) {
        kt_error_set(err, "'%s' is not a source key: use letters, digits, '-' and '_' "
                     "(at most 64), e.g. memorial_moscow", opt->source_key);
        return KT_ERR_INPUT;
    }
    kt_sha256_hex(data, len, res->checksum);

    char *utf8 = NULL;
    size_t ulen = 0;
    int rc = store_encoding_decode(data, len, opt->encoding, file, &utf8, &ulen,
                                   &res->encoding, err);
    if (rc != KT_OK)
        return rc;
    res->encoding_detected = !opt->encoding || !strcasecmp(opt->encoding, "auto");

    import_ctx cx;
    memset(&cx, 0, sizeof cx);
    source_meta meta;
    memset(&meta, 0, sizeof meta);
    cx.file = file;
    cx.given_first = opt->given_first;
    rc = store_csv_open_with(utf8, ulen, file, opt->delimiter, &cx.csv, err);
    if (rc != KT_OK) {
        free(utf8);
        return rc;
    }
    res->delimiter = store_csv_delimiter(cx.csv);
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
    src.reference = opt->reference && *opt->reference ? opt->reference : meta.reference;
    src.date = meta.date;
    src.language = opt->language && *opt->language ? opt->language : meta.language;
    src.licence = opt->licence && *opt->licence ? opt->licence : meta.licence;
    src.url = opt->url && *opt->url ? opt->url : meta.url;
    src.file_name = base_name(file);
    src.checksum = res->checksum;
    if ((rc = store_source_add(st, &src, err)) != KT_OK)
        goto rollback;
    res->source_id = src.id;

    store_csv_row row;
    long cyr = 0, lat = 0;
    while ((rc = store_csv_next(cx.csv, &row, err)) == 1) {
        if ((rc = import_row(st, &cx, &row, src.id, res, err)) != KT_OK)
            goto rollback;
        res->records++;
        if (opt->progress && res->records % 256 == 0)
            opt->progress(opt->progress_ctx, res->records,
                          (size_t)(row.raw + row.raw_len - utf8), ulen);
        for (int f = F_SURNAME; f <= F_NAME; f++)
            if (cx.field_col[f] >= 0)
                count_script(row.fields[cx.field_col[f]], &cyr, &lat);
    }
    if (rc != 0)
        goto rollback;

    const char *script = names_script(cyr, lat);
    if (script && (rc = set_script(st, src.id, script, err)) != KT_OK)
        goto rollback;

    char detail[1024];
    int dn = snprintf(detail, sizeof detail,
                      "%ld records (%ld with a year of birth, %ld with a fate, %ld other "
                      "names) from %s, read as %s%s, sha256 %s",
                      res->records, res->with_year, res->with_fate, res->other_names,
                      base_name(file), res->encoding,
                      res->encoding_detected ? " (told from the text)" : "", res->checksum);
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
    res->records = res->with_year = res->with_fate = res->other_names = 0;
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
