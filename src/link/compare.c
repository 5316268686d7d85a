/*
 * compare.c — the comparison vector of two records (a level per field),
 * its weight under a model, and the explanation a researcher reads: one
 * line per field with what was compared and what it weighed.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "link/set.h"

static const char *const field_names[LINK_NFIELDS] = {
    "surname", "given name", "father", "birth year", "birth date",
    "birth place", "rank", "camp",
};

static const char *const level_names[LINK_NFIELDS][LINK_LEVELS_MAX] = {
    {"exact", "close", "similar", "different"},
    {"same name", "initial or other name fits", "different"},
    {"same name", "different"},
    {"same", "1 year apart", "2 years apart", "far apart"},
    {"same", "different"},
    {"same", "different"},
    {"same", "different"},
    {"same", "different"},
};

const char *link_field_name(int field)
{
    return field >= 0 && field < LINK_NFIELDS ? field_names[field] : "";
}

const char *link_level_name(int field, int level)
{
    if (level == LINK_MISSING)
        return "not in both";
    if (field < 0 || field >= LINK_NFIELDS || level < 0 || level >= LINK_LEVELS_MAX)
        return "";
    return level_names[field][level] ? level_names[field][level] : "";
}

/* The best similarity of two words' readings, 1 - distance / length, as
 * names_surname_similarity computes it, but only where it reaches `floor`
 * (the lowest level that is not "different"): the distance stops early
 * beyond that, which is most of the candidate pairs. -1 below the floor. */
static int ascii_text(const names_word *w)
{
    for (int i = 0; i < w->len; i++)
        if ((unsigned char)w->text[i] >= 0x80)
            return 0;
    return 1;
}

static double word_similarity(const names_word *a, const names_word *b, double floor)
{
    /* Polish letters against the same stripped of diacritics ("Wróblewski",
     * "Wroblewski"): the name engine's own rule decides */
    int aa = ascii_text(a), ba = ascii_text(b);
    if (aa != ba && (aa ? b : a)->nread && (aa ? b : a)->read[0].ortho == NAMES_POLISH)
        return names_surname_similarity(a, b, NULL, 0);
    double best = -1;
    for (int i = 0; i < a->nread; i++)
        for (int j = 0; j < b->nread; j++) {
            const names_reading *x = &a->read[i], *y = &b->read[j];
            int L = x->len > y->len ? x->len : y->len;
            if (L == 0)
                continue;
            double max = (1 - floor) * L + 1e-9;
            double d = names_distance_within(x->ph, x->len, y->ph, y->len, max);
            if (d <= max && 1 - d / L > best)
                best = 1 - d / L;
            if (best >= 1)
                return 1;
        }
    return best;
}

#define SIMILAR 0.8

static double surname_similarity(const link_set *s, const link_feat *a, const link_feat *b)
{
    if (a->surname.nread == 0 || b->surname.nread == 0)
        return -1;
    if (!strcmp(a->surname.read[0].ph, b->surname.read[0].ph))
        return 1.0;
    double best = word_similarity(&a->surname, &b->surname, SIMILAR);
    /* a double surname against one of its parts: a lost second surname */
    for (int i = 0; i < a->nparts && best < 1.0; i++) {
        double v = word_similarity(&s->parts[a->part + i], &b->surname, SIMILAR);
        best = v > best ? v : best;
    }
    for (int i = 0; i < b->nparts && best < 1.0; i++) {
        double v = word_similarity(&a->surname, &s->parts[b->part + i], SIMILAR);
        best = v > best ? v : best;
    }
    return best < 0 ? 0 : best;
}

static int classes_meet(const uint16_t *a, int na, const uint16_t *b, int nb)
{
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (a[i] == b[j])
                return 1;
    return 0;
}

static uint8_t given_level(const link_feat *a, const link_feat *b)
{
    if (!a->has_given || !b->has_given)
        return LINK_MISSING;
    if (a->given_ncls && b->given_ncls) {
        /* the first names are one name; or another given name is shared
         * (Antoni Jan and Jan), which says less */
        if (a->given_first && b->given_first &&
            classes_meet(a->given_cls, a->given_first, b->given_cls, b->given_first))
            return 0;
        return classes_meet(a->given_cls, a->given_ncls, b->given_cls, b->given_ncls) ? 1 : 2;
    }
    if (a->given_hash && b->given_hash && a->given_hash == b->given_hash)
        return 0;
    /* an initial, or a name outside the table (misread): its first letter */
    return (a->given_initials & b->given_initials) ? 1 : 2;
}

