/*
 * export.c — persons written out for other tools: CSV (one row per record
 * of a person, with his id), JSON (each person as store_person_json gives
 * him), and GEDCOM 5.5.1 for genealogists.
 *
 * GEDCOM: one INDI per person; a NAME for each distinct form his records
 * write (the first as given, the rest TYPE aka) and for each alias; the
 * birth (the full date a record gives, else the year most records give;
 * the place); the fate as an EVEN of TYPE Fate; every record as a source
 * citation (a SOUR record per list, PAGE the list's own key, DATA TEXT the
 * raw row). UTF-8 (CHAR UTF-8), lines under 255 characters (CONC/CONT).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "link/link.h"
#include "store/export.h"
#include "store/json.h"
#include "store/persons.h"

/* ---- person collected ------------------------------------------------------ */

#define PERSON_RECORDS_MAX 64

typedef struct rec_copy {
    int64_t id;
    char *source, *record_key, *surname, *given, *father, *whole, *birth_date,
        *birth_place, *rank, *fate, *fate_date, *fate_place, *raw, *method, *why;
    int birth_year;
    double weight;
} rec_copy;

typedef struct person_copy {
    int n;
    rec_copy r[PERSON_RECORDS_MAX];
} person_copy;

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

static int copy_record(void *ctx, const store_record *r, const store_link *l)
{
    person_copy *p = ctx;
    if (p->n == PERSON_RECORDS_MAX)
        return 0;
    rec_copy *c = &p->r[p->n++];
    c->id = r->id;
    c->source = dup_or_null(r->source_key);
    c->record_key = dup_or_null(r->record_key);
    c->surname = dup_or_null(r->surname);
    c->given = dup_or_null(r->given_names);
    c->father = dup_or_null(r->patronymic ? r->patronymic : r->father_name);
    c->whole = dup_or_null(r->name);
    c->birth_date = dup_or_null(r->birth_date);
    c->birth_place = dup_or_null(r->birth_place);
    c->rank = dup_or_null(r->rank);
    c->fate = dup_or_null(r->fate);
    c->fate_date = dup_or_null(r->fate_date);
    c->fate_place = dup_or_null(r->fate_place);
    c->raw = dup_or_null(r->raw);
    c->method = dup_or_null(l->method);
    c->why = dup_or_null(l->why);
    c->birth_year = r->birth_year;
    c->weight = l->weight;
    return 0;
}

static void person_copy_free(person_copy *p)
{
    for (int i = 0; i < p->n; i++) {
        rec_copy *c = &p->r[i];
        char *f[] = {c->source, c->record_key, c->surname, c->given, c->father, c->whole,
                     c->birth_date, c->birth_place, c->rank, c->fate, c->fate_date,
                     c->fate_place, c->raw, c->method, c->why};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            free(f[k]);
    }
    p->n = 0;
}

/* ---- CSV ----------------------------------------------------------------------- */

static void csv_field(FILE *out, const char *s, int last)
{
    if (s)
        store_export_field(out, s);
    fputc(last ? '\n' : ',', out);
}

static void write_csv(FILE *out, int64_t person, const char *label, const person_copy *p)
{
    char pid[32], rid[32], year[16], weight[32];
    snprintf(pid, sizeof pid, "%lld", (long long)person);
    for (int i = 0; i < p->n; i++) {
        const rec_copy *c = &p->r[i];
        snprintf(rid, sizeof rid, "%lld", (long long)c->id);
        snprintf(year, sizeof year, "%d", c->birth_year);
        snprintf(weight, sizeof weight, "%.2f", c->weight);
        const char *row[] = {pid, label, c->source, c->record_key, rid, c->surname, c->given,
                             c->father, c->whole, c->birth_year ? year : NULL,
                             c->birth_date, c->birth_place, c->rank, c->fate, c->fate_date,
                             c->fate_place, c->method, weight};
        size_t n = sizeof row / sizeof row[0];
        for (size_t k = 0; k < n; k++)
            csv_field(out, row[k], k == n - 1);
    }
}

/* ---- GEDCOM ------------------------------------------------------------------------ */

/* One line "LEVEL TAG VALUE", long values continued with CONC at a
 * character boundary, newlines with CONT. */
static void ged(FILE *out, int level, const char *tag, const char *value)
{
    if (!value) {
        fprintf(out, "%d %s\n", level, tag);
        return;
    }
    const char *v = value;
    int first = 1;
    while (first || *v) {
        size_t n = strcspn(v, "\r\n");
        size_t max = 200;
        if (n > max) {
            n = max;
            while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
                n--;
            /* never end a line on a space: readers strip it */
            while (n > 1 && (v[n - 1] == ' ' || v[n] == ' '))
                n--;
        }
        fprintf(out, "%d %s%s%.*s\n", first ? level : level + 1,
                first ? tag : (v[-1] == '\n' ? "CONT" : "CONC"), n ? " " : "", (int)n, v);
        v += n;
        if (*v == '\r')
            v++;
        if (*v == '\n') {
            v++;
            if (!*v)
                fprintf(out, "%d CONT\n", level + 1);
        }
        first = 0;
    }
}

