/*
 * json.c — a search hit as JSON, one shape for the CLI and the web API.
 */
#include "index/index.h"

#define WHY_MAX 8

json_t *index_hit_json(const kt_index *ix, const char *query, const index_hit *hit)
{
    index_entry e;
    index_entry_get(ix, hit->slot, &e);
    json_t *r = json_object(), *w = json_array();
    if (!r || !w) {
        json_decref(r);
        json_decref(w);
        return NULL;
    }
    char why[WHY_MAX][160];
    int nw = index_explain(ix, query, hit->slot, why, WHY_MAX);
    for (int k = 0; k < nw; k++)
        json_array_append_new(w, json_string(why[k]));
    json_object_set_new(r, "record_id", json_integer(e.record_id));
    json_object_set_new(r, "record_key", e.record_key && *e.record_key
                                             ? json_string(e.record_key) : json_null());
    json_object_set_new(r, "source", json_string(e.source_key ? e.source_key : ""));
    json_object_set_new(r, "person_id", e.person_id ? json_integer(e.person_id)
                                                    : json_null());
    json_object_set_new(r, "score", json_real((double)(long)(hit->score * 10000 + 0.5) / 10000));
    json_object_set_new(r, "name", json_string(e.name ? e.name : ""));
    json_object_set_new(r, "birth_year", e.birth_year ? json_integer(e.birth_year)
                                                      : json_null());
    json_object_set_new(r, "why", w);
    if (e.alias) {
        json_t *a = json_object();
        json_object_set_new(a, "name", json_string(e.alias));
        json_object_set_new(a, "kind", json_string(e.alias_kind));
        json_object_set_new(r, "alias", a);
    }
    return r;
}
