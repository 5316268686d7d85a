/*
 * index_query.c — the index answering a query (index.h: index_query,
 * index_explain, index_entry_get), in its stages: the query read
 * (names_probe_text) and its filters; the surnames it may name, found by
 * their keys and scored once each (find_entries); their records into a
 * bounded heap of cheap scores (fill_heap); the heap rescored by the full
 * comparison and ordered (rescore). See index.c for the tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "index/index_impl.h"
#include "names/camp.h"
#include "names/fate.h"
#include "names/names.h"

/* ---- querying ------------------------------------------------------------- */

void index_entry_get(const kt_index *ix, uint32_t slot, index_entry *out)
{
    memset(out, 0, sizeof *out);
    out->record_key = "";
    if (!ix || slot >= ix->n)
        return;
    out->record_id = ix->record_id[slot];
    out->person_id = ix->person_id[slot];
    const char *pool = ix->pool.text;
    out->source_key = ix->source[slot] == UINT32_MAX ? "" : pool + ix->intern[ix->source[slot]].text;
    out->name = pool + ix->name[slot];
    out->record_key = pool + ix->record_key[slot];
    out->birth_year = ix->year[slot];
    const alias_info *a = index_slot_alias(ix, slot);
    if (a) {
        out->name = pool + a->record_name;
        out->alias = pool + a->text;
        out->alias_kind = pool + a->kind;
    }
}

/* 1 when a given-names field may end in a patronymic after another word,
 * which names_person_from_fields reads as the father when the record names
 * none (its words split at space, tab and comma). */
static int given_ends_in_patronymic(const char *g, size_t len)
{
    while (len && (g[len - 1] == ' ' || g[len - 1] == '\t' || g[len - 1] == ','))
        len--;
    size_t start = len;
    while (start && g[start - 1] != ' ' && g[start - 1] != '\t' && g[start - 1] != ',')
        start--;
    if (start == 0)
        return 0;   /* one word */
    return names_is_patronymic(g + start, len - start);
}

/* The full person of a slot, from its stored fields. The father is read
 * only when with_father is set: reading a patronymic to its father's
 * classes is the dearest part, and names_compare looks at the record's
 * father only when the query names one. Left out, the father takes
 * nothing else with him: a given-names field that could hand its last word
 * to the father (given_ends_in_patronymic) is read in full. */
static void slot_person(const kt_index *ix, uint32_t slot, names_person *p, int with_father)
{
    const char *nm = ix->pool.text + ix->name[slot];
    size_t sl = ix->sur_len[slot], gl = ix->giv_len[slot];
    char sur[256], giv[256];
    memcpy(sur, nm, sl);
    sur[sl] = '\0';
    const char *g = nm + sl + (sl && nm[sl] == ' ' ? 1 : 0);
    memcpy(giv, g, gl);
    giv[gl] = '\0';
    const char *pat = g + gl;
    while (*pat == ' ')
        pat++;
    const char *father = ix->father[slot] == UINT32_MAX ? NULL
                         : ix->pool.text + ix->intern[ix->father[slot]].text;
    if (!with_father && (*pat || father) && given_ends_in_patronymic(giv, gl))
        with_father = 1;
    if (with_father)
        names_person_from_fields(p, sur, giv, *pat ? pat : NULL, father, NULL, ix->year[slot], NULL);
    else
        names_person_from_fields(p, sur, giv, NULL, NULL, NULL, ix->year[slot], NULL);
    p->rank = ix->rank[slot];
    /* the camp, or the camp whose prisoners died where the fate says */
    p->camp = ix->camp[slot] != UINT32_MAX ? ix->intern_camp[ix->camp[slot]] : NULL;
    if (p->camp)
        p->camp = names_site_camp(p->camp);
    if (!p->camp && ix->fate[slot] != UINT32_MAX && ix->intern_camp[ix->fate[slot]])
        p->camp = names_site_camp(ix->intern_camp[ix->fate[slot]]);
}

/* Case-insensitive, normalised substring test; camp and site names also
 * by their key, so "Kozielsk" finds "Козельск". */
static int field_matches(const kt_index *ix, uint32_t id, const char *needle_norm,
                         const char *needle_key)
{
    if (id == UINT32_MAX)
        return 0;
    const char *key = ix->intern_camp[id];
    if (needle_key && key && strcmp(needle_key, key) == 0)
        return 1;
    return needle_norm[0] && strstr(ix->pool.text + ix->intern[id].norm, needle_norm) != NULL;
}

typedef struct cand {
    uint32_t slot;
    float fast;
    double score;
} cand;

/* A dictionary entry reached by query word `word`, with its surname
 * similarity and the best score any of its records could reach. */
typedef struct dhit {
    float ub, sim;
    uint32_t dict;
    uint32_t word;
} dhit;

typedef struct scratch {
    kt_hmap seen;      /* dict ids already scored for the current word */
    dhit *d;
    size_t nd, cd;
    cand *heap;       /* min-heap of the best cheap scores, by fast */
    size_t nh, mh;
} scratch;

/* Pushes a record into the bounded min-heap h (*nh used of mh). */
static void heap_push(cand *h, size_t *nh, size_t mh, uint32_t slot, float fast)
{
    size_t i;
    if (*nh < mh) {
        i = (*nh)++;
        while (i > 0 && h[(i - 1) / 2].fast > fast) {
            h[i] = h[(i - 1) / 2];
            i = (i - 1) / 2;
        }
    } else {
        if (fast <= h[0].fast)
            return;
        /* replace the root and sift down */
        i = 0;
        for (;;) {
            size_t l = 2 * i + 1, r = l + 1, m = i;
            float mv = fast;
            if (l < *nh && h[l].fast < mv) { m = l; mv = h[l].fast; }
            if (r < *nh && h[r].fast < mv) { m = r; }
            if (m == i)
                break;
            h[i] = h[m];
            i = m;
        }
    }
    h[i].slot = slot;
    h[i].fast = fast;
    h[i].score = 0;
}

static int cmp_dhit(const void *a, const void *b)
{
    const dhit *x = a, *y = b;
    if (x->ub != y->ub)
        return x->ub > y->ub ? -1 : 1;
    if (x->sim != y->sim)
        return x->sim > y->sim ? -1 : 1;
    return x->dict < y->dict ? -1 : x->dict > y->dict;
}

