/*
 * persons.h — the store's side of persons: reading a person with his
 * records and the provenance of each link, listing persons, the human
 * decisions on pairs of records, the doubtful pairs waiting for review, and
 * the link runs that undo reverses.
 *
 * Invariants (kept here and in store.c):
 *  - a linked record has exactly one person_record row, agreeing with
 *    record.person_id;
 *  - every change of a link made inside a run is preceded by a snapshot of
 *    the record's row as it was before the run (link_run_record, once per
 *    record and run), and every person the run creates or removes is noted
 *    (link_run_person), so store_run_undo restores the persons exactly;
 *  - a decision names its pair with the smaller record id first.
 *
 * Library code: errors go to a kt_error, nothing is printed.
 */
#ifndef KT_STORE_PERSONS_H
#define KT_STORE_PERSONS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* A person: the records judged to be one man. */
typedef struct store_person {
    int64_t id;
    const char *label;
    const char *created_at;
    int64_t nrecords;
} store_person;

/* The provenance of one record's link to its person. */
typedef struct store_link {
    int64_t person_id;
    int64_t record_id;
    const char *method;   /* "bundled", "auto", "review" */
    double weight;        /* match weight (auto), 0 otherwise */
    const char *by;
    const char *why;
    const char *created_at;
} store_link;

/* One person by id (KT_ERR_NOTFOUND when absent). Strings stay valid until
 * the next call of store_person_get on this store. */
int store_person_get(store *st, int64_t id, store_person *out, kt_error *err);

/* Calls cb for each person (with a record in source_key when non-NULL), in
 * id order, at most limit (0 = all). Strings valid during the call only; a
 * non-zero return from cb stops the walk and is returned. */
typedef int (*store_person_fn)(void *ctx, const store_person *p);
int store_persons_each(store *st, const char *source_key, long limit,
                       store_person_fn cb, void *ctx, kt_error *err);
/* The ids of the persons store_persons_each would walk, in a malloc'd
 * array (*ids, *n), for a caller that reads each person with other calls. */
int store_person_ids(store *st, const char *source_key, long limit, int64_t **ids,
                     size_t *n, kt_error *err);
/* The number of persons (with a record in source_key when non-NULL). */
int64_t store_persons_count(store *st, const char *source_key);

/* Calls cb for each record of a person, with its link, in source and record
 * order. Strings valid during the call only. */
typedef int (*store_person_record_fn)(void *ctx, const store_record *r,
                                      const store_link *link);
int store_person_records_each(store *st, int64_t person_id,
                              store_person_record_fn cb, void *ctx, kt_error *err);

/* The link of one record (KT_ERR_NOTFOUND when it is not linked). Strings
 * valid until the next call. */
int store_link_get(store *st, int64_t record_id, store_link *out, kt_error *err);

/* ---- decisions ----------------------------------------------------------- */

typedef struct store_decision {
    int64_t record_a, record_b;   /* record_a < record_b */
    const char *decision;         /* "accept" or "reject" */
    const char *by, *why, *created_at;
} store_decision;

/* Calls cb for every decision, in pair order. */
typedef int (*store_decision_fn)(void *ctx, const store_decision *d);
int store_decisions_each(store *st, store_decision_fn cb, void *ctx, kt_error *err);
/* The decision on a pair (in either order), KT_ERR_NOTFOUND when none. */
int store_decision_get(store *st, int64_t a, int64_t b, store_decision *out,
                       kt_error *err);

/* ---- doubtful pairs ------------------------------------------------------ */

typedef struct store_pair {
    int64_t record_a, record_b;   /* record_a < record_b */
    double weight;
    const char *why;              /* the weight of each field, one per line */
} store_pair;

/* Replaces the doubtful pairs among the records of the run (all of them:
 * the last run's list is the list). Call inside a transaction. */
int store_pairs_clear(store *st, kt_error *err);
int store_pair_add(store *st, const store_pair *p, kt_error *err);
/* Calls cb for each doubtful pair without a decision, highest weight
 * first, at most limit (0 = all). */
typedef int (*store_pair_fn)(void *ctx, const store_pair *p);
int store_pairs_each(store *st, long limit, store_pair_fn cb, void *ctx, kt_error *err);
/* How many pairs store_pairs_each lists with no limit; -1 on error. */
int64_t store_pairs_count(store *st);
/* One pair (in either order), KT_ERR_NOTFOUND when not among them. */
int store_pair_get(store *st, int64_t a, int64_t b, store_pair *out, kt_error *err);

/* ---- runs and undo -------------------------------------------------------- */

/* Starts a run: kind "link", "accept" or "reject"; for a decision, the pair
 * and the decision it replaces (if any) are kept so undo can put it back.
 * Call inside a transaction. */
int store_run_begin(store *st, const char *kind, const char *by,
                    const char *detail, int64_t record_a, int64_t record_b,
                    int64_t *run_id, kt_error *err);
/* Links record to person within the run (snapshot first); method, weight,
 * by and why as store_link_add. */
int store_run_link(store *st, int64_t run_id, int64_t person_id, int64_t record_id,
                   const char *method, double weight, const char *by,
                   const char *why, kt_error *err);
/* Unlinks a record within the run (snapshot first). */
int store_run_unlink(store *st, int64_t run_id, int64_t record_id, kt_error *err);
/* A new person within the run. */
int store_run_person_add(store *st, int64_t run_id, const char *label,
                         int64_t *person_id, kt_error *err);
/* Removes the persons left without records by the run (except those with
 * aliases, which belong to the person, not to his records). */
int store_run_prune(store *st, int64_t run_id, kt_error *err);
/* Records a decision within the run (replacing any on the same pair). */
int store_run_decide(store *st, int64_t run_id, int64_t a, int64_t b,
                     const char *decision, const char *by, const char *why,
                     kt_error *err);
/* Links changed by a run so far (snapshots taken). */
int64_t store_run_changes(store *st, int64_t run_id);
/* Forgets a run that changed nothing (so that undo skips it). */
int store_run_drop_if_empty(store *st, int64_t run_id, kt_error *err);

/* What undo reverted. */
typedef struct store_undo_info {
    int64_t run_id;
    char kind[16];
    char at[32];
    int64_t records;   /* links restored */
    int64_t persons;   /* persons restored or removed */
} store_undo_info;

/* Reverts the latest run not yet undone: every link it changed back to the
 * row it replaced (person, method, weight, by, why, time), the persons it
 * made removed, those it removed back with their id, label and time, and a
 * decision it recorded replaced by the one before. One transaction.
 * KT_ERR_NOTFOUND when there is nothing to undo. */
int store_run_undo(store *st, store_undo_info *info, kt_error *err);

#endif
