/*
 * gen_lists.h — synthetic lists of prisoners with known truth, for the
 * linkage's benchmark and quality test (never for the bundled data).
 *
 * A population of men (surname, given names, father, birth date and place,
 * rank) is written into up to three lists the way the real ones were
 * written (see /docs/bench.md and NAMES.md):
 *   list 0 "nkvd"      Russian Cyrillic, surname first, Russified given name,
 *                      patronymic, year of birth, Russian rank (dispatch lists);
 *   list 1 "exhumed"   Latin without diacritics, German misreadings, often
 *                      initials only, the rank glued on, year often missing;
 *   list 2 "memorial"  Polish: "s. Jana", date and place of birth, rank.
 * The noise model is written here from the correspondences in NAMES.md
 * (sz→ш, rz→ж/рж/ш, ł→л/в, ó→у, ą→он/ом, ...) and clerks' errors (dropped,
 * swapped and confused letters, years off by one, lost second surnames,
 * swapped name order, German n/u m/rn c/e l/t, initials only); it never
 * calls the name engine. `noise` scales every error's probability: 1 is
 * the realistic level, 0 none (the transcription itself stays).
 */
#ifndef KT_BENCH_GEN_LISTS_H
#define KT_BENCH_GEN_LISTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "link/link.h"

enum { GEN_NKVD, GEN_EXHUMED, GEN_MEMORIAL, GEN_NLISTS };

typedef struct gen_options {
    size_t persons;          /* population */
    size_t size[GEN_NLISTS]; /* records per list (0 = list absent) */
    size_t exhumed_unlisted; /* exhumed men not on the NKVD list */
    double noise;
    uint64_t seed;
} gen_options;

/* The realistic sizes: 4,400 NKVD, 2,800 exhumed and identified (67 of
 * them not on the NKVD list), a memorial list of 4,000, all multiplied by
 * scale. */
void gen_options_realistic(gen_options *o, double scale, double noise);

typedef struct gen_record {
    uint32_t person;         /* the truth */
    uint8_t list;
    char surname[64], given[48], father[48], date[16], place[48], rank[32];
    int year;
} gen_record;

typedef struct gen_lists {
    gen_record *rec;
    size_t n;
} gen_lists;

int gen_lists_make(const gen_options *o, gen_lists *out);
void gen_lists_free(gen_lists *g);
/* The records as the linkage's input (strings point into g). */
link_input *gen_lists_inputs(const gen_lists *g);
/* Writes one list as a CSV file kartoteka imports; -1 on error. */
int gen_lists_write_csv(const gen_lists *g, int list, FILE *out);
const char *gen_list_name(int list);

#endif