static double stretch(double s)
{
    return names_surname_weight(s);
}

/* Dictionary entries asked for ahead of their scoring. */
#define PREFETCH 8

/* Below this surname similarity a dictionary entry is not the name. */
#define SIM_FLOOR 0.7

/* A surname this similar to a query word is a good candidate (one real
 * letter apart in a ten-letter name, or the cross-script reading alone);
 * with WIDE_NET_GOOD of them for a word, the wider nets (consonant and
 * two-deletion keys) are not cast for it. */
#define GOOD_SIM 0.85
#define WIDE_NET_GOOD 5

/* The first skeleton class of a reading ('\0' when it has none). */
static char first_class(const char *ph, size_t len)
{
    char sk[2];
    return names_skeleton(ph, len, sk, sizeof sk) > 0 ? sk[0] : '\0';
}

/* Similarity of a dictionary entry to query word k: over the readings of
 * the word (and of its parts, at 0.97) and of the entry; values under
 * floor (>= SIM_FLOOR) are not computed exactly (the distance stops early).
 * With `first` (a string of skeleton classes), a reading of the entry
 * that begins with none of them is not compared: the wider nets look for
 * a slip or a misreading after the first letter, which keeps the first
 * letter's class. */
static double entry_similarity(const char *pool, const names_probe *q, int k, const dict_entry *d,
                               double floor, const char *first)
{
    double best = 0;
    double part = d->is_part ? 0.97 : 1.0;
    size_t off = 0;
    for (int r = 0; r < d->nread; r++) {
        char p[NAMES_PIVOT_MAX + 1];
        int len = index_dict_reading(pool, d, &off, p);
        if (first) {
            char c = first_class(p, (size_t)len);
            if (!c || !strchr(first, c))
                continue;
        }
        for (int t = -1; t < (q->nparts[k] > 1 ? 2 : 0); t++) {
            const names_word *w = t < 0 ? &q->words[k] : &q->parts[k][t];
            double f = part * (t < 0 ? 1.0 : 0.97);
            for (int a = 0; a < w->nread; a++) {
                const names_reading *qr = &w->read[a];
                int L = qr->len > len ? qr->len : len;
                if (!L)
                    continue;
                /* the distance that would still reach max(best, floor) */
                double need = best > floor ? best : floor;
                double maxd = L * (1.0 - need / f);
                if (maxd < 0)
                    continue;
                double dist = names_distance_within(qr->ph, qr->len, p, (size_t)len, maxd);
                double s = (1.0 - dist / L) * f;
                if (s > best)
                    best = s;
                if (best >= part)
                    return best;   /* an exact match: nothing beats it */
            }
        }
    }
    return best;
}

/* The similarity of a dictionary entry to the reading vr of a query word
 * with two letters swapped back (swap_variant), at factor f (0.97 for a
 * part of a double name): the swap undone costs what the distance charges
 * for one (SWAP_COST). Values under floor are not computed exactly. */
#define SWAP_COST 0.5
static double variant_similarity(const char *pool, const names_reading *vr, double f,
                                 double cost, const dict_entry *d, double floor)
{
    double best = 0;
    f *= d->is_part ? 0.97 : 1.0;
    size_t off = 0;
    for (int r = 0; r < d->nread; r++) {
        char p[NAMES_PIVOT_MAX + 1];
        int len = index_dict_reading(pool, d, &off, p);
        int L = vr->len > len ? vr->len : len;
        if (!L)
            continue;
        double need = best > floor ? best : floor;
        double maxd = L * (1.0 - need / f) - cost;
        if (maxd < 0)
            continue;
        double dist = names_distance_within(vr->ph, vr->len, p, (size_t)len, maxd) + cost;
        double s = (1.0 - dist / L) * f;
        if (s > best)
            best = s;
    }
    return best;
}

static int meets(uint16_t a0, uint16_t a1, const uint16_t *b, int nb)
{
    for (int i = 0; i < nb; i++)
        if (b[i] == a0 || (a1 != CLS_NONE && b[i] == a1))
            return 1;
    return 0;
}

/* The cheap score of a record with probe word k as surname of similarity
 * sim: the components of names_compare computable from the stored classes;
 * unknown names count as neutral and are settled by the full rescoring. */
static double fast_score(const kt_index *ix, const names_probe *q, int k, double sim, uint32_t slot)
{
    double sum = NAMES_W_SURNAME * stretch(sim), w = NAMES_W_SURNAME;
    uint16_t g0 = ix->given_cls[2 * slot], g1 = ix->given_cls[2 * slot + 1];
    double G = -1;
    for (int j = 0; j < q->nwords; j++) {
        if (j == k || j == q->father_word || q->surname_only[j])
            continue;
        if (q->initial[j]) {
            double v = NAMES_NEUTRAL;
            if (g0 != CLS_NONE) {
                uint32_t qi = names_query_initial_bits(&q->words[j]);
                v = (qi & ix->given_init[slot]) ? 1.0 : 0.0;
            }
            double wi = v > 0 ? NAMES_W_INITIAL : NAMES_W_INITIAL_CONFLICT;
            sum += wi * v;
            w += wi;
            continue;
        }
        double v;
        if (g0 == CLS_NONE)
            v = q->ncls[j] ? NAMES_NEUTRAL : NAMES_GIVEN_ABSENT_UNKNOWN;
        else if (g0 == CLS_UNKNOWN || q->ncls[j] == 0)
            v = NAMES_NEUTRAL;
        else
            v = meets(g0, g1, q->cls[j], q->ncls[j]) ? 1.0 : 0.0;
        if (v > G)
            G = v;
    }
    if (G >= 0) {
        sum += NAMES_W_GIVEN * G;
        w += NAMES_W_GIVEN;
    }
    if (q->has_father && k != q->father_word) {
        uint16_t f = ix->father_cls[slot];
        double v = NAMES_NEUTRAL;
        if (f != CLS_NONE && f != CLS_UNKNOWN && q->father_ncls)
            v = meets(f, CLS_NONE, q->father_cls, q->father_ncls) ? 1.0 : 0.0;
        sum += NAMES_W_FATHER * v;
        w += NAMES_W_FATHER;
    }
    if (q->birth_year) {
        int y = ix->year[slot];
        double v = y ? names_year_agreement(y, q->birth_year) : NAMES_NEUTRAL;
        sum += NAMES_W_YEAR * v;
        w += NAMES_W_YEAR;
    }
    return sum / w;
}

