/*
 * record_aliases.c — a record's own other names (store/record_alias.h) as
 * extra index entries that find the record (index_add_alias): each written
 * as a whole name, surname last, from the other name and the record's
 * remaining parts — "(Ленский)" after the surname of "Лещиньский Юлиан
 * Марьянович" is indexed as "Юлиан Ленский", "(Ян)" after "Иван" of
 * "Шидловский Иван Антонович" as "Ян Шидловский".
 */
#include "index/index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names/names.h"
#include "names/othernames.h"
#include "store/record_alias.h"

typedef struct walk {
    store_record_alias *a;
    size_t n, cap;
} walk;

static int keep(void *ctx, const store_record_alias *a)
{
    walk *w = ctx;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        store_record_alias *b = realloc(w->a, cap * sizeof *b);
        if (!b)
            return KT_ERR_NOMEM;
        w->a = b;
        w->cap = cap;
    }
    store_record_alias *c = &w->a[w->n];
    c->record_id = a->record_id;
    c->name = strdup(a->name);
    c->kind = strdup(a->kind);
    if (!c->name || !c->kind) {
        free((char *)c->name);
        free((char *)c->kind);
        return KT_ERR_NOMEM;
    }
    w->n++;
    return 0;
}

/* The whole name, surname last, that an other name of rec stands for. */
static void whole_name(const store_record *rec, const store_record_alias *a, char *out,
                       size_t cap)
{
    const char *given = rec->given_names ? rec->given_names : "";
    const char *surname = rec->surname ? rec->surname : "";
    if (!strcmp(a->kind, names_other_kinds[NAMES_OTHER_SURNAME])) {
        snprintf(out, cap, "%s%s%s", given, *given ? " " : "", a->name);
    } else if (!strcmp(a->kind, names_other_kinds[NAMES_OTHER_GIVEN])) {
        snprintf(out, cap, "%s %s", a->name, surname);
    } else if (!strcmp(a->kind, names_other_kinds[NAMES_OTHER_WHOLE])) {
        names_split sp;
        names_split_whole(a->name, &sp);
        snprintf(out, cap, "%.*s%s%.*s", (int)sp.given_len, sp.given ? sp.given : "",
                 sp.given_len ? " " : "", (int)sp.surname_len, sp.surname ? sp.surname : "");
    } else {
        out[0] = '\0'; /* another patronymic: the name itself is the same */
    }
}

int index_add_record_aliases(kt_index *ix, store *st, kt_error *err)
{
    walk w = {0};
    int rc = store_record_aliases_each(st, 0, keep, &w, err);
    if (rc == KT_ERR_NOMEM)
        kt_error_set(err, "out of memory reading the records' other names");
    for (size_t i = 0; rc == KT_OK && i < w.n; i++) {
        store_record rec;
        if ((rc = store_record_get(st, w.a[i].record_id, &rec, err)) != KT_OK)
            break;
        char name[512];
        whole_name(&rec, &w.a[i], name, sizeof name);
        if (name[0] && (rc = index_add_alias(ix, &rec, name, w.a[i].kind)) != KT_OK &&
            !err->message[0])
            kt_error_set(err, "indexing another name of record %lld",
                         (long long)rec.id);
    }
    for (size_t i = 0; i < w.n; i++) {
        free((char *)w.a[i].name);
        free((char *)w.a[i].kind);
    }
    free(w.a);
    return rc;
}
