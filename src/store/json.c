/*
 * json.c — the store's objects as JSON, shared by the CLI and the web API.
 */
#include "store/json.h"

#include <string.h>

json_t *store_json_str(const char *s)
{
    json_t *j = s && *s ? json_string(s) : NULL; /* NULL also for bad UTF-8 */
    return j ? j : json_null();
}

json_t *store_json_urls(const char *urls)
{
    json_t *a = json_array();
    if (!a || !urls)
        return a;
    const char *p = urls;
    while (*p) {
        const char *sep = strstr(p, " | ");
        size_t n = sep ? (size_t)(sep - p) : strlen(p);
        while (n > 0 && (*p == ' ' || *p == '|')) {
            p++;
            n--;
        }
        while (n > 0 && p[n - 1] == ' ')
            n--;
        if (n > 0)
            json_array_append_new(a, json_stringn(p, n));
        if (!sep)
            break;
        p = sep + 3;
    }
    return a;
}

json_t *store_record_json(const store_record *r)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    json_object_set_new(j, "id", json_integer(r->id));
    json_object_set_new(j, "source", store_json_str(r->source_key));
    json_object_set_new(j, "record_key", store_json_str(r->record_key));
    json_object_set_new(j, "person_id", r->person_id ? json_integer(r->person_id)
                                                     : json_null());
    json_object_set_new(j, "surname", store_json_str(r->surname));
    json_object_set_new(j, "given_names", store_json_str(r->given_names));
    json_object_set_new(j, "patronymic", store_json_str(r->patronymic));
    json_object_set_new(j, "father_name", store_json_str(r->father_name));
    json_object_set_new(j, "name", store_json_str(r->name));
    json_object_set_new(j, "birth_year", r->birth_year ? json_integer(r->birth_year)
                                                       : json_null());
    json_object_set_new(j, "birth_date", store_json_str(r->birth_date));
    json_object_set_new(j, "birth_place", store_json_str(r->birth_place));
    json_object_set_new(j, "rank", store_json_str(r->rank));
    json_object_set_new(j, "occupation", store_json_str(r->occupation));
    json_object_set_new(j, "camp", store_json_str(r->camp));
    json_object_set_new(j, "fate", store_json_str(r->fate));
    json_object_set_new(j, "fate_date", store_json_str(r->fate_date));
    json_object_set_new(j, "fate_place", store_json_str(r->fate_place));
    json_object_set_new(j, "list_position", store_json_str(r->list_position));
    json_object_set_new(j, "note", store_json_str(r->note));
    json_object_set_new(j, "source_urls", store_json_urls(r->source_urls));
    json_t *raw = json_string(r->raw ? r->raw : "");
    json_object_set_new(j, "raw", raw ? raw : json_string("")); /* bad UTF-8 */
    json_object_set_new(j, "raw_line", json_integer(r->raw_line));
    return j;
}

json_t *store_link_json(const store_link *l)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    json_object_set_new(j, "method", store_json_str(l->method));
    json_object_set_new(j, "weight", json_real(l->weight));
    json_object_set_new(j, "by", store_json_str(l->by));
    json_object_set_new(j, "why", store_json_str(l->why));
    json_object_set_new(j, "created_at", store_json_str(l->created_at));
    return j;
}

static int add_person_record(void *ctx, const store_record *r, const store_link *l)
{
    json_t *records = ctx;
    json_t *j = store_record_json(r);
    if (!j)
        return KT_ERR_NOMEM;
    json_object_set_new(j, "link", store_link_json(l));
    return json_array_append_new(records, j) ? KT_ERR_NOMEM : 0;
}

static int add_alias(void *ctx, const store_alias *a)
{
    json_t *j = json_object();
    if (!j)
        return KT_ERR_NOMEM;
    json_object_set_new(j, "name", store_json_str(a->name));
    json_object_set_new(j, "kind", store_json_str(a->kind));
    json_object_set_new(j, "note", store_json_str(a->note));
    json_object_set_new(j, "source_urls", store_json_urls(a->source_urls));
    return json_array_append_new(ctx, j) ? KT_ERR_NOMEM : 0;
}

