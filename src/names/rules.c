/*
 * rules.c — every rules table of the name engine read at once, and the rows
 * its loaders refused (names_rules_check): the tables load lazily, each on
 * first use, so this asks each module for something once.
 */
#include <string.h>

#include "names/camp.h"
#include "names/given_forms.h"
#include "names/names.h"
#include "names/rank.h"
#include "names/year.h"
#include "util/tsv.h"

int names_rules_check(kt_error *first)
{
    for (int o = 0; o < NAMES_ORTHO_COUNT; o++)
        names_rules_count((names_ortho)o);           /* the orthographies */
    char sk[8];
    names_skeleton("a", 1, sk, sizeof sk);          /* skeleton.tsv */
    names_distance("a", 1, "o", 1);                 /* confusions.tsv */
    names_given_class("Jan");                       /* given_names.tsv */
    names_gf_rows();                                /* the given-name forms */
    names_camp_key("Kozielsk", 8, NULL);            /* camps.tsv */
    names_rank_of("kpt.");                          /* ranks.tsv */
    size_t span[2];
    names_find_birth_year("ur. 1893", span);        /* year_markers.tsv */
    names_probe probe;
    names_probe_text("kpt. Jan s. Jana", &probe);   /* query_words.tsv */
    return kt_tsv_refusals(first);
}
