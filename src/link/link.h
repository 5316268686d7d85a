/*
 * link.h — record linkage: which records of several lists are one man.
 *
 * The way (Fellegi–Sunter, as in the literature and Splink):
 *   1. features: each record's name read by the name engine (names.h): the
 *      surname's readings, the given-name classes, the father's classes
 *      from a patronymic or a genitive ("s. Jana"), year and date of birth,
 *      birth place, rank, camp;
 *   2. blocking: records of different lists sharing a surname key
 *      (names_keys: the skeleton and its one-class deletions) with birth
 *      years at most LINK_YEAR_WINDOW apart (or unknown) become candidate
 *      pairs; each pair is compared once;
 *   3. comparison vector: a level per field (agree, near, missing, differ);
 *   4. weights: m and u per level estimated by EM on the candidate pairs
 *      themselves, the surname's weight adjusted by its frequency (a shared
 *      Kowalski says less than a shared Smorawiński); a pair's weight is the
 *      sum of log2(m/u); its match probability follows from the EM prior;
 *   5. decisions: link at probability >= link_p, review between review_p and
 *      link_p, otherwise two men; within two lists each record links to
 *      one record at most (one-to-one, best first);
 *   6. clustering into persons, best link first, refusing a merge that
 *      would put two records of one list, or a pair a person rejected, into
 *      one person (A=B, B=C, A≠C keeps the better two). Links made by hand
 *      or shipped with the data are kept, and such a person takes a record
 *      automatically only on more than the name (a year, a father or a
 *      date that agree); a human accept joins, a reject separates, in
 *      every run.
 *
 * Pure computation on records in memory (link_*), plus the run that reads
 * the store and writes persons (link_store_run, run.c) and the exports of
 * persons (link_export_*). Library code: errors go to a kt_error.
 */
#ifndef KT_LINK_H
#define KT_LINK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/store.h"
#include "util/error.h"

#define LINK_YEAR_WINDOW 2

/* One record as the linkage reads it (strings may be NULL or ""). */
typedef struct link_input {
    int64_t id;          /* the caller's id (the store's record id) */
    int source;          /* its list, 0..63 within one run */
    int64_t person_id;   /* the person it is linked to now, 0 = none */
    int fixed;           /* its link was made by hand or shipped: kept */
    const char *surname, *given, *patronymic, *father, *whole;
    int birth_year;      /* 0 = unknown */
    const char *birth_date, *birth_place, *rank, *camp;
} link_input;

/* The fields of the comparison vector. */
enum {
    LINK_F_SURNAME, LINK_F_GIVEN, LINK_F_FATHER, LINK_F_YEAR, LINK_F_DATE,
    LINK_F_PLACE, LINK_F_RANK, LINK_F_CAMP, LINK_NFIELDS
};
#define LINK_LEVELS_MAX 5
/* The level that means "one side does not say": weight 0. */
#define LINK_MISSING 255

/* The fitted model: m and u per field and level, the prior. */
typedef struct link_model {
    int nlevels[LINK_NFIELDS];
    double m[LINK_NFIELDS][LINK_LEVELS_MAX];
    double u[LINK_NFIELDS][LINK_LEVELS_MAX];
    double lambda;       /* share of true pairs among the candidates */
    double tf_mean;      /* sum of p^2 over surname values (tf adjustment) */
    int iterations;
} link_model;

/* Field and level names, for explanations: "surname", "exact". */
const char *link_field_name(int field);
const char *link_level_name(int field, int level);

/* Records with their features, built once. */
typedef struct link_set link_set;

/* Reads n records (in parallel on `threads` threads; 0 = 1). The inputs
 * are not kept. NULL when out of memory. */
link_set *link_set_build(const link_input *in, size_t n, int threads);
void link_set_free(link_set *s);
size_t link_set_size(const link_set *s);

/* A human decision, by record index in the set. */
typedef struct link_decision {
    uint32_t a, b;
    int accept;          /* 1 = one man, 0 = two men */
} link_decision;

typedef struct link_options {
    double link_p;       /* default 0.5 */
    double review_p;     /* default 0.02 */
    int threads;         /* default 1 */
    int one_to_one;      /* default 1 */
} link_options;

void link_options_default(link_options *o);

/* A compared pair above the review floor. */
typedef struct link_pair {
    uint32_t a, b;       /* record indexes, a < b */
    float weight;        /* log2 likelihood ratio, tf-adjusted */
    float p;             /* match probability */
    uint8_t level[LINK_NFIELDS];
    uint8_t status;      /* LINK_PAIR_* */
} link_pair;

enum {
    LINK_PAIR_NONLINK = 0,
    LINK_PAIR_REVIEW,    /* doubtful: for a person to decide */
    LINK_PAIR_LINK,      /* linked */
    LINK_PAIR_REFUSED,   /* link weight, but one-to-one or a conflict refused it */
};

typedef struct link_result {
    link_model model;
    uint64_t compared;   /* candidate pairs compared */
    link_pair *pairs;    /* pairs with p >= review_p, or decided by hand */
    size_t npairs;
    uint32_t *cluster;   /* per record: the index of its cluster's first record */
    size_t nlinked;      /* records in clusters of two or more */
} link_result;

/* Links the set: blocking, comparison, EM, decisions, clustering. */
int link_compute(link_set *s, const link_options *o, const link_decision *dec,
                 size_t ndec, link_result *out, kt_error *err);
void link_result_free(link_result *r);

/* The comparison vector of two records. */
void link_compare(const link_set *s, uint32_t a, uint32_t b, uint8_t level[LINK_NFIELDS]);
/* A pair's weight under a model (with the surname's tf adjustment). */
double link_weight(const link_set *s, const link_model *m, uint32_t a, uint32_t b,
                   const uint8_t level[LINK_NFIELDS]);
double link_probability(const link_model *m, double weight);
/* Why: one line per field, "surname Сморавинский ≈ Smorawiński (exact) +9.8". */
void link_explain(const link_set *s, const link_model *m, uint32_t a, uint32_t b,
                  char *buf, size_t cap);

/* ---- the run on the store ------------------------------------------------ */

typedef struct link_report {
    int64_t run_id;      /* 0 when nothing changed */
    int64_t records;     /* records read */
    uint64_t compared;
    int64_t links;       /* pairs linked */
    int64_t review;      /* doubtful pairs waiting */
    int64_t persons_new, persons_kept, changed;
    link_model model;
} link_report;

/* Links the records of the listed sources (NULL = all) into persons and
 * writes them in one transaction: persons keep their ids; links by hand
 * and shipped links stay; decisions are respected; the doubtful pairs
 * replace the last run's; every change is kept for undo. A second run on
 * unchanged data changes nothing. */
int link_store_run(store *st, const char *const *sources, int nsources,
                   const char *by, link_report *rep, kt_error *err);

/* Records a human decision on a pair and applies it at once (accept: the
 * two records' persons become one; reject: the second record leaves the
 * first one's person), as a run that undo reverses. */
int link_store_decide(store *st, int64_t record_a, int64_t record_b, int accept,
                      const char *by, const char *why, int64_t *person_id,
                      kt_error *err);

/* ---- exports of persons -------------------------------------------------- */

enum { LINK_EXPORT_CSV, LINK_EXPORT_JSON, LINK_EXPORT_GEDCOM };

/* Writes the persons (with a record in source when non-NULL) to out. GEDCOM
 * 5.5.1: one INDI per person with every name form, the birth, the fate as an
 * event, every record as a source citation (SOUR per list). *count gets the
 * number of persons written. */
int link_export_persons(store *st, int format, const char *source, FILE *out,
                        long *count, kt_error *err);

#endif
