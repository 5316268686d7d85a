/*
 * corpus.h — the corpora and queries that the search-quality test
 * (tests/index/test_quality.c) and the benchmark (bench/bench_names.c) share,
 * so that both measure exactly the same thing.
 *
 * The real part is data/names/dev_persons.tsv: 26 real persons, each with a
 * Polish spelling and a Russian spelling of his name. Each spelling is hidden
 * among at least 100,000 distractors of the other script:
 *
 *   cyr corpus  the Russian record of every dev person + the Memorial list
 *               (tests/data/memorial/moscow_shot_1937_1941.csv, real) +
 *               100,000 names generated from data/names/russian_male_*.txt
 *   lat corpus  the Polish record of every dev person + 100,000 names
 *               generated from polish_surnames.txt x polish_male_given.txt
 *
 * Query kinds: (a) the Polish name as a user types it, with diacritics,
 * searched in cyr; (b) the same folded to ASCII, in cyr; (c) every spelling
 * of the other_spellings column, searched in the corpus of the other script;
 * (d) the Russian form (surname given patronymic), searched in lat.
 *
 * Guarantees: everything is deterministic (fixed seeds, no clock, no
 * locale); record ids are 1..n in corpus order and the true records sit at
 * pseudo-random positions, so tie-breaking by id favours no one. A generated
 * or Memorial record that is an identical twin of a dev person (same surname
 * and same given name after folding, see corpus.c) is left out: it is not a
 * distractor, it is the same name.
 */
#ifndef KT_BENCH_CORPUS_H
#define KT_BENCH_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

/* One record of a corpus. Text fields are "" when absent, never NULL. */
typedef struct bench_rec {
    int64_t id;             /* 1..n, the position in the corpus */
    const char *surname;
    const char *given;      /* given names, space-separated */
    const char *patronymic;
    const char *father;     /* father's given name (Polish records) */
    int year;               /* 0 = unknown */
    const char *name;       /* "Surname Given Patronymic" */
    int person;             /* 1-based dev person index for a true record, else 0 */
    int pole;               /* a Memorial record whose biography says Pole */
    long line;              /* a Memorial record: its row's line in the file */
} bench_rec;

typedef struct bench_corpus {
    const char *script;     /* "cyr" or "lat" */
    bench_rec *recs;
    size_t n;
    size_t memorial;        /* distractors taken from the Memorial list */
    size_t generated;       /* distractors generated from the name lists */
    size_t twins;           /* candidates left out as identical twins */
    struct bench_arena *arena;
} bench_corpus;

typedef struct bench_person {
    const char *id;         /* "P001" */
    const char *pl_surname, *pl_given, *ru_surname, *ru_given, *ru_patronymic;
    const char *father;     /* father's given name, Polish */
    const char *other;      /* other_spellings, verbatim */
    int year;
    int64_t cyr_id, lat_id; /* ids of this person's records in the corpora */
} bench_person;

typedef struct bench_query {
    int qid;                /* 1..n */
    char kind;              /* 'a'..'h' (dev persons), 'i'..'k' (Memorial Poles) */
    const char *corpus;     /* "cyr" or "lat": where the true record is */
    int64_t true_id;
    int person;             /* 1-based dev person index; 0 for a Memorial Pole */
    const char *text;       /* the query as a user types it */
    const char *note;       /* for (c): the source's remark, e.g. "pen name" */
} bench_query;

typedef struct bench_set {
    bench_person *persons;
    size_t npersons;
    bench_corpus cyr, lat;
    bench_query *queries;
    size_t nqueries;
    struct bench_arena *arena;
} bench_set;

#define BENCH_DISTRACTORS 100000 /* generated distractors per corpus */

/* Builds the dev persons, both corpora and the queries. memorial_path is the
 * Memorial CSV (read from disk; the name lists come from the embedded data).
 * Returns KT_OK or an error code with err filled. */
int bench_set_build(bench_set *s, const char *memorial_path, kt_error *err);
/* The same with `extra` more generated distractors in each corpus (the
 * twin rules kept, seven surnames in ten spliced, as bench_synthetic
 * does): the same queries among a million records or more. */
int bench_set_build_scaled(bench_set *s, const char *memorial_path, size_t extra,
                           kt_error *err);
void bench_set_free(bench_set *s);
const bench_corpus *bench_set_corpus(const bench_set *s, const char *script);

/* A synthetic corpus of n records for the speed measurements: Cyrillic
 * (surname given patronymic) and Polish (surname given, father) records
 * alternating, with years, generated from the name lists with `seed`;
 * seven surnames in ten are spliced from two list surnames of the same
 * script, so that the corpus has the many distinct surnames of a real one. */
int bench_synthetic(bench_corpus *c, size_t n, uint64_t seed, kt_error *err);
void bench_corpus_free(bench_corpus *c);
/* How many different surnames a corpus holds. */
size_t bench_distinct_surnames(const bench_corpus *c);

/* The record as the index takes it (strings borrowed from r). */
void bench_rec_to_store(const bench_rec *r, const char *source_key,
                        store_record *out);

/* Polish text folded to ASCII the way people type without a Polish keyboard:
 * diacritics dropped, ł→l, Ł→L. Cyrillic passes through unchanged. Returns a
 * malloc'd string (NULL on out of memory). */
char *bench_fold_ascii(const char *s);

/* Deterministic 64-bit generator (splitmix64) used for every random choice. */
uint64_t bench_rand(uint64_t *state);

#endif