static int cmp_slot(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->slot != y->slot)
        return x->slot < y->slot ? -1 : 1;
    return x->fast > y->fast ? -1 : x->fast < y->fast;
}

/* Best first: by score; equal scores by the cheap score (its surname
 * similarity is the stored reading's, finer than the score's), then by
 * evidence (index_finish: an alias that found the record, the records of
 * its person, a year, a father). Only records alike in all of these keep
 * the order in which they were added. */
static int cmp_score(const void *a, const void *b, void *ctx)
{
    const cand *x = a, *y = b;
    const kt_index *ix = ctx;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    /* the closer surname first (of two readings alike in the score) */
    if (x->fast != y->fast)
        return x->fast > y->fast ? -1 : 1;
    uint8_t ex = ix->evidence[x->slot], ey = ix->evidence[y->slot];
    if (ex != ey)
        return ex > ey ? -1 : 1;
    return x->slot < y->slot ? -1 : x->slot > y->slot;
}

enum { KEYS_ALL, KEYS_SKELETON, KEYS_CONSONANT, KEYS_SLIP };

/* Appends key h to keys[0..n) unless it is there or the room (cap) is
 * full; returns the new count. */
static int add_key(uint64_t *keys, int n, int cap, uint64_t h)
{
    for (int j = 0; j < n; j++)
        if (keys[j] == h)
            return n;
    if (n < cap)
        keys[n++] = h;
    return n;
}

/* The keys of a skeleton s with ndel (1 or 2) classes deleted, none
 * before position `from`: on the index side every name has its
 * one-deletion keys, so two deleted here meet a name one slip of the
 * keyboard (or of a typist) beyond what the one-deletion keys forgive.
 * Only for a skeleton of at least min_len classes; each key hashed with
 * salt (0, or INDEX_CONSONANT_SALT for a consonant skeleton). */
static int deletion_keys(const char *s, int len, int ndel, int from, int min_len, uint64_t salt,
                         uint64_t *keys, int n, int cap)
{
    if (len < min_len)
        return n;
    char tmp[NAMES_SKELETON_MAX];
    for (int a = from; a < len; a++)
        for (int b = ndel > 1 ? a + 1 : a; b < len; b++) {
            int t = 0;
            for (int i = 0; i < len; i++) {
                if (i == a || i == b || (t > 0 && tmp[t - 1] == s[i]))
                    continue;
                tmp[t++] = s[i];
            }
            uint64_t h = names_hash(tmp, (size_t)t) ^ salt;
            n = add_key(keys, n, cap, h);
            if (ndel == 1)
                break;
        }
    return n;
}

/* Word src with its code points c and c + 1 swapped, read in the word's
 * most plausible orthography into rd. Returns the reading's length, or -1
 * when there is no such pair or the two are the same letter. */
static int swap_variant(const names_word *src, int c, names_reading *rd)
{
    size_t len = src->len, st[3];
    int found = 0, cp = -1;
    for (size_t i = 0; i <= len && found < 3; i++)
        if (i == len || ((unsigned char)src->text[i] & 0xC0) != 0x80)
            if (++cp >= c)
                st[found++] = i;   /* the starts of code points c, c + 1, c + 2 */
    if (c < 0 || found < 3)
        return -1;
    size_t a = st[0], b = st[1], e = st[2];
    if (b - a == e - b && memcmp(src->text + a, src->text + b, b - a) == 0)
        return -1;
    char t[NAMES_TEXT_MAX];
    memcpy(t, src->text, a);
    memcpy(t + a, src->text + b, e - b);
    memcpy(t + a + (e - b), src->text + a, b - a);
    memcpy(t + e, src->text + e, len - e);
    return names_read_as(src->read[0].ortho, t, len, rd);
}

/* The skeleton keys of a word with two neighbouring letters swapped back,
 * each variant read afresh: a swap is a slip of the fingers on letters, and
 * read as letters it is undone before the reading, so "Switaek" is read as
 * "Swiatek" (the i softening the w) and "Lukoksi" as "Lukoski"; on the index
 * side the one-deletion keys then forgive one cross-script difference more
 * (Свёнтек, Луковский). Each variant is read in the word's most plausible
 * orthography only. For each key added, swap[] gets which variant made it
 * (src_index << 8 | code point), so that the surnames it finds are also
 * compared with the variant (find_entries). */
static int swap_keys(const names_word *src, int src_index, uint64_t *keys, int32_t *swap,
                     int n, int cap)
{
    names_reading rd;
    for (int c = 1; c + 1 < src->len; c++) {
        int rl = swap_variant(src, c, &rd);
        if (rl < 0)
            continue;
        char sk[NAMES_SKELETON_MAX + 1];
        int skl = names_skeleton(rd.ph, (size_t)rl, sk, sizeof sk);
        int n2 = add_key(keys, n, cap, names_hash(sk, (size_t)skl));
        if (n2 > n)
            swap[n] = src_index << 8 | c;
        n = n2;
    }
    return n;
}

/* A variant key's mark in swap[] (find_entries): a z read as ż, not a swap. */
#define VARIANT_ZH 0x10000
/* What reading a z typed without its dot as ż costs: nothing was mistyped,
 * but the word as written says z. */
#define ZH_COST 0.3

/* Word src with the z at code point c read as ż, in Polish, into rd: a
 * Polish name typed without diacritics writes ż as z (Bżezowski →
 * Bzezowski), which is another class of the skeleton, so a slip on top of
 * it is two differences no key forgives. Only for a word of ASCII letters
 * whose z stands alone (not in cz, sz, rz, dz). Returns the reading's
 * length, or -1. */
