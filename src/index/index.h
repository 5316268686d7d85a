/*
 * index.h — the in-memory name index: built once from the store (or from
 * records handed to it), then queried by many readers at once (immutable
 * after index_finish, so concurrent index_query calls are safe).
 *
 * A query is free text as a user types it: a name in any script or
 * romanisation, optionally with a year ("1893", "ur. 1893", "1893 г.р."),
 * a rank ("kpt.", "капитан"), initials. Candidates come from the name keys
 * (src/names), are scored by names comparison, filtered, and the best k are
 * returned, each with an explanation of why it matched.
 */
#ifndef KT_INDEX_H
#define KT_INDEX_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store/maintenance.h"
#include "store/store.h"
#include "util/error.h"
#include "util/leftover.h"

typedef struct kt_index kt_index;

kt_index *index_new(void);
void index_free(kt_index *ix);
/* Adds one record (copies what it needs; rec may be freed afterwards). */
int index_add(kt_index *ix, const store_record *rec);
/* Adds another name of the person of rec (a nom de guerre, a maiden name;
 * kind says which, e.g. "pen name") as an extra entry that finds rec: the
 * alias is read as written, surname last ("Jan Karski", "Ян Карский"); the
 * other fields (year, camp, ...) are rec's. A query that reaches rec by
 * its own name and by an alias returns it once, with the better score;
 * an alias hit explains itself first ("known as Jan Karski (nom de
 * guerre) = Jan Karski"). */
int index_add_alias(kt_index *ix, const store_record *rec, const char *alias,
                    const char *kind);
/* Adds every record's other names from its source's brackets (store/
 * record_alias.h) as aliases of the record, each as the whole name it
 * stands for ("Юлиан Ленский" for "Лещиньский (Ленский) Юлиан"), the kind
 * ("other surname") saying which part differed. Part of
 * index_build_from_store. */
int index_add_record_aliases(kt_index *ix, store *st, kt_error *err);
/* Freezes the index; call once after the last index_add, before queries. */
int index_finish(kt_index *ix);
/* index_new + index_add for every record in the store + index_add_alias
 * for every alias of a person with records (pointing to the person's
 * record in the alias's script, else to the first) + index_finish. */
int index_build_from_store(store *st, kt_index **out, kt_error *err);

/* The index of the store, as every program opens it: the snapshot beside
 * the database (its path + INDEX_SNAPSHOT_SUFFIX), memory-mapped, when it
 * was written for the store's present state (the last ids of its records,
 * links, persons, aliases and sources, the counts of aliases and sources,
 * the audit log's last id, the schema version) by this program's rules; otherwise the index built
 * from the store (index_build_from_store) and written there for the next
 * time. A snapshot that cannot be written (a read-only directory, an
 * in-memory database) is not an error: the index built in memory serves.
 * So a changed store is never searched with a stale index. */
#define INDEX_SNAPSHOT_SUFFIX ".index"
int index_open(store *st, kt_index **out, kt_error *err);
/* Removes the files a killed snapshot writer left beside the store's
 * database (its snapshot path + ".tmp.PID" of a process gone, util/
 * leftover.h), passing each one found to fn (may be NULL): for a program
 * whose index_open built the index (index_from_snapshot 0) and so wrote
 * the snapshot, and for `kartoteka check`. Returns how many were found (0
 * for a database with no file), or -1 with err set. */
int index_snapshot_sweep(store *st, kt_leftover_fn fn, void *ctx, kt_error *err);
/* For `kartoteka check` (a store_check_hook): when a snapshot current for
 * the store's state lies beside it, compares every entry with the store —
 * each record in it once, with its record_key, source and year; each entry
 * naming a record the store has — and reports each difference as an
 * "index" finding. No snapshot, or a stale one, is not a finding. */
int index_check_snapshot(store *st, void *hook_ctx, store_finding_fn report, void *ctx,
                         kt_error *err);
