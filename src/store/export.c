/*
 * export.c — records out as CSV or JSON (store/export.h).
 *
 * The CSV's columns are the import's field names, so `import` maps them
 * without options; the whole name keeps its brackets, from which the
 * import reads the other names again.
 */
#include "store/export.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/import.h"
#include "store/json.h"

typedef struct export_ctx {
    FILE *out;
    int format;
    long n;
} export_ctx;

/* The text of a record's field by its import name ("" when unknown). */
static const char *field_text(const store_record *r, const char *f, char *year, size_t cap)
{
    if (!strcmp(f, "birth_year")) {
        year[0] = '\0';
        if (r->birth_year)
            snprintf(year, cap, "%d", r->birth_year);
        return year;
    }
    const struct {
        const char *name;
        const char *value;
    } v[] = {
        {"record_id", r->record_key},   {"surname", r->surname},
        {"given_names", r->given_names}, {"patronymic", r->patronymic},
        {"father_name", r->father_name}, {"name", r->name},
        {"birth_date", r->birth_date},  {"birth_place", r->birth_place},
        {"rank", r->rank},              {"occupation", r->occupation},
        {"camp", r->camp},              {"fate", r->fate},
        {"fate_date", r->fate_date},    {"fate_place", r->fate_place},
        {"list_position", r->list_position}, {"note", r->note},
        {"url", r->source_urls},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        if (!strcmp(f, v[i].name))
            return v[i].value ? v[i].value : "";
    return "";
}

/* One CSV field, quoted when it holds a comma, a quote, a line break or
 * a semicolon (so a spreadsheet reads it alike). */
static void put_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",;\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void store_export_field(FILE *out, const char *s)
{
    put_field(out, s);
}

static int record_cb(void *ctx, const store_record *r)
{
    export_ctx *x = ctx;
    if (x->format == STORE_EXPORT_JSON) {
        json_t *j = store_record_json(r);
        char *text = j ? json_dumps(j, JSON_PRESERVE_ORDER) : NULL;
        json_decref(j);
        if (!text)
            return KT_ERR_NOMEM;
        fprintf(x->out, "%s%s", x->n ? ",\n  " : "[\n  ", text);
        free(text);
    } else {
        char year[16];
        const char *f;
        for (int i = 0; (f = store_import_field(i)); i++) {
            if (i)
                fputc(',', x->out);
            put_field(x->out, field_text(r, f, year, sizeof year));
        }
        fputs("\r\n", x->out);
    }
    x->n++;
    return ferror(x->out) ? KT_ERR : 0;
}

int store_export_records(store *st, const char *source_key, int format, FILE *out,
                         long *count, kt_error *err)
{
    *count = 0;
    if (source_key) {
        store_source src;
        int rc = store_source_get(st, source_key, &src, err);
        if (rc != KT_OK)
            return rc;
    }
    export_ctx x = {out, format, 0};
    if (format == STORE_EXPORT_CSV) {
        const char *f;
        for (int i = 0; (f = store_import_field(i)); i++)
            fprintf(out, "%s%s", i ? "," : "", f);
        fputs("\r\n", out);
    }
    int rc = store_records_each(st, source_key, record_cb, &x, err);
    if (rc == KT_ERR_NOMEM && !err->message[0])
        kt_error_set(err, "out of memory writing record %ld", x.n + 1);
    if (rc == KT_OK && format == STORE_EXPORT_JSON)
        fputs(x.n ? "\n]\n" : "[]\n", out);
    if ((rc == KT_OK || rc == KT_ERR) && (ferror(out) || fflush(out))) {
        kt_error_set(err, "writing the export failed");
        rc = KT_ERR;
    }
    *count = x.n;
    return rc;
}
