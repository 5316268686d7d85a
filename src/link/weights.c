/*
 * weights.c — Fellegi–Sunter m and u probabilities estimated by EM on the
 * candidate pairs themselves (no labelled pairs exist for these lists).
 *
 * EM runs on the histogram of comparison patterns, not on the pairs: a
 * million pairs have at most a few thousand distinct patterns, so each
 * iteration is cheap and the result is the same as on the pairs. A level
 * "not in both" weighs nothing and takes no part. Priors (pseudo-counts)
 * keep a small run (the bundled persons, a few hundred pairs) sensible:
 * they say what a clerk's list usually shows, and the data outweighs them
 * as soon as there is enough of it.
 */
#include <math.h>
#include <string.h>

#include "link/weights.h"

static const int nlevels[LINK_NFIELDS] = {4, 3, 2, 4, 2, 2, 2, 2};

/* Starting points and priors: m (same man) and u (two men among the
 * candidates) per level. */
static const double prior_m[LINK_NFIELDS][LINK_LEVELS_MAX] = {
    {0.70, 0.20, 0.07, 0.03},
    {0.85, 0.10, 0.05},
    {0.92, 0.08},
    {0.75, 0.17, 0.05, 0.03},
    {0.85, 0.15},
    {0.80, 0.20},
    {0.85, 0.15},
    {0.90, 0.10},
};
static const double prior_u[LINK_NFIELDS][LINK_LEVELS_MAX] = {
    {0.15, 0.20, 0.25, 0.40},
    {0.08, 0.12, 0.80},
    {0.10, 0.90},
    {0.20, 0.30, 0.30, 0.20},
    {0.01, 0.99},
    {0.05, 0.95},
    {0.30, 0.70},
    {0.30, 0.70},
};
#define PRIOR_PAIRS 20.0
#define EM_ITERATIONS 40
#define PROB_FLOOR 1e-4

int link_pattern_levels(int field)
{
    return nlevels[field];
}

uint32_t link_pattern(const uint8_t level[LINK_NFIELDS])
{
    uint32_t p = 0;
    for (int f = LINK_NFIELDS - 1; f >= 0; f--) {
        int l = level[f] == LINK_MISSING ? nlevels[f] : level[f];
        p = p * (uint32_t)(nlevels[f] + 1) + (uint32_t)l;
    }
    return p;
}

uint32_t link_pattern_count(void)
{
    uint32_t n = 1;
    for (int f = 0; f < LINK_NFIELDS; f++)
        n *= (uint32_t)(nlevels[f] + 1);
    return n;
}

void link_pattern_decode(uint32_t p, uint8_t level[LINK_NFIELDS])
{
    for (int f = 0; f < LINK_NFIELDS; f++) {
        uint32_t l = p % (uint32_t)(nlevels[f] + 1);
        p /= (uint32_t)(nlevels[f] + 1);
        level[f] = l == (uint32_t)nlevels[f] ? LINK_MISSING : (uint8_t)l;
    }
}

void link_model_prior(link_model *m)
{
    memset(m, 0, sizeof *m);
    for (int f = 0; f < LINK_NFIELDS; f++) {
        m->nlevels[f] = nlevels[f];
        for (int l = 0; l < nlevels[f]; l++) {
            m->m[f][l] = prior_m[f][l];
            m->u[f][l] = prior_u[f][l];
        }
    }
    m->lambda = 0.1;
}

void link_model_fit(link_model *m, const uint64_t *hist)
{
    uint32_t npat = link_pattern_count();
    link_model_prior(m);
    double total = 0;
    for (uint32_t p = 0; p < npat; p++)
        total += (double)hist[p];
    if (total == 0)
        return;
    for (int it = 0; it < EM_ITERATIONS; it++) {
        double cm[LINK_NFIELDS][LINK_LEVELS_MAX] = {{0}}, cu[LINK_NFIELDS][LINK_LEVELS_MAX] = {{0}};
        double sum_g = 0;
        for (uint32_t p = 0; p < npat; p++) {
            if (!hist[p])
                continue;
            uint8_t level[LINK_NFIELDS];
            link_pattern_decode(p, level);
            double lm = m->lambda, lu = 1 - m->lambda;
            for (int f = 0; f < LINK_NFIELDS; f++)
                if (level[f] != LINK_MISSING) {
                    lm *= m->m[f][level[f]];
                    lu *= m->u[f][level[f]];
                }
            double g = lm / (lm + lu), c = (double)hist[p];
            sum_g += g * c;
            for (int f = 0; f < LINK_NFIELDS; f++)
                if (level[f] != LINK_MISSING) {
                    cm[f][level[f]] += g * c;
                    cu[f][level[f]] += (1 - g) * c;
                }
        }
        for (int f = 0; f < LINK_NFIELDS; f++) {
            double tm = PRIOR_PAIRS, tu = PRIOR_PAIRS;
            for (int l = 0; l < nlevels[f]; l++) {
                tm += cm[f][l];
                tu += cu[f][l];
            }
            for (int l = 0; l < nlevels[f]; l++) {
                double vm = (cm[f][l] + PRIOR_PAIRS * prior_m[f][l]) / tm;
                double vu = (cu[f][l] + PRIOR_PAIRS * prior_u[f][l]) / tu;
                m->m[f][l] = vm < PROB_FLOOR ? PROB_FLOOR : vm;
                m->u[f][l] = vu < PROB_FLOOR ? PROB_FLOOR : vu;
            }
        }
        double lambda = (sum_g + PRIOR_PAIRS * 0.1) / (total + PRIOR_PAIRS);
        m->lambda = lambda < 1e-6 ? 1e-6 : lambda > 0.999 ? 0.999 : lambda;
        m->iterations = it + 1;
    }
}