json_t *store_person_json(store *st, int64_t person_id, kt_error *err)
{
    store_person p;
    if (store_person_get(st, person_id, &p, err) != KT_OK)
        return NULL;
    json_t *j = json_object(), *records = json_array(), *aliases = json_array(),
           *sources = json_array();
    if (!j || !records || !aliases || !sources)
        goto oom;
    json_object_set_new(j, "id", json_integer(p.id));
    json_object_set_new(j, "label", store_json_str(p.label));
    json_object_set_new(j, "created_at", store_json_str(p.created_at));
    int rc = store_person_records_each(st, person_id, add_person_record, records, err);
    if (rc == KT_OK)
        rc = store_aliases_each(st, person_id, add_alias, aliases, err);
    if (rc != KT_OK) {
        if (rc == KT_ERR_NOMEM)
            goto oom;
        json_decref(j);
        json_decref(records);
        json_decref(aliases);
        json_decref(sources);
        return NULL;
    }
    size_t i;
    json_t *r;
    json_array_foreach(records, i, r) {
        json_t *src = json_object_get(r, "source"), *seen;
        size_t k;
        int dup = 0;
        json_array_foreach(sources, k, seen)
            dup |= json_equal(seen, src);
        if (!dup && json_is_string(src))
            json_array_append(sources, src);
    }
    json_object_set_new(j, "sources", sources);
    json_object_set_new(j, "records", records);
    json_object_set_new(j, "aliases", aliases);
    return j;
oom:
    json_decref(j);
    json_decref(records);
    json_decref(aliases);
    json_decref(sources);
    kt_error_set(err, "out of memory");
    return NULL;
}

json_t *store_source_json(const store_source *s, int64_t records, int64_t linked)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    json_object_set_new(j, "key", store_json_str(s->key));
    json_object_set_new(j, "title", store_json_str(s->title));
    json_object_set_new(j, "records", json_integer(records));
    json_object_set_new(j, "linked_records", json_integer(linked));
    json_object_set_new(j, "language", store_json_str(s->language));
    json_object_set_new(j, "script", store_json_str(s->script));
    json_object_set_new(j, "reference", store_json_str(s->reference));
    json_object_set_new(j, "date", store_json_str(s->date));
    json_object_set_new(j, "licence", store_json_str(s->licence));
    json_object_set_new(j, "url", store_json_str(s->url));
    json_object_set_new(j, "file_name", store_json_str(s->file_name));
    json_object_set_new(j, "checksum", store_json_str(s->checksum));
    json_object_set_new(j, "imported_at", store_json_str(s->imported_at));
    return j;
}

int store_quantity_titles(void *object, const history_quantity *q)
{
    json_object_set_new(object, "title", store_json_str(q->title_en));
    json_object_set_new(object, "title_pl", store_json_str(q->title_pl));
    return 0;
}

json_t *store_quantity_json(const history_quantity *q)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    json_object_set_new(j, "quantity", store_json_str(q->quantity));
    store_quantity_titles(j, q);
    json_object_set_new(j, "claims", json_integer(q->claims));
    json_object_set_new(j, "min", json_integer(q->min));
    json_object_set_new(j, "max", json_integer(q->max));
    return j;
}

/* 190584 -> "190,584" */
static const char *thousands(int64_t n, char *buf, size_t cap)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%lld", (long long)(n < 0 ? -n : n));
    size_t o = 0;
    if (n < 0 && o + 1 < cap)
        buf[o++] = '-';
    for (int i = 0; i < len && o + 1 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0 && o + 2 < cap)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

