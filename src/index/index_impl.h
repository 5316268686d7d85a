/*
 * index_impl.h — the index's own tables, shared by the files of the index
 * module (index.c builds and queries, index_store.c feeds it from the store,
 * snapshot.c writes and maps it). Not for use outside src/index/.
 *
 * After index_finish every table is a flat array of numbers, and every
 * string is an offset into one pool: the snapshot writes the arrays as they
 * are and maps them back without a pointer to fix.
 */
#ifndef KT_INDEX_IMPL_H
#define KT_INDEX_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "index/index.h"
#include "util/hmap.h"
#include "util/pool.h"

#define CLS_NONE 0xFFFF      /* no given name / no father */
#define CLS_UNKNOWN 0xFFFE   /* a name the given-name table does not know */

/* One distinct surname (or part of a double surname). Its readings are a
 * stream [len][phonemes][len][phonemes]...: the first DICT_HEAD bytes
 * inside the entry (one cache line holds two entries, and most surnames
 * fit), the rest in the pool. */
#define DICT_HEAD 22
typedef struct dict_entry {
    uint8_t nread;
    uint8_t is_part;
    char head[DICT_HEAD];
    uint32_t more;   /* pool offset of the rest of the stream */
} dict_entry;

/* Interned text with what was computed from it once (no pointers: the
 * table goes into the snapshot as it is; the camp key, a pointer into the
 * camp table, is kept beside it in intern_camp). */
typedef struct interned {
    uint32_t text;        /* pool offset, as given */
    uint32_t norm;        /* pool offset of names_normalize(text), for filters */
    uint16_t cls[2];      /* given-name / father classes */
    int32_t rank;         /* names_rank_of(text) */
    uint32_t initials;    /* a given name's initial bit set (names.h) */
    uint32_t kind;        /* IN_* */
} interned;

/* An alias slot: the name as the source writes it, its kind, and the
 * display name of the record it stands for (pool offsets), and the slot. */
typedef struct alias_info {
    uint32_t text, kind, record_name, slot;
} alias_info;

struct kt_index {
    kt_pool pool;           /* every string, by offset */
    size_t n, cap;
    /* per record */
    int64_t *record_id, *person_id;
    uint32_t *name;         /* "Surname Given Patronymic" (pool offset) */
    uint32_t *record_key;   /* the source's own key of the row, 0 ("") when none */
    uint8_t *sur_len, *giv_len;
    uint32_t *source, *camp, *fate, *father; /* interned ids, UINT32_MAX = none */
    uint16_t *given_cls;    /* 2 per record: classes of the first given name */
    uint16_t *father_cls;
    uint32_t *given_init;   /* initial bit sets of the first given name */
    int16_t *year;
    uint8_t *rank;
    uint8_t *evidence;      /* what a record brings beyond its name, for ties
                               (index_finish: EVIDENCE_*) */
    /* interned strings */
    interned *intern;
    size_t nintern, cintern;
    const char **intern_camp; /* names_camp_of(text) of camps and fates, else NULL */
    kt_hmap intern_map;     /* hash of (kind, text) → intern id */
    /* surname dictionary */
    dict_entry *dict;
    size_t ndict, cdict;
    kt_hmap dict_map;       /* hash of normalised surname (+part flag) → dict id */
    kt_pool dict_text;      /* while adding: each entry's surname, to tell */
    uint32_t *dict_key;     /* apart two that share a hash */
    /* (dict id, slot) pairs until finish; then postings in CSR form */
    uint32_t *pair_dict, *pair_slot;
    size_t npair, cpair;
    uint32_t *post_off, *post;
    /* keys: sorted 32-bit fingerprints of the key hashes, the dictionary
     * entries of key i at key_dict[key_off[i] .. key_off[i + 1]), and a
     * directory by the top index_key_dir_bits(nkeys) bits so a lookup
     * searches a few entries */
    uint32_t *key_fp, *key_off, *key_dict;
    size_t nkeys;
    uint32_t *key_dir;      /* (1 << index_key_dir_bits(nkeys)) + 1 entries */
    /* aliases: slots that hold another name of a person (index_add_alias)
     * and point to one of the person's records; a side table keyed by slot,
     * so an index without aliases pays nothing for them */
    alias_info *alias;
    size_t nalias, calias;
    kt_hmap alias_map;      /* slot + 1 → alias id */
    int finished;
    /* the snapshot the arrays point into, or NULL */
    void *map;
    size_t map_len;
    int origin;             /* INDEX_BUILT, INDEX_SNAPSHOT... */
};