static int zh_variant(const names_word *src, int c, names_reading *rd)
{
    size_t len = src->len;
    if (c < 0 || (size_t)c >= len || (src->text[c] | 0x20) != 'z')
        return -1;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)src->text[i] >= 0x80)
            return -1;
    if (c > 0 && strchr("csrdCSRD", src->text[c - 1]))
        return -1;
    char t[NAMES_TEXT_MAX + 2];
    if (len + 2 > sizeof t)
        return -1;
    memcpy(t, src->text, (size_t)c);
    memcpy(t + c, "\xc5\xbc", 2);   /* ż */
    memcpy(t + c + 2, src->text + c + 1, len - (size_t)c - 1);
    return names_read_as(NAMES_POLISH, t, len + 1, rd);
}

/* The keys (skeleton and one-deletion) of the word with each lone z read
 * as ż (zh_variant), at most two of them, marked in swap[] as variants. */
static int zh_keys(const names_word *src, int src_index, uint64_t *keys, int32_t *swap, int n,
                   int cap)
{
    int made = 0;
    for (int c = 0; c < src->len && made < 2; c++) {
        names_reading rd;
        int rl = zh_variant(src, c, &rd);
        if (rl <= 0)
            continue;
        made++;
        char sk[NAMES_SKELETON_MAX + 1];
        int skl = names_skeleton(rd.ph, (size_t)rl, sk, sizeof sk);
        uint64_t kk[NAMES_KEYS_MAX + 1];
        int nk = names_keys(sk, (size_t)skl, kk);
        for (int i = 0; i < nk; i++) {
            int n2 = add_key(keys, n, cap, kk[i]);
            if (n2 > n)
                swap[n] = VARIANT_ZH | src_index << 8 | c;
            n = n2;
        }
    }
    return n;
}

/* The fewest consonants a consonant deletion key of the slip net keeps:
 * three consonants (Swiatck's S F T K less one) name a thousand surnames
 * or more in a million records, a net too wide to be scored in time, and
 * the two-deletion keys already forgive a slip in a name that short. */
#define SLIP_CONSONANTS_MIN 4
/* The fewest consonants its consonant two-deletion keys keep: with four,
 * each of them names hundreds of surnames in a million records. */
#define SLIP_CONSONANTS_TWO_MIN 5

/* Room for the keys of one probe word, in the widest mode. */
#define SLIP_KEYS_MAX (3 * NAMES_READINGS_MAX * NAMES_SKELETON_MAX * NAMES_SKELETON_MAX / 2 + \
                       3 * NAMES_SKELETON_MAX * NAMES_SKELETON_MAX / 2 + 3 * NAMES_TEXT_MAX)

/* The keys to look up for probe word w, of every reading of the word and
 * of its parts: KEYS_ALL the skeleton and deletion keys, KEYS_SKELETON the
 * skeleton keys alone, KEYS_CONSONANT the consonant skeleton, KEYS_SLIP the
 * two-deletion keys (deletion_keys), the consonant skeleton's one-deletion
 * keys and the skeletons of the word with a swap undone (swap_keys, first;
 * swap[i] says which variant made key i, -1 for the other keys).
 * Returns the count, duplicates removed. */
static int probe_keys(const names_probe *q, int w, int mode, uint64_t *keys, int32_t *swap)
{
    const names_word *src[3] = {&q->words[w], NULL, NULL};
    int nsrc = 1, n = 0;
    if (q->nparts[w] > 1) {
        src[1] = &q->parts[w][0];
        src[2] = &q->parts[w][1];
        nsrc = 3;
    }
    for (int si = 0; si < nsrc; si++)
        for (int r = 0; r < src[si]->nread; r++) {
            char sk[NAMES_SKELETON_MAX + 1];
            int skl = names_skeleton(src[si]->read[r].ph, src[si]->read[r].len, sk, sizeof sk);
            uint64_t kk[NAMES_KEYS_MAX + 1];
            int nk;
            if (mode == KEYS_SLIP) {
                /* the slip nets keep the first letter (see find_entries):
                 * no key deletes its class, no swap moves it */
                if (r == 0)
                    n = swap_keys(src[si], si, keys, swap, n, SLIP_KEYS_MAX);
                n = deletion_keys(sk, skl, 2, 1, 5, 0, keys, n, SLIP_KEYS_MAX);
                char cons[NAMES_SKELETON_MAX + 1];
                int ncs = (int)index_consonants(sk, (size_t)skl, cons);
                int cfrom = skl > 0 && sk[0] == cons[0];   /* begins with a consonant */
                /* two consonants deleted, from a long name of the most
                 * plausible reading: a slip that turns one letter into a
                 * digraph's worth ("Bohatyrewixz", x read ks where cz
                 * was ч) on top of a vowel of the other script */
                if (r == 0)
                    n = deletion_keys(cons, ncs, 2, cfrom, SLIP_CONSONANTS_TWO_MIN + 2,
                                      INDEX_CONSONANT_SALT, keys, n, SLIP_KEYS_MAX);
                /* and one, when at least SLIP_CONSONANTS_MIN consonants
                 * remain or the reading is the most plausible */
                if (r == 0 || ncs >= SLIP_CONSONANTS_MIN + 1)
                    n = deletion_keys(cons, ncs, 1, cfrom, 4, INDEX_CONSONANT_SALT, keys, n,
                                      SLIP_KEYS_MAX);
                nk = 0;
            } else if (mode != KEYS_CONSONANT) {
                nk = names_keys(sk, (size_t)skl, kk);
                if (mode == KEYS_SKELETON)
                    nk = 1;
                else if (r == 0)
                    n = zh_keys(src[si], si, keys, swap, n, SLIP_KEYS_MAX);
            } else {
                index_consonant_keys(sk, (size_t)skl, kk, NULL);
                nk = 1;   /* the consonant skeleton itself */
            }
            for (int i = 0; i < nk; i++)
                n = add_key(keys, n, SLIP_KEYS_MAX, kk[i]);
        }
    return n;
}

/* Whether the wider net of step (2: consonant keys, 3: slip keys) is cast
 * for query word w, given the good entries found so far per word: the
 * consonant net when a word has fewer than WIDE_NET_GOOD, the slip net
 * when it has none. Neither for a word the given-name tables know while
 * another word of the query is unknown to them: "Kazimierz Switaek" has
 * its surname in Switaek, and the many surnames that resemble Kazimierz
 * are not the name sought. */
