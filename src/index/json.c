/*
 * json.c — a search as JSON, one shape for the CLI and the web API: each
 * hit with why it matched, the hits of one man grouped into one result.
 */
#include "index/index.h"
#include "index/index_impl.h"

#include <stdlib.h>

#include "names/names.h"
#include "store/json.h"

#define WHY_MAX 8

/* Text as a JSON string ("" for NULL), or null when it is not valid UTF-8
 * (a damaged file): the key is there either way. */
static json_t *text(const char *s)
{
    json_t *j = json_string(s ? s : "");
    return j ? j : json_null();
}

static double score4(double s) { return (double)(long)(s * 10000 + 0.5) / 10000; }

/* index_explain's lines as an array of strings; q is the query read once
 * (index_explain_probe), or NULL to read it here. */
static json_t *why_json(const kt_index *ix, const names_probe *q, const char *query,
                        uint32_t slot)
{
    json_t *w = json_array();
    char why[WHY_MAX][160];
    int nw = q ? index_explain_probe(ix, q, query, slot, why, WHY_MAX)
               : index_explain(ix, query, slot, why, WHY_MAX);
    for (int k = 0; w && k < nw; k++)
        json_array_append_new(w, json_string(why[k]));
    return w;
}

/* The hit's fields; its "why" is `why` (taken over). */
static json_t *hit_json(const kt_index *ix, const index_hit *hit, json_t *w)
{
    index_entry e;
    index_entry_get(ix, hit->slot, &e);
    json_t *r = json_object();
    if (!r || !w) {
        json_decref(r);
        json_decref(w);
        return NULL;
    }
    json_object_set_new(r, "record_id", json_integer(e.record_id));
    json_object_set_new(r, "record_key", store_json_str(e.record_key));
    json_object_set_new(r, "source", text(e.source_key));
    json_object_set_new(r, "person_id", e.person_id ? json_integer(e.person_id)
                                                    : json_null());
    json_object_set_new(r, "score", json_real(score4(hit->score)));
    json_object_set_new(r, "name", text(e.name));
    json_object_set_new(r, "birth_year", e.birth_year ? json_integer(e.birth_year)
                                                      : json_null());
    json_object_set_new(r, "why", w);
    if (e.alias) {
        json_t *a = json_object();
        json_object_set_new(a, "name", text(e.alias));
        json_object_set_new(a, "kind", text(e.alias_kind));
        json_object_set_new(r, "alias", a);
    }
    return r;
}

json_t *index_hit_json(const kt_index *ix, const char *query, const index_hit *hit)
{
    return hit_json(ix, hit, why_json(ix, NULL, query, hit->slot));
}

int index_group_hits(const kt_index *ix, const char *query, const index_hit *hits, int n,
                     int *first, int *next)
{
    int ngroups = 0;
    int64_t *person = malloc(sizeof *person * (size_t)(n + 1));
    int *last = malloc(sizeof *last * (size_t)(n + 1));
    if (!person || !last) {
        free(person);
        free(last);
        return -1;
    }
    int query_cyr = index_has_cyrillic(query);
    for (int i = 0; i < n; i++) {
        index_entry e;
        index_entry_get(ix, hits[i].slot, &e);
        next[i] = -1;
        int g = 0;
        while (g < ngroups && !(e.person_id && person[g] == e.person_id))
            g++;
        if (g == ngroups) {
            person[ngroups] = e.person_id;
            first[ngroups] = last[ngroups] = i;
            ngroups++;
            continue;
        }
        /* Within a man's records, at an equal score the record whose own
         * name is in the other script than the query's goes before one in
         * the query's script: it is the one a plain text search would not
         * have found. A record found by an alias keeps its place (the alias
         * as written is the evidence). Otherwise the hits keep their order. */
        int cross = !e.alias && index_has_cyrillic(e.name) != query_cyr;
        int at = first[g], before = -1;
        for (; at >= 0; before = at, at = next[at]) {
            if (!cross || hits[at].score != hits[i].score)
                continue;
            index_entry o;
            index_entry_get(ix, hits[at].slot, &o);
            if (!o.alias && index_has_cyrillic(o.name) == query_cyr)
                break;
        }
        if (at < 0) {
            next[last[g]] = i;
            last[g] = i;
        } else {
            next[i] = at;
            if (before < 0)
                first[g] = i;
            else
                next[before] = i;
        }
    }
    free(person);
    free(last);
    return ngroups;
}

json_t *index_search_json(const kt_index *ix, const char *query, const index_filter *filter,
                          int limit)
{
    int want = limit * INDEX_HITS_PER_RESULT + 1;
    index_hit *hits = malloc(sizeof *hits * (size_t)want);
    int *first = malloc(sizeof *first * (size_t)want);
    int *next = malloc(sizeof *next * (size_t)want);
    /* The query read once for every hit's explanation (index_query reads
     * it for itself). */
    names_probe *q = malloc(sizeof *q);
    json_t *top = NULL;
    int n = hits && first && next && q ? index_query(ix, query, filter, hits, want) : -1;
    int ngroups = n >= 0 ? index_group_hits(ix, query, hits, n, first, next) : -1;
    if (ngroups >= 0 && names_probe_text(query, q) <= 0) {
        free(q);
        q = NULL; /* no words to compare: index_explain says only what an alias says */
    }
    if (ngroups >= 0) {
        /* more results than asked, or as many hits as fetched: cut short */
        int truncated = ngroups > limit || n == want;
        if (ngroups > limit)
            ngroups = limit;
        json_t *res = json_array();
        for (int g = 0; g < ngroups; g++) {
            /* the best hit's fields, and every record of the person found;
             * the best hit is explained once, for both */
            json_t *best_why = why_json(ix, q, query, hits[first[g]].slot);
            json_t *r = hit_json(ix, &hits[first[g]], json_copy(best_why)),
                   *recs = json_array();
            for (int i = first[g]; i >= 0; i = next[i]) {
                index_entry e;
                index_entry_get(ix, hits[i].slot, &e);
                json_t *x = json_object();
                json_object_set_new(x, "record_id", json_integer(e.record_id));
                json_object_set_new(x, "record_key", store_json_str(e.record_key));
                json_object_set_new(x, "source", text(e.source_key));
                json_object_set_new(x, "name", text(e.name));
                json_object_set_new(x, "score", json_real(score4(hits[i].score)));
                json_object_set_new(x, "birth_year", e.birth_year ? json_integer(e.birth_year)
                                                                  : json_null());
                json_object_set_new(x, "why", i == first[g] ? json_incref(best_why)
                                                            : why_json(ix, q, query, hits[i].slot));
                json_array_append_new(recs, x);
            }
            json_decref(best_why);
            json_object_set_new(r, "records", recs);
            json_array_append_new(res, r);
        }
        top = json_object();
        json_object_set_new(top, "query", text(query));
        json_object_set_new(top, "results", res);
        json_object_set_new(top, "truncated", json_boolean(truncated));
    }
    free(hits);
    free(first);
    free(next);
    free(q);
    return top;
}