static const char *const months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                      "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

/* "1893-12-25" / "25.12.1893" / "1940-04" / "1893" to GEDCOM; "" when none. */
static void ged_date(const char *d, int year, char *out, size_t cap)
{
    int y = 0, m = 0, day = 0;
    out[0] = '\0';
    if (d && (sscanf(d, "%4d-%2d-%2d", &y, &m, &day) >= 1 ||
              sscanf(d, "%2d.%2d.%4d", &day, &m, &y) == 3)) {
        if (y > 999 && m >= 1 && m <= 12 && day >= 1 && day <= 31)
            snprintf(out, cap, "%d %s %d", day, months[m - 1], y);
        else if (y > 999 && m >= 1 && m <= 12)
            snprintf(out, cap, "%s %d", months[m - 1], y);
        else if (y > 999)
            snprintf(out, cap, "%d", y);
    }
    if (!out[0] && year > 0)
        snprintf(out, cap, "%d", year);
}

/* A name as GEDCOM writes it: "Given /Surname/". */
static void ged_name(const rec_copy *c, char *out, size_t cap)
{
    if (c->surname)
        snprintf(out, cap, "%s%s/%s/", c->given ? c->given : "", c->given ? " " : "",
                 c->surname);
    else if (c->whole)
        snprintf(out, cap, "%s", c->whole);
    else
        out[0] = '\0';
}

typedef struct source_ids {
    char **key;
    size_t n;
} source_ids;

static int gedcom_sources(store *st, FILE *out, source_ids *ids, kt_error *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), "SELECT key, title, reference, url FROM source"
                           " ORDER BY id", -1, &s, NULL) != SQLITE_OK) {
        kt_error_set(err, "reading sources: %s", sqlite3_errmsg(store_db(st)));
        return KT_ERR;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
        char **grown = realloc(ids->key, (ids->n + 1) * sizeof *grown);
        if (!grown)
            break;
        ids->key = grown;
        ids->key[ids->n] = strdup((const char *)sqlite3_column_text(s, 0));
        ids->n++;
        fprintf(out, "0 @S%zu@ SOUR\n", ids->n);
        const char *title = (const char *)sqlite3_column_text(s, 1);
        ged(out, 1, "TITL", title && *title ? title : ids->key[ids->n - 1]);
        ged(out, 1, "ABBR", ids->key[ids->n - 1]);
        const char *ref = (const char *)sqlite3_column_text(s, 2);
        if (ref && *ref)
            ged(out, 1, "PUBL", ref);
        const char *url = (const char *)sqlite3_column_text(s, 3);
        if (url && *url)
            ged(out, 1, "NOTE", url);
    }
    sqlite3_finalize(s);
    return KT_OK;
}

static size_t source_no(const source_ids *ids, const char *key)
{
    for (size_t i = 0; i < ids->n; i++)
        if (key && ids->key[i] && !strcmp(ids->key[i], key))
            return i + 1;
    return 0;
}

typedef struct alias_out {
    FILE *out;
} alias_out;

static int ged_alias(void *ctx, const store_alias *a)
{
    alias_out *o = ctx;
    ged(o->out, 1, "NAME", a->name);
    ged(o->out, 2, "TYPE", "aka");
    if (a->note)
        ged(o->out, 2, "NOTE", a->note);
    return 0;
}