static int surname_elsewhere(const names_probe *q, int w)
{
    if (q->ncls[w])
        for (int j = 0; j < q->nwords; j++)
            if (j != w && !q->initial[j] && !q->ncls[j] && j != q->father_word)
                return 1;
    return 0;
}

static int wide_net(const names_probe *q, int w, const size_t *good, int step)
{
    if (good[w] >= (step == 2 ? WIDE_NET_GOOD : 1))
        return 0;
    return !surname_elsewhere(q, w);
}

/* The best fast_score a record of a surname of similarity sim could get
 * when every other component of the query agrees. */
static double upper_bound(const names_probe *q, int k, double sim)
{
    double rest = 0;
    int given = 0;
    for (int j = 0; j < q->nwords; j++) {
        if (j == k || j == q->father_word || q->surname_only[j])
            continue;
        if (q->initial[j])
            rest += NAMES_W_INITIAL;
        else
            given = 1;
    }
    if (given)
        rest += NAMES_W_GIVEN;
    if (q->has_father && k != q->father_word)
        rest += NAMES_W_FATHER;
    if (q->birth_year)
        rest += NAMES_W_YEAR;
    return (NAMES_W_SURNAME * stretch(sim) + rest) / (NAMES_W_SURNAME + rest);
}

/* Longest normalised camp or fate filter text. */
#define FILTER_TEXT_MAX 256
/* Years either side of --born when no tolerance is given. */
#define DEFAULT_BORN_TOLERANCE 2

/* The record filters of a query, read once. */
typedef struct qfilter {
    int born, tol;
    const char *camp_norm, *camp_key, *fate_norm, *fate_key;
    const char *fate_kind; /* names_fate_kind of the fate asked, or NULL */
} qfilter;

/* 1 when the interned fate id names the fate kind (any language). */
static int fate_same_kind(const kt_index *ix, uint32_t id, const char *kind)
{
    if (!kind || id == UINT32_MAX)
        return 0;
    const char *k = names_fate_kind(ix->pool.text + ix->intern[id].text);
    return k && !strcmp(k, kind);
}

/* Stage 2 of a query: the records of the entries d (sorted by cmp_dhit),
 * most promising first, into the bounded heap h of mh; stops when no later
 * entry can beat the heap. Returns the records held. */
static size_t fill_heap(const kt_index *ix, const names_probe *q, const qfilter *f,
                        const dhit *d, size_t nd, cand *h, size_t mh)
{
    size_t nh = 0;
    for (size_t i = 0; i < nd; i++) {
        const dhit *e = &d[i];
        if (nh == mh && e->ub < h[0].fast)
            break;
        for (uint32_t p = ix->post_off[e->dict]; p < ix->post_off[e->dict + 1]; p++) {
            uint32_t slot = ix->post[p];
            if (f->born && ix->year[slot] && abs(ix->year[slot] - f->born) > f->tol)
                continue;
            if (f->camp_norm[0] && !field_matches(ix, ix->camp[slot], f->camp_norm, f->camp_key))
                continue;
            if (f->fate_norm[0] && !field_matches(ix, ix->fate[slot], f->fate_norm, f->fate_key) &&
                !fate_same_kind(ix, ix->fate[slot], f->fate_kind))
                continue;
            heap_push(h, &nh, mh, slot, (float)fast_score(ix, q, (int)e->word, e->sim, slot));
        }
    }
    return nh;
}

/* The lowest cheap score in the heap stage 2 would fill from the entries
 * found so far, or -1 when they do not fill it. Stage 2 over all entries
 * holds at least these records when it reaches any entry whose bound is
 * below that score, and stops there: such entries need not be scored. */
static float heap_floor(const kt_index *ix, const names_probe *q, const qfilter *f,
                        const dhit *d, size_t nd, size_t mh)
{
    if (!nd)
        return -1;
    dhit *c = malloc(nd * sizeof *c);
    cand *h = malloc(mh * sizeof *h);
    float m = -1;
    if (c && h) {
        memcpy(c, d, nd * sizeof *c);
        for (size_t i = 0; i < nd; i++)
            c[i].ub = (float)upper_bound(q, (int)c[i].word, c[i].sim);
        qsort(c, nd, sizeof *c, cmp_dhit);
        if (fill_heap(ix, q, f, c, nd, h, mh) == mh)
            m = h[0].fast;
    }
    free(c);
    free(h);
    return m;
}

/* The similarity below which an entry of word w cannot reach heap floor m:
 * every sim < the value returned has (float)upper_bound < m (the bound
 * rises with sim). SIM_FLOOR when m prunes nothing, > 1 when it prunes all. */
static double sim_floor_for(const names_probe *q, int w, float m)
{
    if (m < 0 || (float)upper_bound(q, w, SIM_FLOOR) >= m)
        return SIM_FLOOR;
    if ((float)upper_bound(q, w, 1.0) < m)
        return 2.0;
    double lo = SIM_FLOOR, hi = 1.0;   /* ub(lo) < m <= ub(hi) */
    for (int i = 0; i < 24; i++) {
        double mid = (lo + hi) / 2;
        if ((float)upper_bound(q, w, mid) >= m)
            hi = mid;
        else
            lo = mid;
    }
    /* the stored similarity is a float: keep clear of its rounding */
    return lo - 1e-6;
}

/* The record filters of a query, read once: normalised camp and fate
 * texts (into the caller's buffers) and their camp keys; a --born year
 * also scores a query that names none. */
