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
