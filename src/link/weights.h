/*
 * weights.h — internal to src/link/: comparison patterns and the EM fit of
 * the Fellegi–Sunter model (weights.c).
 */
#ifndef KT_LINK_WEIGHTS_H
#define KT_LINK_WEIGHTS_H

#include "link/link.h"

/* A comparison vector as one number, 0 .. link_pattern_count()-1. */
uint32_t link_pattern(const uint8_t level[LINK_NFIELDS]);
uint32_t link_pattern_count(void);
void link_pattern_decode(uint32_t pattern, uint8_t level[LINK_NFIELDS]);
int link_pattern_levels(int field);
/* The model before any data: the priors. */
void link_model_prior(link_model *m);
/* EM on a histogram of patterns (link_pattern_count() counts). */
void link_model_fit(link_model *m, const uint64_t *hist);

#endif