static void read_filter(const index_filter *filter, names_probe *q, qfilter *f,
                        char camp_norm[FILTER_TEXT_MAX], char fate_norm[FILTER_TEXT_MAX])
{
    const char *camp_key = NULL, *fate_key = NULL;
    int born = 0, tol = DEFAULT_BORN_TOLERANCE;
    camp_norm[0] = fate_norm[0] = '\0';
    if (filter) {
        born = filter->born;
        tol = filter->born_tolerance > 0 ? filter->born_tolerance : DEFAULT_BORN_TOLERANCE;
        if (filter->camp && *filter->camp) {
            names_normalize(filter->camp, strlen(filter->camp), camp_norm, FILTER_TEXT_MAX);
            camp_key = names_camp_key(filter->camp, strlen(filter->camp), NULL);
        }
        if (filter->fate && *filter->fate) {
            names_normalize(filter->fate, strlen(filter->fate), fate_norm, FILTER_TEXT_MAX);
            fate_key = names_camp_key(filter->fate, strlen(filter->fate), NULL);
        }
    }
    if (born && !q->birth_year)
        q->birth_year = born;
    *f = (qfilter){born, tol, camp_norm, camp_key, fate_norm, fate_key,
                   filter ? names_fate_kind(filter->fate) : NULL};
}

/* Room in the heap beyond the k results asked for: records that the cheap
 * score puts just below the k-th may rise in the full comparison. */
#define HEAP_SLACK 12

/* The first skeleton classes of the readings of query word w and of its
 * parts, as a string (out holds 3 * NAMES_READINGS_MAX + 1). */
static void first_classes(const names_probe *q, int w, char *out)
{
    int n = 0;
    for (int t = -1; t < (q->nparts[w] > 1 ? 2 : 0); t++) {
        const names_word *src = t < 0 ? &q->words[w] : &q->parts[w][t];
        for (int r = 0; r < src->nread; r++) {
            char c = first_class(src->read[r].ph, src->read[r].len);
            if (c && !memchr(out, c, (size_t)n))
                out[n++] = c;
        }
    }
    out[n] = '\0';
}

/* The dictionary entries under one key of a query word. */
typedef struct key_range {
    int key;               /* index in the word's keys */
    uint32_t from, to;
} key_range;

static int cmp_key_range(const void *a, const void *b)
{
    const key_range *x = a, *y = b;
    uint32_t nx = x->to - x->from, ny = y->to - y->from;
    if (nx != ny)
        return nx < ny ? -1 : 1;
    return x->key - y->key;
}

/* The most dictionary entries the wider nets (steps 2 and 3) look at for
 * one query word, their keys taken from the fewest entries up. A key that
 * leaves only three or four consonants of a name ("krck" of Кареецкая)
 * names thousands of surnames among millions of records, and scoring them
 * all is most of the time of the slowest queries; the narrow keys of a
 * slip (one letter deleted of the name sought) come first. */
#ifndef WIDE_NET_BUDGET
#define WIDE_NET_BUDGET 2000
#endif

/* The value of an entry scored for a word and not taken; the key of one
 * taken by a variant with a swap undone (find_entries). */
#define SEEN_REJECTED 2
#define SEEN_BY_VARIANT (1ULL << 63)

/* Stage 1: the dictionary entries (surnames) each query word may name,
 * with their similarity, into s->d; see the comment inside. 0, or -1 out of
 * memory. */
