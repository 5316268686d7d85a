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