/* The evidence byte of a slot, compared as a number: an alias that
 * found the record above everything, then the records of its person
 * (capped), then a year, then a father. */
#define EVIDENCE_ALIAS 0x40
#define EVIDENCE_RECORDS_SHIFT 2
#define EVIDENCE_RECORDS_MAX 15
#define EVIDENCE_YEAR 0x02
#define EVIDENCE_FATHER 0x01

/* Kinds of interned text. */
enum { IN_SOURCE = 1, IN_GIVEN, IN_FATHER, IN_CAMP, IN_FATE, IN_RANK, IN_FATHER_TEXT };

/* How an index came to be (index_origin). */
enum { INDEX_ORIGIN_BUILT = 0, INDEX_ORIGIN_SNAPSHOT = 1 };

/* The store's state an index is built from (index_store_state): the last
 * ids of records, links, persons, aliases and sources, the counts of
 * aliases and sources, the audit log's last id, the schema version. */
#define INDEX_STATE_N 9
int index_store_state(store *st, uint64_t state[INDEX_STATE_N], kt_error *err);

/* Writes the finished index to path (through a temporary file renamed
 * into place), labelled with the store state it was built from. */
int index_snapshot_write(kt_index *ix, const char *path, const uint64_t state[INDEX_STATE_N],
                         kt_error *err);
/* Maps the snapshot at path when it was written for this store state by
 * this program's rules: KT_OK and *out; KT_ERR_NOTFOUND when there is no
 * file; KT_ERR when it is stale, from other rules, or not a snapshot. */
int index_snapshot_map(const char *path, const uint64_t state[INDEX_STATE_N], kt_index **out);

/* Reading r of a dictionary entry into buf (NAMES_PIVOT_MAX + 1); *off
 * walks the entry's stream from 0. Returns the length. */
int index_dict_reading(const char *pool, const dict_entry *d, size_t *off, char *buf);
/* The alias a slot holds, or NULL for a record's own name. */
const alias_info *index_slot_alias(const kt_index *ix, uint32_t slot);

/* index_explain for a query read once (names_probe_text returned > 0; NULL
 * when it did not: only an alias line then), for explaining many hits of
 * one query: the same lines as index_explain(ix, query, slot, ...). */
struct names_probe;
int index_explain_probe(const kt_index *ix, const struct names_probe *q, const char *query,
                        uint32_t slot, char why[][160], int max);
/* The range of dictionary entries under a key; 0 when the key is absent. */
/* The bits of a key's fingerprint the directory is indexed by: about one
 * key per entry, from 8 bits (257 entries, a small index) to 16 (65,537),
 * so that a small index does not fill a quarter-megabyte directory. */
int index_key_dir_bits(size_t nkeys);
int index_key_lookup(const kt_index *ix, uint64_t key, uint32_t *from, uint32_t *to);
/* The consonant keys of a skeleton: the consonant skeleton, then (with at
 * least 4 consonants) its one-deletion neighbours. Returns the count, at
 * most NAMES_SKELETON_MAX + 1; *nconsonants (may be NULL) gets the length
 * of the consonant skeleton. */
int index_consonant_keys(const char *sk, size_t len, uint64_t *keys, size_t *nconsonants);
/* The consonant skeleton of a skeleton (vowel classes dropped, repeats
 * collapsed) into c (NAMES_SKELETON_MAX + 1); returns its length. Its keys
 * are names_hash ^ INDEX_CONSONANT_SALT, apart from the skeleton keys. */
size_t index_consonants(const char *sk, size_t len, char *c);
#define INDEX_CONSONANT_SALT 0xC6A4A7935BD1E995ULL

/* Grows *arr (element size es) to hold at least need elements, doubling
 * from 1024; 0, or -1 out of memory. */
int index_grow(void **arr, size_t *cap, size_t need, size_t es);

/* 1 when text holds a Cyrillic letter (UTF-8 lead bytes 0xD0..0xD3): which
 * of a man's records an alias points to, which comes first in a result. */
static inline int index_has_cyrillic(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s >= 0xD0 && (unsigned char)*s <= 0xD3)
            return 1;
    return 0;
}

#endif