static int find_entries(const kt_index *ix, const names_probe *q, const qfilter *f, scratch *s)
{
    int rc = 0;
    /* dictionary entries reached by the keys of every word read as a
     * surname (all its readings, and the parts of a double name), each
     * scored once per word; when they hold little, the consonant keys
     * cast a wider net. The skeleton keys go first: the records of the
     * entries they find fill a provisional heap, whose lowest score
     * gives each word a similarity below which an entry cannot reach
     * stage 2 (heap_floor), so the many near-misses of the deletion and
     * consonant keys are cut short by the distance's early exit. While
     * fewer than WIDE_NET_GOOD good entries (>= GOOD_SIM) are known for a
     * word the floor stays below GOOD_SIM, so the decision to cast the
     * wider net is unchanged. The decision is each word's own: a given
     * name that many surnames resemble ("Kazimierz", Казимиров) does not
     * keep the net from the misspelt surname beside it. The wider nets
     * compare only the readings of an entry that begin with the class of
     * the first letter of one of the word's readings (first_classes): a
     * slip or a misreading after the first letter keeps it, and the many
     * surnames their keys share with it by their other letters are not
     * scored. */
    double wfloor[NAMES_QWORDS_MAX];
    for (int w = 0; w < NAMES_QWORDS_MAX; w++)
        wfloor[w] = SIM_FLOOR;
    size_t good[NAMES_QWORDS_MAX] = {0};
    size_t spent[NAMES_QWORDS_MAX] = {0};   /* entries of the wider nets, per word */
    /* the first skeleton classes of each word's readings and its parts' */
    char first[NAMES_QWORDS_MAX][3 * NAMES_READINGS_MAX + 1];
    for (int w = 0; w < q->nwords; w++)
        first_classes(q, w, first[w]);
    for (int step = 0; step < 4 && rc == 0; step++) {
        /* step 0: skeleton keys; 1: all keys of pass 0; 2: consonant keys;
         * 3: two-deletion keys, for a slip on top of another difference */
        if (step >= 2) {
            /* no word casts this net: nothing to do, not even the floor */
            int cast = 0;
            for (int w = 0; w < q->nwords && !cast; w++)
                cast = !q->initial[w] && wide_net(q, w, good, step);
            if (!cast)
                continue;
        }
        if (step > 0) {
            float m = heap_floor(ix, q, f, s->d, s->nd, s->mh);
            for (int w = 0; w < q->nwords; w++)
                wfloor[w] = sim_floor_for(q, w, m);
        }
        int mode = step == 0 ? KEYS_SKELETON : step == 1 ? KEYS_ALL
                   : step == 2 ? KEYS_CONSONANT : KEYS_SLIP;
        for (int w = 0; w < q->nwords && rc == 0; w++) {
            if (q->initial[w] || (step >= 2 && !wide_net(q, w, good, step)))
                continue;
            /* a given name beside a word the tables do not know: its
             * skeleton keys are asked (it may be the surname as written),
             * the deletion keys of a misspelt surname are not */
            if (step == 1 && surname_elsewhere(q, w))
                continue;
            uint64_t keys[SLIP_KEYS_MAX];
            int32_t swap[SLIP_KEYS_MAX];
            memset(swap, 0xFF, sizeof swap);
            int nkeys = probe_keys(q, w, mode, keys, swap);
            /* the keys found, and for the wider nets the most selective
             * first, within a budget of entries (see WIDE_NET_BUDGET) */
            key_range kr[SLIP_KEYS_MAX];
            int nkr = 0;
            for (int kk = 0; kk < nkeys; kk++)
                if (index_key_lookup(ix, keys[kk], &kr[nkr].from, &kr[nkr].to))
                    kr[nkr++].key = kk;
            if (step >= 2)
                qsort(kr, (size_t)nkr, sizeof *kr, cmp_key_range);
            for (int ki = 0; ki < nkr && rc == 0; ki++) {
                int kk = kr[ki].key;
                uint32_t from = kr[ki].from, to = kr[ki].to;
                if (step >= 2) {
                    if (spent[w] + (to - from) > WIDE_NET_BUDGET)
                        break;
                    spent[w] += to - from;
                }
                /* a key of a variant with a swap undone: its surnames are
                 * also compared with the variant, a swap's cost added */
                names_reading vr;
                int variant = swap[kk] >= 0, vlen = -1;
                int part = variant && (swap[kk] >> 8 & 0xFF) != 0;
                double vcost = variant && (swap[kk] & VARIANT_ZH) ? ZH_COST : SWAP_COST;
                if (variant) {
                    const names_word *vsrc = !part ? &q->words[w]
                                                   : &q->parts[w][(swap[kk] >> 8 & 0xFF) - 1];
                    vlen = swap[kk] & VARIANT_ZH ? zh_variant(vsrc, swap[kk] & 0xFF, &vr)
                                                 : swap_variant(vsrc, swap[kk] & 0xFF, &vr);
                }
                /* the entries of a key lie all over the dictionary: each is
                 * a cache miss unless asked for ahead */
                for (uint32_t e = from; e < to && e < from + PREFETCH; e++)
                    __builtin_prefetch(&ix->dict[ix->key_dict[e]]);
                for (uint32_t e = from; e < to; e++) {
                    if (e + PREFETCH < to)
                        __builtin_prefetch(&ix->dict[ix->key_dict[e + PREFETCH]]);
                    uint32_t d = ix->key_dict[e], val;
                    uint64_t seen_key = ((uint64_t)w << 32 | d) + 1;
                    double floor = wfloor[w];
                    if (step < 2 && good[w] < WIDE_NET_GOOD && floor > GOOD_SIM - 0.005)
                        floor = GOOD_SIM - 0.005;   /* the wider net's decision pending */
                    double sim = 0;
                    if (kt_hmap_find(&s->seen, seen_key, NULL, NULL, &val)) {
                        /* scored before: only a variant may find it again,
                         * when it was not taken (and not yet by a variant) */
                        if (vlen <= 0 || val != SEEN_REJECTED ||
                            kt_hmap_find(&s->seen, seen_key | SEEN_BY_VARIANT, NULL, NULL, &val))
                            continue;
                    } else {
                        sim = entry_similarity(ix->pool.text, q, w, &ix->dict[d], floor,
                                               step >= 2 ? first[w] : NULL);
                        if (kt_hmap_add(&s->seen, seen_key, sim < floor ? SEEN_REJECTED : 1) < 0) {
                            rc = -1;
                            break;
                        }
                    }
                    if (vlen > 0 && sim < floor) {
                        double vs = variant_similarity(ix->pool.text, &vr, part ? 0.97 : 1.0,
                                                       vcost, &ix->dict[d],
                                                       floor > sim ? floor : sim);
                        if (vs > sim)
                            sim = vs;
                        if (sim >= floor && kt_hmap_add(&s->seen, seen_key | SEEN_BY_VARIANT, 1) < 0) {
                            rc = -1;
                            break;
                        }
                    }
                    if (sim < floor)
                        continue;
                    if (index_grow((void **)&s->d, &s->cd, s->nd + 1, sizeof *s->d) < 0) {
                        rc = -1;
                        break;
                    }
                    s->d[s->nd].sim = (float)sim;
                    s->d[s->nd].dict = d;
                    s->d[s->nd].word = (uint32_t)w;
                    if (step < 2 && s->d[s->nd].sim >= (float)GOOD_SIM)
                        good[w]++;
                    s->nd++;
                }
            }
        }
    }
    return rc;
}

/* The score shown: the comparison's score mapped so that of the hits
 * scored about p, about p in a hundred are the record sought. The knots
 * are the reliability table of the comparison's own scores over the 339
 * quality queries of the benchmark (docs/bench.md: every hit of the first
 * ten, by band, and the share that is the record sought; bands of fewer
 * than 30 hits pooled with their neighbour); between knots the map is
 * linear, and it keeps the order (strictly rising). */
static const struct {
    double raw, shown;
} CALIBRATION[] = {
    {0.00, 0.00}, {0.50, 0.01}, {0.55, 0.15}, {0.65, 0.21}, {0.75, 0.43},
    {0.825, 0.90}, {0.90, 0.95}, {1.00, 1.00},
};

static double calibrated(double raw)
{
    size_t n = sizeof CALIBRATION / sizeof *CALIBRATION;
    if (raw <= CALIBRATION[0].raw)
        return CALIBRATION[0].shown;
    for (size_t i = 1; i < n; i++)
        if (raw <= CALIBRATION[i].raw) {
            double t = (raw - CALIBRATION[i - 1].raw) / (CALIBRATION[i].raw - CALIBRATION[i - 1].raw);
            return CALIBRATION[i - 1].shown + t * (CALIBRATION[i].shown - CALIBRATION[i - 1].shown);
        }
    return CALIBRATION[n - 1].shown;
}

/* Stage 3: the heap's records, once each, rescored by the full comparison
 * (names_compare), ordered (cmp_score), the best k into hits, a record
 * reached by its own name and an alias once. Returns how many, or -1. */