const char *store_figure_value_text(const history_figure *f, char *buf, size_t cap)
{
    char lo[32], hi[32];
    thousands(f->value_low, lo, sizeof lo);
    thousands(f->value_high, hi, sizeof hi);
    if (f->has_low && f->has_high && f->value_low == f->value_high)
        snprintf(buf, cap, "%s", lo);
    else if (f->has_low && f->has_high)
        snprintf(buf, cap, "%s\xe2\x80\x93%s", lo, hi);
    else if (f->has_high)
        snprintf(buf, cap, "up to %s", hi);
    else
        snprintf(buf, cap, "more than %s", lo);
    return buf;
}

json_t *store_figure_json(const history_figure *f)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    char value[96];
    store_figure_value_text(f, value, sizeof value);
    json_object_set_new(j, "id", store_json_str(f->id));
    json_object_set_new(j, "value_low", f->has_low ? json_integer(f->value_low)
                                                   : json_null());
    json_object_set_new(j, "value_high", f->has_high ? json_integer(f->value_high)
                                                     : json_null());
    json_object_set_new(j, "value", json_string(value));
    json_object_set_new(j, "as_of", store_json_str(f->as_of));
    json_object_set_new(j, "claimant", store_json_str(f->claimant));
    json_object_set_new(j, "basis", store_json_str(f->basis));
    json_object_set_new(j, "note", store_json_str(f->note));
    json_object_set_new(j, "source_urls", store_json_urls(f->source_urls));
    return j;
}

/* "a;b;c" -> ["a","b","c"] */
static json_t *split_ids(const char *ids)
{
    json_t *a = json_array();
    for (const char *p = ids ? ids : ""; a && *p;) {
        size_t n = strcspn(p, ";");
        if (n)
            json_array_append_new(a, json_stringn(p, n));
        p += n + (p[n] == ';');
    }
    return a;
}

json_t *store_event_json(const history_event *e)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    json_object_set_new(j, "id", store_json_str(e->id));
    json_object_set_new(j, "date_start", store_json_str(e->date_start));
    json_object_set_new(j, "date_end", store_json_str(e->date_end));
    json_object_set_new(j, "title", store_json_str(e->title));
    json_object_set_new(j, "place_ids", split_ids(e->place_ids));
    json_object_set_new(j, "description", store_json_str(e->description));
    json_object_set_new(j, "source_urls", store_json_urls(e->source_urls));
    return j;
}

json_t *store_place_json(const history_place *p)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    json_object_set_new(j, "id", store_json_str(p->id));
    json_object_set_new(j, "kind", store_json_str(p->kind));
    json_object_set_new(j, "name_en", store_json_str(p->name_en));
    json_object_set_new(j, "name_pl", store_json_str(p->name_pl));
    json_object_set_new(j, "name_ru", store_json_str(p->name_ru));
    json_object_set_new(j, "latitude", p->has_coords ? json_real(p->latitude)
                                                     : json_null());
    json_object_set_new(j, "longitude", p->has_coords ? json_real(p->longitude)
                                                       : json_null());
    json_object_set_new(j, "coord_note", store_json_str(p->coord_note));
    json_object_set_new(j, "opened", store_json_str(p->opened));
    json_object_set_new(j, "closed", store_json_str(p->closed));
    json_object_set_new(j, "description", store_json_str(p->description));
    json_object_set_new(j, "source_urls", store_json_urls(p->source_urls));
    return j;
}

json_t *store_document_json(const history_document *d)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    json_object_set_new(j, "id", store_json_str(d->id));
    json_object_set_new(j, "date", store_json_str(d->date));
    json_object_set_new(j, "title", store_json_str(d->title));
    json_object_set_new(j, "author", store_json_str(d->author));
    json_object_set_new(j, "signatories", store_json_str(d->signatories));
    json_object_set_new(j, "archive_or_publication",
                        store_json_str(d->archive_or_publication));
    json_object_set_new(j, "summary", store_json_str(d->summary));
    json_object_set_new(j, "source_urls", store_json_urls(d->source_urls));
    return j;
}