/* 1 when ix was mapped from a snapshot, 0 when built in this process. */
int index_from_snapshot(const kt_index *ix);
/* Reads every page of a mapped snapshot once, so that a long-running
 * server pays the page faults at start rather than in its first queries
 * (a one-query CLI run does better without). Nothing for a built index. */
void index_prefault(const kt_index *ix);

size_t index_size(const kt_index *ix);   /* records indexed (aliases not counted) */
size_t index_aliases(const kt_index *ix); /* aliases indexed */
size_t index_memory(const kt_index *ix); /* bytes held by the index */

typedef struct index_filter {
    int born;          /* 0 = any; else birth year within born_tolerance (a
                          record with no year passes: the source may not say);
                          a query without a year is also scored with this one */
    int born_tolerance;/* years, default 2 when born is set */
    const char *camp;  /* NULL = any; else case-insensitive substring match,
                          or the same camp in any spelling ("Kozielsk" finds
                          "Козельск", names/camp.h) */
    const char *fate;  /* NULL = any; else case-insensitive substring match,
                          or the same kind of fate in any language ("shot"
                          finds "расстрелян", names/fate.h) */
} index_filter;

typedef struct index_hit {
    int64_t record_id;
    uint32_t slot;     /* position in the index, for index_explain/index_name */
    double score;      /* 0..1, higher is better */
} index_hit;

/* Best k hits for a query, best first; returns how many (<= k), or < 0 on
 * error. filter may be NULL. */
int index_query(const kt_index *ix, const char *query, const index_filter *filter,
                index_hit *hits, int k);

/* Why a hit matched: fills `why` with up to max NUL-terminated lines, each at
 * most cap bytes ("Сморавинский ≈ Smorawiński: ń→н, w→в",
 * "Мечислав = Mieczysław", "born 1893 = 1893"); returns the number of lines. */
int index_explain(const kt_index *ix, const char *query, uint32_t slot,
                  char why[][160], int max);

/* The stored display data of a slot (valid while the index lives). */
typedef struct index_entry {
    int64_t record_id;
    int64_t person_id;
    const char *source_key;
    const char *record_key; /* the source's own key of the row ("" when none) */
    const char *name;  /* "Surname Given Patronymic" as recorded */
    int birth_year;
    const char *alias;      /* the alias the slot holds, NULL for the record's name */
    const char *alias_kind; /* its kind, NULL likewise */
} index_entry;
void index_entry_get(const kt_index *ix, uint32_t slot, index_entry *out);

/* One hit as JSON, the shape of `kartoteka search --json` and /api/search:
 * record_id, record_key, source, person_id, score (4 decimals), name,
 * birth_year, why (index_explain's lines), and alias {name, kind} when an
 * alias found it. NULL when out of memory. */
json_t *index_hit_json(const kt_index *ix, const char *query, const index_hit *hit);

/* Hits fetched for each result asked: a man's records come one after
 * another, so a few more hits fill the results after grouping by person. */
#define INDEX_HITS_PER_RESULT 4

/* Groups the hits of query by person, best hit first: first[g] is the
 * best hit of group g, next[i] the hit after hit i in its group (-1 at the
 * end); hits without a person are groups of their own. Within a group, of
 * records with an equal score the one in the other script than the
 * query's comes first (a Polish query shows the man's Cyrillic record
 * first, and the other way round). first and next hold n entries each.
 * Returns the number of groups, or -1 when out of memory. */
int index_group_hits(const kt_index *ix, const char *query, const index_hit *hits, int n,
                     int *first, int *next);

/* One search as `kartoteka search --json` and /api/search give it: the
 * query, at most limit results grouped by person (each the best hit's
 * index_hit_json plus "records": every record of the man found, with
 * record_id, record_key, source, name, score, birth_year, why), and
 * "truncated" when more
 * were found. NULL when the query cannot be read or memory ran out. */
json_t *index_search_json(const kt_index *ix, const char *query, const index_filter *filter,
                          int limit);

#endif
