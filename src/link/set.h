/*
 * set.h — internal to src/link/: a record's features as the comparison
 * reads them, and the set that holds them. Not part of the public API.
 */
#ifndef KT_LINK_SET_H
#define KT_LINK_SET_H

#include "link/link.h"
#include "names/names.h"

#define LINK_CLS_MAX 6

typedef struct link_feat {
    int64_t id;
    int64_t person_id;
    names_word surname;             /* the whole surname, parts joined */
    int32_t part;                   /* first of its parts in set->parts, -1 */
    uint8_t nparts;
    uint8_t source;
    uint8_t fixed;
    uint8_t given_ncls;
    uint8_t given_first;            /* classes of the first given name */
    uint8_t father_ncls;
    uint8_t given_initial;          /* the given name is an initial only */
    uint8_t has_given;
    uint8_t has_father;
    uint16_t given_cls[LINK_CLS_MAX];
    uint16_t father_cls[NAMES_CLASSES_MAX];
    uint32_t given_initials;        /* names_initial_bit of the given names */
    uint64_t given_hash;            /* pivot of an unlisted given name */
    uint64_t surname_hash;          /* pivot of the first reading, for tf */
    int16_t year;
    int32_t date;                   /* yyyymmdd, 0 = no full date */
    uint64_t place;                 /* skeleton hash of the birth place, 0 */
    int16_t rank;
    uint64_t camp;                  /* hash of the camp key, 0 */
} link_feat;

struct link_set {
    link_feat *rec;
    size_t n;
    names_word *parts;              /* parts of double surnames */
    size_t nparts;
    /* surname frequency, for the tf adjustment: sorted hashes and counts */
    uint64_t *tf_hash;
    uint32_t *tf_count;
    size_t ntf;
};

/* Frequency (share of records) of the surname of record i. */
double link_set_tf(const link_set *s, uint32_t i);

#endif