static int rescore(const kt_index *ix, const names_probe *q, scratch *s, index_hit *hits, int k)
{
    int rc = 0;
    int out = 0;
    if (rc == 0 && s->nh) {
        qsort(s->heap, s->nh, sizeof *s->heap, cmp_slot);
        size_t m = 0;
        for (size_t i = 0; i < s->nh; i++)
            if (m == 0 || s->heap[m - 1].slot != s->heap[i].slot)
                s->heap[m++] = s->heap[i];
        names_person *p = malloc(sizeof *p);
        if (!p) {
            rc = -1;
        } else {
            for (size_t i = 0; i < m; i++) {
                slot_person(ix, s->heap[i].slot, p, q->has_father);
                s->heap[i].score = names_compare(q, p, NULL);
            }
            free(p);
            qsort_r(s->heap, m, sizeof *s->heap, cmp_score, (void *)ix);
            for (size_t i = 0; i < m && out < k; i++) {
                /* a record reached by its own name and by an alias, or by
                 * two aliases, is one hit: the best, which comes first */
                if (ix->nalias) {
                    int dup = 0;
                    for (int j = 0; j < out && !dup; j++)
                        dup = hits[j].record_id == ix->record_id[s->heap[i].slot];
                    if (dup)
                        continue;
                }
                hits[out].record_id = ix->record_id[s->heap[i].slot];
                hits[out].slot = s->heap[i].slot;
                hits[out].score = calibrated(s->heap[i].score);
                out++;
            }
        }
    }
    return rc < 0 ? -1 : out;
}

int index_query(const kt_index *ix, const char *query, const index_filter *filter,
                index_hit *hits, int k)
{
    if (!ix || !ix->finished || !query || k < 0)
        return -1;
    if (k == 0)
        return 0;
    names_probe *q = malloc(sizeof *q);
    if (!q)
        return -1;
    if (names_probe_text(query, q) < 0) {
        free(q);
        return -1;
    }
    char camp_norm[FILTER_TEXT_MAX], fate_norm[FILTER_TEXT_MAX];
    qfilter f;
    read_filter(filter, q, &f, camp_norm, fate_norm);
    scratch s;
    memset(&s, 0, sizeof s);
    s.mh = (size_t)k + HEAP_SLACK;
    /* 1. the surnames the query may name */
    int rc = find_entries(ix, q, &f, &s);
    /* their upper bounds */
    for (size_t i = 0; i < s.nd; i++)
        s.d[i].ub = (float)upper_bound(q, (int)s.d[i].word, s.d[i].sim);
    /* 2. their records, most promising surnames first, into a bounded heap
     *    of cheap scores; stop when no later surname can beat the heap */
    s.heap = malloc(s.mh * sizeof *s.heap);
    if (!s.heap)
        rc = -1;
    if (rc == 0 && s.nd) {
        qsort(s.d, s.nd, sizeof *s.d, cmp_dhit);
        s.nh = fill_heap(ix, q, &f, s.d, s.nd, s.heap, s.mh);
    }
    /* 3. the heap rescored in full, ordered, the best k */
    int out = rc == 0 ? rescore(ix, q, &s, hits, k) : -1;
    kt_hmap_free(&s.seen);
    free(s.d);
    free(s.heap);
    free(q);
    return out;
}

/* Length of at most cap bytes of s, not cutting a UTF-8 sequence. */
static size_t utf8_prefix(const char *s, size_t cap)
{
    size_t n = strlen(s);
    if (n <= cap)
        return n;
    while (cap && ((unsigned char)s[cap] & 0xC0) == 0x80)
        cap--;
    return cap;
}

/* "known as Jan Karski (nom de guerre) = Jan Karski": the alias, its kind,
 * and the query it answers, "=" when they read the same after
 * normalisation (case, diacritics), "≈" otherwise. */
static void alias_line(const char *pool, const alias_info *ai, const char *query, char *line)
{
    struct {
        const char *text, *kind;
    } a_ = {pool + ai->text, pool + ai->kind}, *a = &a_;
    while (*query == ' ')
        query++;
    size_t ql = strlen(query);
    while (ql && query[ql - 1] == ' ')
        ql--;
    char na[256], nq[256];
    int la = names_normalize(a->text, strlen(a->text), na, sizeof na);
    int lq = names_normalize(query, ql, nq, sizeof nq);
    int same = la >= 0 && la == lq && memcmp(na, nq, (size_t)la) == 0;
    size_t tl = utf8_prefix(a->text, 56), kl = utf8_prefix(a->kind, 20);
    size_t room = 160 - 1 - (sizeof "known as  () ≈ " - 1) - tl - kl;
    size_t qn = ql < room ? ql : room;
    while (qn && ((unsigned char)query[qn] & 0xC0) == 0x80 && qn < ql)
        qn--;
    snprintf(line, 160, "known as %.*s (%.*s) %s %.*s", (int)tl, a->text, (int)kl,
             a->kind, same ? "=" : "≈", (int)qn, query);
}

/* The lines of index_explain for a query already read into q; the
 * record's father is read when with_father is set. */
static int explain_lines(const kt_index *ix, const names_probe *q, const char *query,
                         uint32_t slot, int with_father, char why[][160], int max)
{
    int n = 0;
    const alias_info *a = index_slot_alias(ix, slot);
    if (a) {
        alias_line(ix->pool.text, a, query, why[n]);
        n++;
    }
    names_person *p = malloc(sizeof *p);
    names_result *res = malloc(sizeof *res);
    if (q && p && res) {
        slot_person(ix, slot, p, with_father);
        names_compare(q, p, res);
        for (int i = 0; i < res->nwhy && n < max; i++) {
            snprintf(why[n], 160, "%s", res->why[i]);
            n++;
        }
    }
    free(p);
    free(res);
    return n;
}

int index_explain(const kt_index *ix, const char *query, uint32_t slot, char why[][160], int max)
{
    if (!ix || slot >= ix->n || max <= 0)
        return 0;
    names_probe *q = malloc(sizeof *q);
    if (q && names_probe_text(query, q) <= 0) {
        free(q);
        q = NULL;
    }
    int n = explain_lines(ix, q, query, slot, 1, why, max);
    free(q);
    return n;
}

int index_explain_probe(const kt_index *ix, const names_probe *q, const char *query,
                        uint32_t slot, char why[][160], int max)
{
    if (!ix || slot >= ix->n || max <= 0)
        return 0;
    /* names_compare looks at the record's father only when the query
     * names one (as rescore relies on), so he is read only then. */
    return explain_lines(ix, q, query, slot, q && q->has_father, why, max);
}