static void write_gedcom_person(store *st, FILE *out, int64_t person, const person_copy *p,
                                const source_ids *ids)
{
    fprintf(out, "0 @I%lld@ INDI\n", (long long)person);
    /* each distinct name form, the first one as given */
    char names[PERSON_RECORDS_MAX][256];
    int nn = 0;
    for (int i = 0; i < p->n; i++) {
        char n[256];
        ged_name(&p->r[i], n, sizeof n);
        int seen = !n[0];
        for (int k = 0; k < nn && !seen; k++)
            seen = !strcmp(names[k], n);
        if (seen)
            continue;
        snprintf(names[nn++], sizeof names[0], "%s", n);
        ged(out, 1, "NAME", n);
        if (p->r[i].given)
            ged(out, 2, "GIVN", p->r[i].given);
        if (p->r[i].surname)
            ged(out, 2, "SURN", p->r[i].surname);
        if (nn > 1)
            ged(out, 2, "TYPE", "aka");
        size_t s = source_no(ids, p->r[i].source);
        if (s) {
            fprintf(out, "2 SOUR @S%zu@\n", s);
            ged(out, 3, "PAGE", p->r[i].record_key);
        }
    }
    alias_out ao = {out};
    kt_error err;
    store_aliases_each(st, person, ged_alias, &ao, &err);
    ged(out, 1, "SEX", "M");
    /* birth: a full date if a record gives one, else the commonest year */
    int best = -1, year = 0, votes = 0;
    for (int i = 0; i < p->n; i++)
        if (p->r[i].birth_date && strlen(p->r[i].birth_date) >= 8) {
            best = i;
            break;
        }
    for (int i = 0; i < p->n; i++) {
        int c = 0;
        for (int k = 0; k < p->n; k++)
            c += p->r[k].birth_year && p->r[k].birth_year == p->r[i].birth_year;
        if (c > votes) {
            votes = c;
            year = p->r[i].birth_year;
        }
    }
    char date[64];
    ged_date(best >= 0 ? p->r[best].birth_date : NULL, year, date, sizeof date);
    const char *place = NULL;
    for (int i = 0; i < p->n && !place; i++)
        place = p->r[i].birth_place;
    if (date[0] || place) {
        ged(out, 1, "BIRT", NULL);
        if (date[0])
            ged(out, 2, "DATE", date);
        if (place)
            ged(out, 2, "PLAC", place);
        for (int i = 0; i < p->n; i++) {
            size_t s = source_no(ids, p->r[i].source);
            if (s && (p->r[i].birth_year || p->r[i].birth_date)) {
                fprintf(out, "2 SOUR @S%zu@\n", s);
                ged(out, 3, "PAGE", p->r[i].record_key);
            }
        }
    }
    for (int i = 0; i < p->n; i++) {
        const rec_copy *c = &p->r[i];
        if (!c->fate)
            continue;
        ged(out, 1, "EVEN", c->fate);
        ged(out, 2, "TYPE", "Fate");
        ged_date(c->fate_date, 0, date, sizeof date);
        if (date[0])
            ged(out, 2, "DATE", date);
        if (c->fate_place)
            ged(out, 2, "PLAC", c->fate_place);
        size_t s = source_no(ids, c->source);
        if (s) {
            fprintf(out, "2 SOUR @S%zu@\n", s);
            ged(out, 3, "PAGE", c->record_key);
        }
    }
    for (int i = 0; i < p->n; i++) {
        const rec_copy *c = &p->r[i];
        size_t s = source_no(ids, c->source);
        if (!s)
            continue;
        fprintf(out, "1 SOUR @S%zu@\n", s);
        char page[160];
        snprintf(page, sizeof page, "%s (kartoteka record %lld)",
                 c->record_key ? c->record_key : "-", (long long)c->id);
        ged(out, 2, "PAGE", page);
        if (c->raw) {
            ged(out, 2, "DATA", NULL);
            ged(out, 3, "TEXT", c->raw);
        }
    }
    char note[96];
    snprintf(note, sizeof note, "kartoteka person %lld", (long long)person);
    ged(out, 1, "NOTE", note);
}

int link_export_persons(store *st, int format, const char *source, FILE *out,
                        long *count, kt_error *err)
{
    *count = 0;
    struct { int64_t *v; size_t n; } x = {NULL, 0};
    int rc = store_person_ids(st, source, 0, &x.v, &x.n, err);
    if (rc != KT_OK)
        return rc;
    source_ids sids = {0};
    if (format == LINK_EXPORT_CSV) {
        fputs("person_id,person,source,record_key,record_id,surname,given_names,father,"
              "name,birth_year,birth_date,birth_place,rank,fate,fate_date,fate_place,"
              "method,weight\n", out);
    } else if (format == LINK_EXPORT_JSON) {
        fputs("[", out);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        /* GEDC before DATE: Gramps reads a FORM after DATE as DATE's */
        fprintf(out, "0 HEAD\n1 SOUR KARTOTEKA\n2 NAME kartoteka\n1 GEDC\n2 VERS 5.5.1\n"
                "2 FORM LINEAGE-LINKED\n1 CHAR UTF-8\n1 DEST ANY\n1 DATE %d %s %d\n",
                tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900);
        rc = gedcom_sources(st, out, &sids, err);
    }
    for (size_t i = 0; i < x.n && rc == KT_OK; i++) {
        if (format == LINK_EXPORT_JSON) {
            json_t *j = store_person_json(st, x.v[i], err);
            char *text = j ? json_dumps(j, JSON_PRESERVE_ORDER | JSON_INDENT(2)) : NULL;
            json_decref(j);
            if (!text) {
                rc = j ? KT_ERR_NOMEM : KT_ERR;
                break;
            }
            fprintf(out, "%s\n%s", i ? "," : "", text);
            free(text);
            (*count)++;
            continue;
        }
        store_person p;
        person_copy pc = {0};
        if ((rc = store_person_get(st, x.v[i], &p, err)) != KT_OK)
            break;
        char *label = strdup(p.label ? p.label : "");
        rc = store_person_records_each(st, x.v[i], copy_record, &pc, err);
        if (rc == KT_OK && format == LINK_EXPORT_CSV)
            write_csv(out, x.v[i], label ? label : "", &pc);
        else if (rc == KT_OK)
            write_gedcom_person(st, out, x.v[i], &pc, &sids);
        free(label);
        person_copy_free(&pc);
        (*count)++;
    }
    if (format == LINK_EXPORT_JSON)
        fputs(x.n ? "\n]\n" : "]\n", out);
    else if (format == LINK_EXPORT_GEDCOM)
        fputs("0 TRLR\n", out);
    for (size_t i = 0; i < sids.n; i++)
        free(sids.key[i]);
    free(sids.key);
    free(x.v);
    if (rc == KT_OK && (fflush(out) != 0 || ferror(out))) {
        kt_error_set(err, "writing the export failed");
        rc = KT_ERR;
    }
    return rc;
}