void link_compare(const link_set *s, uint32_t ia, uint32_t ib, uint8_t level[LINK_NFIELDS])
{
    const link_feat *a = &s->rec[ia], *b = &s->rec[ib];
    double sim = surname_similarity(s, a, b);
    level[LINK_F_SURNAME] = sim < 0 ? LINK_MISSING : sim >= 0.999 ? 0 : sim >= 0.9 ? 1
                          : sim >= SIMILAR ? 2 : 3;
    level[LINK_F_GIVEN] = given_level(a, b);
    level[LINK_F_FATHER] = a->has_father && b->has_father && a->father_ncls && b->father_ncls
        ? (classes_meet(a->father_cls, a->father_ncls, b->father_cls, b->father_ncls) ? 0 : 1)
        : LINK_MISSING;
    int dy = a->year > b->year ? a->year - b->year : b->year - a->year;
    level[LINK_F_YEAR] = !a->year || !b->year ? LINK_MISSING : dy > 2 ? 3 : (uint8_t)dy;
    level[LINK_F_DATE] = a->date && b->date ? (a->date == b->date ? 0 : 1) : LINK_MISSING;
    level[LINK_F_PLACE] = a->place && b->place ? (a->place == b->place ? 0 : 1) : LINK_MISSING;
    level[LINK_F_RANK] = a->rank && b->rank ? (a->rank == b->rank ? 0 : 1) : LINK_MISSING;
    level[LINK_F_CAMP] = a->camp && b->camp ? (a->camp == b->camp ? 0 : 1) : LINK_MISSING;
}

/* The surname's frequency adjustment for an exact agreement: a shared rare
 * name says more than the average shared name, a common one less. */
static double tf_adjust(const link_set *s, const link_model *m, uint32_t a, uint32_t b)
{
    if (m->tf_mean <= 0)
        return 0;
    double p = (link_set_tf(s, a) + link_set_tf(s, b)) / 2;
    double adj = log2(m->tf_mean / p);
    return adj > 5 ? 5 : adj < -5 ? -5 : adj;
}

static double field_weight(const link_model *m, int f, uint8_t level)
{
    if (level == LINK_MISSING || level >= m->nlevels[f])
        return 0;
    return log2(m->m[f][level] / m->u[f][level]);
}

double link_weight(const link_set *s, const link_model *m, uint32_t a, uint32_t b,
                   const uint8_t level[LINK_NFIELDS])
{
    double w = 0;
    for (int f = 0; f < LINK_NFIELDS; f++)
        w += field_weight(m, f, level[f]);
    if (level[LINK_F_SURNAME] == 0)
        w += tf_adjust(s, m, a, b);
    return w;
}

double link_probability(const link_model *m, double weight)
{
    double odds = m->lambda / (1 - m->lambda) * exp2(weight);
    return odds / (1 + odds);
}

static size_t append(char *buf, size_t cap, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static size_t append(char *buf, size_t cap, size_t n, const char *fmt, ...)
{
    if (n >= cap)
        return n;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + n, cap - n, fmt, ap);
    va_end(ap);
    return k < 0 ? n : n + (size_t)k >= cap ? cap - 1 : n + (size_t)k;
}

static void classes_text(const uint16_t *cls, int n, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        k = append(out, cap, k, "%s%s", i ? "/" : "", names_class_label(cls[i]));
}

void link_explain(const link_set *s, const link_model *m, uint32_t ia, uint32_t ib,
                  char *buf, size_t cap)
{
    const link_feat *a = &s->rec[ia], *b = &s->rec[ib];
    uint8_t level[LINK_NFIELDS];
    link_compare(s, ia, ib, level);
    size_t n = 0;
    buf[0] = '\0';
    for (int f = 0; f < LINK_NFIELDS; f++) {
        if (level[f] == LINK_MISSING)
            continue;
        double w = field_weight(m, f, level[f]);
        char x[NAMES_WHY_LEN + 48] = "", y[NAMES_WHY_LEN + 48] = "";
        switch (f) {
        case LINK_F_SURNAME: {
            char why[NAMES_WHY_LEN] = "";
            names_surname_similarity(&a->surname, &b->surname, why, sizeof why);
            if (level[f] == 0) {
                double adj = tf_adjust(s, m, ia, ib);
                w += adj;
                snprintf(x, sizeof x, "%s (frequency %+.1f)", why, adj);
            } else {
                snprintf(x, sizeof x, "%s", why);
            }
            break;
        }
        case LINK_F_GIVEN:
            if (a->given_ncls)
                classes_text(a->given_cls, a->given_ncls, x, sizeof x);
            else
                snprintf(x, sizeof x, "%s", a->given_initial ? "initial" : "unlisted name");
            if (b->given_ncls)
                classes_text(b->given_cls, b->given_ncls, y, sizeof y);
            else
                snprintf(y, sizeof y, "%s", b->given_initial ? "initial" : "unlisted name");
            break;
        case LINK_F_FATHER:
            classes_text(a->father_cls, a->father_ncls, x, sizeof x);
            classes_text(b->father_cls, b->father_ncls, y, sizeof y);
            break;
        case LINK_F_YEAR:
            snprintf(x, sizeof x, "%d", a->year);
            snprintf(y, sizeof y, "%d", b->year);
            break;
        case LINK_F_DATE:
            snprintf(x, sizeof x, "%d", a->date);
            snprintf(y, sizeof y, "%d", b->date);
            break;
        default:
            break;
        }
        n = append(buf, cap, n, "%s%s: %s", n ? "\n" : "", field_names[f],
                   link_level_name(f, level[f]));
        if (*x && *y)
            n = append(buf, cap, n, " (%s | %s)", x, y);
        else if (*x)
            n = append(buf, cap, n, " (%s)", x);
        n = append(buf, cap, n, " %+.1f", w);
    }
    double total = link_weight(s, m, ia, ib, level);
    n = append(buf, cap, n, "%stotal %+.1f, probability %.3f", n ? "\n" : "", total,
               link_probability(m, total));
}
