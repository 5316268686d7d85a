/*
 * compare.c — how alike two names are, and why: a weighted edit distance
 * on pivots whose cheap operations are the known confusions of clerks and
 * transcribers (data/rules/confusions.tsv), the surname similarity over all readings with a
 * human-readable list of the correspondences used, and the comparison of a
 * query with a record (surname, given-name class, initials, father, year,
 * rank) into one score in 0..1 with one explanation line per component.
 *
 * Guarantees: pure, no allocation (fixed buffers), thread-safe once the
 * rule and given-name tables are loaded; scores are deterministic; a
 * record that lacks a component the query has scores above a record whose
 * component conflicts with it.
 */
#include "names/names.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "names/rank.h"
#include "names/textfold.h"
#include "util/tsv.h"

/* ---- costs -------------------------------------------------------------- */

/* Substitution and insertion/deletion costs by phoneme: 1 unless
 * confusions.tsv says less. */
static float sub_table[128][128];
static float del_table[128];

/* The same costs in twentieths, over a dense phoneme numbering, for the
 * bounded distance of the index's hot path (small tables stay in L1). */
#define PH_N 48
static unsigned char ph_index[128];
static unsigned char isub[PH_N][PH_N];
static unsigned char idel[PH_N];
static unsigned char min_del;   /* the cheapest insertion / deletion */

/* Reads data/rules/confusions.tsv: "a b cost" sets a substitution (both
 * ways), "a <empty> cost" an insertion / deletion. */
static void load_confusions(void)
{
    kt_tsv c;
    kt_tsv_field f[3];
    int n;
    if (!kt_tsv_open_embedded(&c, "data/rules/confusions.tsv", KT_TSV_COMMENTS | KT_TSV_HEADER))
        return;
    while (kt_tsv_next(&c, f, 3, &n)) {
        /* a TAB b TAB cost [TAB note]; a and b are single ASCII symbols */
        char buf[16];
        if (n < 3 || f[0].len != 1 || f[1].len > 1 || f[2].len == 0 ||
            !kt_tsv_copy(f[2], buf, sizeof buf)) {
            kt_tsv_refuse(&c, "expected two one-letter phonemes (the second may be empty) and a cost");
            continue;
        }
        char *end;
        float cost = strtof(buf, &end);
        if (*end || cost < 0 || cost > 1) {
            kt_tsv_refuse(&c, "the cost is not a number from 0 to 1");
            continue;
        }
        unsigned char a = (unsigned char)f[0].s[0] & 127;
        if (f[1].len == 0) {
            del_table[a] = cost;
        } else {
            unsigned char b = (unsigned char)f[1].s[0] & 127;
            sub_table[a][b] = sub_table[b][a] = cost;
        }
    }
}

static void init_costs(void)
{
    for (int a = 0; a < 128; a++) {
        for (int b = 0; b < 128; b++)
            sub_table[a][b] = a == b ? 0.0f : 1.0f;
        del_table[a] = 1.0f;
    }
    load_confusions();
    /* dense numbering: 0 for anything unexpected, then the alphabet */
    static const char alphabet[] = "aeiouypbtdkgfvwszlmnrjxhcCSZ-";
    unsigned char syms[PH_N];
    int n = 1;
    syms[0] = 0;
    for (const char *c = alphabet; *c && n < PH_N; c++) {
        ph_index[(int)*c] = (unsigned char)n;
        syms[n++] = (unsigned char)*c;
    }
    for (int a = 0; a < PH_N; a++) {
        idel[a] = a < n ? (unsigned char)(del_table[syms[a]] * 20 + 0.5f) : 20;
        if (a == 0 || idel[a] < min_del)
            min_del = idel[a];
        for (int b = 0; b < PH_N; b++)
            isub[a][b] = a < n && b < n ? (unsigned char)(sub_table[syms[a]][syms[b]] * 20 + 0.5f)
                                        : (a == b ? 0 : 20);
    }
}

static pthread_once_t costs_once = PTHREAD_ONCE_INIT;

static void ensure_costs(void)
{
    pthread_once(&costs_once, init_costs);
}

static float sub_cost(char a, char b)
{
    return sub_table[(unsigned char)a & 127][(unsigned char)b & 127];
}

static float del_cost(char a)
{
    return del_table[(unsigned char)a & 127];
}

#define DMAX (NAMES_PIVOT_MAX + 1)

/* A cost this high is no rule of confusions.tsv: a difference the reading
 * rules do not explain (a slip, a misreading), said as forgiven. */
#define UNEXPLAINED 0.95f
/* A letter added or dropped is said as forgiven from this cost on: the
 * vowels a transcriber adds by ear and the n of a lost nasal (0.6) are
 * as often a slip, and the user should see that a letter was missing;
 * iotation, рж and ł (0.2-0.5) are the readings' own. */
#define UNEXPLAINED_GAP 0.55f

/* Fills d[(la+1)*(lb+1)]; returns the distance. */
static float dp_fill(const char *a, int la, const char *b, int lb, float d[DMAX][DMAX])
{
    d[0][0] = 0;
    for (int i = 1; i <= la; i++)
        d[i][0] = d[i - 1][0] + del_cost(a[i - 1]);
    for (int j = 1; j <= lb; j++)
        d[0][j] = d[0][j - 1] + del_cost(b[j - 1]);
    for (int i = 1; i <= la; i++) {
        for (int j = 1; j <= lb; j++) {
            float best = d[i - 1][j - 1] + sub_cost(a[i - 1], b[j - 1]);
            float x = d[i - 1][j] + del_cost(a[i - 1]);
            if (x < best) best = x;
            x = d[i][j - 1] + del_cost(b[j - 1]);
            if (x < best) best = x;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                x = d[i - 2][j - 2] + 0.5f;   /* neighbouring letters swapped */
                if (x < best) best = x;
            }
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

double names_distance_within(const char *a, size_t alen, const char *b, size_t blen, double max)
{
    unsigned short rows[3][DMAX];
    /* letter indices, after a sentinel no letter equals (so the swap test
     * needs no bounds test: ia[-1], ib[-1] match nothing) */
    unsigned char iab[DMAX + 1], ibb[DMAX + 1];
    unsigned char *ia = iab + 1, *ib = ibb + 1;
    iab[0] = 254;
    ibb[0] = 255;
    ensure_costs();
    if (alen > NAMES_PIVOT_MAX) alen = NAMES_PIVOT_MAX;
    if (blen > NAMES_PIVOT_MAX) blen = NAMES_PIVOT_MAX;
    int la = (int)alen, lb = (int)blen;
    int limit = (int)(max * 20 + 1e-6);
    /* A path through cell (i, j) has made at least |i - j| insertions or
     * deletions, each of a letter of a or b, so a distance within the limit
     * never leaves the band |i - j| <= limit / (cheapest such insertion or
     * deletion): only the band is computed, the cells beside it stand for
     * "more than the limit" (INF). The cheapest of all bounds the band
     * before the letters are looked at. */
    enum { INF = 0x7FFF };
    int band = min_del ? limit / min_del : DMAX;
    if (band > DMAX)
        band = DMAX;
    if (la - lb > band || lb - la > band)
        return (limit + 1) / 20.0;
    unsigned md = 255;
    for (int i = 0; i < la; i++) {
        ia[i] = ph_index[(unsigned char)a[i] & 127];
        if (idel[ia[i]] < md)
            md = idel[ia[i]];
    }
    for (int j = 0; j < lb; j++) {
        ib[j] = ph_index[(unsigned char)b[j] & 127];
        if (idel[ib[j]] < md)
            md = idel[ib[j]];
    }
    if (md && (int)md > min_del) {
        band = limit / (int)md;
        if (band > DMAX)
            band = DMAX;
        if (la - lb > band || lb - la > band)
            return (limit + 1) / 20.0;
    }
    unsigned short *pp = rows[0], *p = rows[1], *c = rows[2];
    unsigned prevmin = 0;
    p[0] = 0;
    for (int j = 1; j <= lb; j++)
        p[j] = (unsigned short)(p[j - 1] + idel[ib[j - 1]]);
    for (int i = 1; i <= la; i++) {
        unsigned char x = ia[i - 1];
        const unsigned char *sub = isub[x];
        c[0] = (unsigned short)(p[0] + idel[x]);
        unsigned rowmin = c[0];
        int lo = i - band > 1 ? i - band : 1, hi = i + band < lb ? i + band : lb;
        if (lo > 1)
            c[lo - 1] = INF;
        if (hi < lb)
            c[hi + 1] = INF;
        for (int j = lo; j <= hi; j++) {
            unsigned y = ib[j - 1];
            unsigned best = p[j - 1] + sub[y];
            unsigned v = p[j] + idel[x];
            if (v < best) best = v;
            v = c[j - 1] + idel[y];
            if (v < best) best = v;
            if (x == ib[j - 2] && ia[i - 2] == y) {
                v = pp[j - 2] + 10u;   /* neighbouring letters swapped */
                if (v < best) best = v;
            }
            c[j] = (unsigned short)best;
            if (best < rowmin) rowmin = best;
        }
        /* every path to the end passes this row or the one before (a swap
         * jumps one row), and costs only grow */
        if ((int)rowmin > limit && (int)prevmin > limit)
            return (rowmin < prevmin ? rowmin : prevmin) / 20.0;
        prevmin = rowmin;
        unsigned short *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb] / 20.0;
}

double names_distance(const char *a, size_t alen, const char *b, size_t blen)
{
    return names_distance_within(a, alen, b, blen, 1e6);
}

static double similarity_of(const names_reading *a, const names_reading *b)
{
    int L = a->len > b->len ? a->len : b->len;
    if (L == 0)
        return 0;
    double s = 1.0 - names_distance(a->ph, a->len, b->ph, b->len) / L;
    return s < 0 ? 0 : s;
}

/* ---- explanation of a surname match ------------------------------------- */

/* The letter a Latin reader expects for a Cyrillic one, for deciding which
 * correspondences are worth saying ("w→в" is, "m→м" is not). */
static int32_t plain_latin_1(int32_t c)
{
    static const char map[] = "abvgdezzijklmnoprstufhccss'y'eua"; /* а..я */
    if (c >= 0x0430 && c <= 0x044F)
        return (unsigned char)map[c - 0x0430];
    if (c == 0x0451) return 'e';   /* ё */
    if (c == 0x0456) return 'i';   /* і */
    if (c == 0x0454) return 'e';   /* є */
    if (c == 0x0491) return 'g';   /* ґ */
    return c;
}

static int32_t plain_latin(int32_t c)
{
    c = plain_latin_1(c);
    return c == 'y' ? 'i' : c;   /* ы / и / y: one letter to a Polish reader */
}

static int decode_span(const char *s, int len, int32_t *cp, int max)
{
    int n = 0;
    for (int i = 0; i < len && n < max;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, len - i, &c);
        if (k <= 0)
            break;
        cp[n++] = c;
        i += (int)k;
    }
    return n;
}

/* 1 when grapheme a (query) and b (record) are the obvious counterparts. */
static int plain_pair(const char *a, int alen, const char *b, int blen)
{
    int32_t x[8], y[8];
    if (alen == blen && memcmp(a, b, (size_t)alen) == 0)
        return 1;
    int nx = decode_span(a, alen, x, 8), ny = decode_span(b, blen, y, 8);
    /* the adjective ending -ий / -ый / -ij / -iy against -i / -y */
    if (nx > 1 && (x[nx - 1] == 0x0439 || x[nx - 1] == 'j' || x[nx - 1] == 'y'))
        nx--;
    if (ny > 1 && (y[ny - 1] == 0x0439 || y[ny - 1] == 'j' || y[ny - 1] == 'y'))
        ny--;
    /* a digraph against a letter pair ("rz" / "рж") is a correspondence
     * worth saying, even when the letters happen to map one to one */
    if (nx != ny || nx > 1)
        return 0;
    for (int i = 0; i < nx; i++)
        if (plain_latin(x[i]) != plain_latin(y[i]))
            return 0;
    return 1;
}

/* A normalised (lower-case) name as a reader expects it: each part
 * capitalised ("ольшина-вильчинский" → "Ольшина-Вильчинский"). */
static const char *title(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    int start = 1;
    for (size_t i = 0; s[i] && o + 5 < cap;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, -1, &c);
        if (k <= 0)
            break;
        i += (size_t)k;
        if (start)
            c = utf8proc_toupper(c);
        start = c == '-' || c == ' ';
        o += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)out + o);
    }
    out[o] = '\0';
    return out;
}

typedef struct span_pair {
    int qo, ql, ro, rl; /* byte spans in the two normalised words; ql/rl 0 = nothing */
} span_pair;

/* Aligns the pivots and lists grapheme pairs that are not plain. */
static void explain_pair(const names_word *q, const names_reading *qp, const names_word *r,
                         const names_reading *rp, char *why, size_t cap, int exact_text)
{
    float d[DMAX][DMAX];
    span_pair ops[NAMES_PIVOT_MAX * 2];
    int nops = 0;
    int i = qp->len, j = rp->len;
    /* what no rule explains, and was forgiven: letters mistyped (or
     * misread), dropped, added, neighbours swapped */
    int mistyped = 0, dropped = 0, added = 0, swapped = 0;
    dp_fill(qp->ph, qp->len, rp->ph, rp->len, d);
    /* backtrace: collect ops in reverse */
    while (i > 0 || j > 0) {
        span_pair op = {0, 0, 0, 0};
        if (i > 0 && j > 0 &&
            fabsf(d[i][j] - (d[i - 1][j - 1] + sub_cost(qp->ph[i - 1], rp->ph[j - 1]))) < 1e-5f) {
            op.qo = qp->src_off[i - 1]; op.ql = qp->src_len[i - 1];
            op.ro = rp->src_off[j - 1]; op.rl = rp->src_len[j - 1];
            mistyped += sub_cost(qp->ph[i - 1], rp->ph[j - 1]) >= UNEXPLAINED;
            i--; j--;
        } else if (i > 1 && j > 1 && qp->ph[i - 1] == rp->ph[j - 2] &&
                   qp->ph[i - 2] == rp->ph[j - 1] &&
                   fabsf(d[i][j] - (d[i - 2][j - 2] + 0.5f)) < 1e-5f) {
            swapped++;
            op.qo = qp->src_off[i - 2];
            op.ql = qp->src_off[i - 1] + qp->src_len[i - 1] - op.qo;
            op.ro = rp->src_off[j - 2];
            op.rl = rp->src_off[j - 1] + rp->src_len[j - 1] - op.ro;
            i -= 2; j -= 2;
        } else if (i > 0 && fabsf(d[i][j] - (d[i - 1][j] + del_cost(qp->ph[i - 1]))) < 1e-5f) {
            op.qo = qp->src_off[i - 1]; op.ql = qp->src_len[i - 1];
            op.ro = j > 0 ? rp->src_off[j - 1] + rp->src_len[j - 1] : 0; op.rl = 0;
            added += del_cost(qp->ph[i - 1]) >= UNEXPLAINED_GAP;
            i--;
        } else {
            op.ro = rp->src_off[j - 1]; op.rl = rp->src_len[j - 1];
            op.qo = i > 0 ? qp->src_off[i - 1] + qp->src_len[i - 1] : 0; op.ql = 0;
            dropped += del_cost(rp->ph[j - 1]) >= UNEXPLAINED_GAP;
            j--;
        }
        ops[nops++] = op;
    }
    /* merge ops that share a grapheme on either side (rz → рж: two
     * phonemes on one side, one grapheme on the other), front to back */
    span_pair merged[NAMES_PIVOT_MAX * 2];
    int nm = 0;
    for (int k = nops - 1; k >= 0; k--) {
        span_pair o = ops[k];
        if (nm > 0) {
            span_pair *m = &merged[nm - 1];
            int share_q = o.ql && m->ql && o.qo == m->qo;
            int share_r = o.rl && m->rl && o.ro == m->ro;
            /* a letter with no counterpart joins the next one (р + ж for
             * rz), or the previous one at the end of the word */
            int pure_m = !m->ql || !m->rl;
            int pure_last = (!o.ql || !o.rl) && k == 0;
            if (share_q || share_r || pure_m || pure_last) {
                int qe = m->qo + m->ql, re = m->ro + m->rl;
                if (o.ql) {
                    if (!m->ql) m->qo = o.qo;
                    if (o.qo + o.ql > qe) qe = o.qo + o.ql;
                    m->ql = qe - m->qo;
                }
                if (o.rl) {
                    if (!m->rl) m->ro = o.ro;
                    if (o.ro + o.rl > re) re = o.ro + o.rl;
                    m->rl = re - m->ro;
                }
                continue;
            }
        }
        merged[nm++] = o;
    }
    char t1[NAMES_TEXT_MAX * 2], t2[NAMES_TEXT_MAX * 2];
    int w0 = snprintf(why, cap, "%s %s %s", title(r->text, t1, sizeof t1),
                      exact_text ? "=" : "\xe2\x89\x88", title(q->text, t2, sizeof t2));
    size_t w = w0 < 0 ? 0 : (size_t)w0 < cap ? (size_t)w0 : cap - 1;
    int listed = 0;
    for (int k = 0; k < nm && w < cap; k++) {
        span_pair *m = &merged[k];
        if (m->ql && m->rl && plain_pair(q->text + m->qo, m->ql, r->text + m->ro, m->rl))
            continue;
        if (listed == 6) {
            w += (size_t)snprintf(why + w, cap - w, ", ...");
            break;
        }
        const char *qs = m->ql ? q->text + m->qo : "\xe2\x88\x85"; /* ∅ */
        const char *rs = m->rl ? r->text + m->ro : "\xe2\x88\x85";
        int qn = m->ql ? m->ql : 3, rn = m->rl ? m->rl : 3;
        int k2 = snprintf(why + w, cap - w, "%s%.*s\xe2\x86\x92%.*s", listed ? ", " : ": ",
                          qn, qs, rn, rs);
        if (k2 < 0 || (size_t)k2 >= cap - w)
            break;
        w += (size_t)k2;
        listed++;
    }
    /* "one letter dropped", "two letters swapped": what the reading rules
     * do not account for, forgiven as a slip or a misreading */
    static const char *const count_word[] = {"", "one", "two", "three"};
    const struct {
        int n;
        const char *what;
    } forgiven[] = {{dropped, "dropped"}, {added, "added"}, {mistyped, "mistyped or misread"},
                    {swapped, "swapped"}};
    int said = 0;
    for (size_t f = 0; f < sizeof forgiven / sizeof *forgiven && w < cap; f++) {
        int n = forgiven[f].n * (forgiven[f].what[0] == 's' ? 2 : 1);
        if (!forgiven[f].n || n > 3)
            continue;
        int k2 = snprintf(why + w, cap - w, "%s%s letter%s %s", said ? ", " : "; forgiven: ",
                          count_word[n], n > 1 ? "s" : "", forgiven[f].what);
        if (k2 < 0 || (size_t)k2 >= cap - w)
            break;
        w += (size_t)k2;
        said++;
    }
}

static int is_ascii(const names_word *w)
{
    for (int i = 0; i < w->len; i++)
        if ((unsigned char)w->text[i] >= 0x80)
            return 0;
    return 1;
}

/* The Polish form stripped of its diacritics is how most people type it
 * (docs/names.md): "Ordonowna" for "Ordonówna" is the same name, although
 * a plain o reads o and ó reads u. */
static int stripped_equal(const names_word *a, const names_word *b)
{
    const names_word *ascii = is_ascii(a) ? a : is_ascii(b) ? b : NULL;
    const names_word *other = ascii == a ? b : a;
    if (!ascii || is_ascii(other) || !other->nread || other->read[0].ortho != NAMES_POLISH)
        return 0;
    char f[NAMES_TEXT_MAX * 2];
    int n = names_fold(other->text, other->len, f, sizeof f, NAMES_FOLD_LOOSE);
    return n == ascii->len && memcmp(f, ascii->text, (size_t)n) == 0;
}

double names_surname_similarity(const names_word *a, const names_word *b, char *why, size_t cap)
{
    double best = -1;
    for (int i = 0; i < a->nread; i++)
        for (int j = 0; j < b->nread; j++) {
            double s = similarity_of(&a->read[i], &b->read[j]);
            if (s > best)
                best = s;
        }
    if (best < 0)
        best = 0;
    if (best < 1.0 && stripped_equal(a, b))
        best = 1.0;
    if (why && cap) {
        why[0] = '\0';
        /* explain with the most plausible readings that (nearly) reach the
         * best: a Polish reading of "Przybylski" says rz→рж, an English
         * one would say r→р, z→ж */
        for (int i = 0; i < a->nread && !why[0]; i++)
            for (int j = 0; j < b->nread && !why[0]; j++)
                if (similarity_of(&a->read[i], &b->read[j]) >= best - 0.011 || best >= 1.0)
                    explain_pair(a, &a->read[i], b, &b->read[j], why, cap, best >= 0.9999);
    }
    return best;
}

/* ---- query against record ----------------------------------------------- */

static int classes_meet(const uint16_t *a, int na, const uint16_t *b, int nb)
{
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (a[i] == b[j])
                return 1;
    return 0;
}

static double word_similarity(const names_word *a, const names_word *b)
{
    return names_surname_similarity(a, b, NULL, 0);
}

/* Agreement of query word k, read as a given name, with the record's given
 * names: 1 = one name (same class, or the same unlisted name), 0 = two
 * different names. *which receives the record's given name used. */
static double given_agreement(const names_probe *q, int k, const names_person *r, int *which,
                              int *by_class)
{
    double best = 0;
    *which = 0;
    *by_class = 0;
    for (int g = 0; g < r->ngiven; g++) {
        double v;
        int cls = 0;
        if (q->ncls[k] && r->given_ncls[g]) {
            v = classes_meet(q->cls[k], q->ncls[k], r->given_cls[g], r->given_ncls[g]) ? 1.0 : 0.0;
            cls = 1;
        } else {
            double s = word_similarity(&q->words[k], &r->given[g]);
            v = s >= 0.85 ? s : s * 0.3;
        }
        /* the first given name is the one a user types; a match on the
         * second counts a little less */
        if (g > 0)
            v *= 0.95;
        if (v > best) {
            best = v;
            *which = g;
            *by_class = cls;
        }
    }
    return best;
}

/* The initial of a record's given name, as most plausibly read. */
static uint32_t word_initial(const names_word *w)
{
    return w->nread && w->read[0].len ? names_initial_bit(w->read[0].ph[0]) : 0;
}

static double initial_agreement(const names_probe *q, int k, const names_person *r, int *which)
{
    uint32_t qi = names_query_initial_bits(&q->words[k]);
    *which = 0;
    for (int g = 0; g < r->ngiven; g++) {
        uint32_t ri = word_initial(&r->given[g]);
        for (int c = 0; c < r->given_ncls[g]; c++)
            ri |= names_class_initials(r->given_cls[g][c]);
        if (qi & ri) {
            *which = g;
            return g == 0 ? 1.0 : 0.9;
        }
    }
    return 0.0;
}

static double father_agreement(const names_probe *q, const names_person *r)
{
    if (q->father_ncls && r->father_ncls)
        return classes_meet(q->father_cls, q->father_ncls, r->father_cls, r->father_ncls) ? 1.0 : 0.0;
    double s = word_similarity(&q->father, &r->father);
    return s >= 0.85 ? s : 0.3;
}

double names_year_agreement(int a, int b)
{
    int d = abs(a - b);
    if (d == 0) return 1.0;
    if (d == 1) return 0.8;
    if (d == 2) return 0.6;
    if (d <= 4) return 0.25;
    return 0.0;
}

/* Best surname similarity of query word k against the record's surname,
 * whole or by parts; *part (may be NULL) receives the record part used
 * (-1 = whole) and *qpart the query part (-1 = whole word). */
static double surname_agreement(const names_probe *q, int k, const names_person *r, int *part,
                                int *qpart)
{
    double best = 0;
    int bp = -1, bq = -1;
    if (r->surname_whole.nread) {
        best = word_similarity(&q->words[k], &r->surname_whole);
    }
    /* one part of a double surname: nearly as good (the other was lost) */
    if (r->nsurname > 1)
        for (int p = 0; p < r->nsurname; p++) {
            double s = word_similarity(&q->words[k], &r->surname[p]) * 0.97;
            if (s > best) { best = s; bp = p; bq = -1; }
        }
    if (q->nparts[k] > 1)
        for (int a = 0; a < q->nparts[k]; a++) {
            double s = word_similarity(&q->parts[k][a], &r->surname_whole) * 0.97;
            if (s > best) { best = s; bp = -1; bq = a; }
            if (r->nsurname > 1)
                for (int p = 0; p < r->nsurname; p++) {
                    s = word_similarity(&q->parts[k][a], &r->surname[p]) * 0.95;
                    if (s > best) { best = s; bp = p; bq = a; }
                }
        }
    if (part) *part = bp;
    if (qpart) *qpart = bq;
    return best;
}

double names_surname_weight(double s)
{
    /* below 0.5 two surnames are different names; above, the value rises
     * steeply, so that one real letter apart (0.9) weighs less than a
     * missing given name */
    if (s <= 0.5)
        return 0;
    double v = (s - 0.5) / 0.5;
    return v * v;
}

/* Weights of the components; only those the query has take part. */
#define W_SURNAME NAMES_W_SURNAME
#define W_GIVEN NAMES_W_GIVEN
#define W_INITIAL NAMES_W_INITIAL
#define W_FATHER NAMES_W_FATHER
#define W_YEAR NAMES_W_YEAR
#define W_RANK NAMES_W_RANK
#define W_CAMP NAMES_W_CAMP

/* The given-name agreement when the record gives no given name: a known
 * given name in the query is neither confirmed nor contradicted; a word
 * the given-name tables do not know is probably a surname. */
#define GIVEN_ABSENT NAMES_NEUTRAL
#define GIVEN_ABSENT_UNKNOWN NAMES_GIVEN_ABSENT_UNKNOWN
/* The surname similarity of a known given name read as the surname beside
 * a word no given-name table knows (score_with_surname). */
#define GIVEN_AS_SURNAME 0.95

static void add_why(names_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_why(names_result *res, const char *fmt, ...)
{
    if (res->nwhy >= NAMES_WHY_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->why[res->nwhy], NAMES_WHY_LEN, fmt, ap);
    va_end(ap);
    res->nwhy++;
}

/* Scores the record with query word s as the surname; explains when
 * res is non-NULL. */
static double score_with_surname(const names_probe *q, int s, const names_person *r,
                                 names_result *res)
{
    int part, qpart;
    double S = surname_agreement(q, s, r, &part, &qpart);
    /* a word the given-name tables know, read as the surname while another
     * word they do not know stands beside it ("Лятс Роман" read with
     * Роман as the surname), is the less likely reading */
    if (q->ncls[s])
        for (int k = 0; k < q->nwords; k++)
            if (k != s && !q->initial[k] && !q->ncls[k] && k != q->father_word &&
                !q->surname_only[k]) {
                S *= GIVEN_AS_SURNAME;
                break;
            }
    double Sv = names_surname_weight(S);
    double sum = W_SURNAME * Sv, wsum = W_SURNAME;
    if (res) {
        const names_word *qw = qpart >= 0 ? &q->parts[s][qpart] : &q->words[s];
        const names_word *rw = part >= 0 ? &r->surname[part] : &r->surname_whole;
        names_surname_similarity(qw, rw, res->why[res->nwhy], NAMES_WHY_LEN);
        if (res->why[res->nwhy][0]) {
            if (part >= 0 || qpart >= 0) {
                size_t l = strlen(res->why[res->nwhy]);
                snprintf(res->why[res->nwhy] + l, NAMES_WHY_LEN - l, " (part of a double surname)");
            }
            res->nwhy++;
        }
    }
    /* given names: the best-agreeing query word; initials each */
    double G = -1;
    int gword = -1, gwhich = 0, gcls = 0;
    for (int k = 0; k < q->nwords; k++) {
        if (k == s || q->initial[k] || k == q->father_word || q->surname_only[k])
            continue;
        if (r->ngiven == 0) {
            /* the record names no one: neutral for a given name the tables
             * know, less for a word they do not ("Jan Goskawski" against
             * Жен-Де-Жан: Goskawski is more likely the surname this record
             * lacks than a given name it does not give) */
            double v = q->ncls[k] ? GIVEN_ABSENT : GIVEN_ABSENT_UNKNOWN;
            if (v > G) {
                G = v;
                gword = k;
            }
            continue;
        }
        int which, by_class;
        double v = given_agreement(q, k, r, &which, &by_class);
        if (v > G) {
            G = v;
            gword = k;
            gwhich = which;
            gcls = by_class;
        }
    }
    if (G >= 0) {
        sum += W_GIVEN * G;
        wsum += W_GIVEN;
        if (res) {
            char t1[NAMES_TEXT_MAX * 2], t2[NAMES_TEXT_MAX * 2];
            if (r->ngiven == 0)
                add_why(res, "given name %s: not in the record",
                        title(q->words[gword].text, t2, sizeof t2));
            else
                add_why(res, "%s %s %s%s", title(r->given[gwhich].text, t1, sizeof t1),
                        G >= 0.999 ? "=" : G >= 0.8 ? "\xe2\x89\x88" : "\xe2\x89\xa0",
                        title(q->words[gword].text, t2, sizeof t2),
                        G >= 0.8 && gcls && strcmp(r->given[gwhich].text, q->words[gword].text)
                            ? " (one name)" : "");
        }
    }
    for (int k = 0; k < q->nwords; k++) {
        if (k == s || !q->initial[k] || k == q->father_word)
            continue;
        int which = 0;
        double v = r->ngiven ? initial_agreement(q, k, r, &which) : 0.5;
        double wi = v > 0 ? W_INITIAL : NAMES_W_INITIAL_CONFLICT;
        sum += wi * v;
        wsum += wi;
        if (res) {
            char t1[NAMES_TEXT_MAX * 2], t2[NAMES_TEXT_MAX * 2];
            if (!r->ngiven)
                add_why(res, "initial %s.: no given name in the record",
                        title(q->words[k].text, t2, sizeof t2));
            else
                add_why(res, "%s. %s %s", title(q->words[k].text, t2, sizeof t2),
                        v > 0 ? "=" : "\xe2\x89\xa0", title(r->given[which].text, t1, sizeof t1));
        }
    }
    if (q->has_father && s != q->father_word) {
        double F = r->has_father ? father_agreement(q, r) : 0.5;
        sum += W_FATHER * F;
        wsum += W_FATHER;
        if (res) {
            char t1[NAMES_TEXT_MAX * 2], t2[NAMES_TEXT_MAX * 2];
            if (r->has_father)
                add_why(res, "father %s %s %s", title(q->father.text, t2, sizeof t2),
                        F >= 0.8 ? "=" : "\xe2\x89\xa0", title(r->father.text, t1, sizeof t1));
            else
                add_why(res, "father %s: not in the record", title(q->father.text, t2, sizeof t2));
        }
    }
    if (q->birth_year) {
        double Y = r->birth_year ? names_year_agreement(q->birth_year, r->birth_year) : 0.5;
        sum += W_YEAR * Y;
        wsum += W_YEAR;
        if (res) {
            if (!r->birth_year)
                add_why(res, "born %d: no year in the record", q->birth_year);
            else if (Y >= 1)
                add_why(res, "born %d = %d", q->birth_year, r->birth_year);
            else
                add_why(res, "born %d %s %d (%d year%s apart)", q->birth_year,
                        Y > 0.5 ? "\xe2\x89\x88" : "\xe2\x89\xa0", r->birth_year,
                        abs(q->birth_year - r->birth_year),
                        abs(q->birth_year - r->birth_year) == 1 ? "" : "s");
        }
    }
    if (q->rank && r->rank) {
        /* "gen." and "generał brygady" agree: one is the other, less exact */
        const char *a = names_rank_polish(q->rank), *b = names_rank_polish(r->rank);
        size_t la = strlen(a), lb = strlen(b);
        int compatible = q->rank == r->rank ||
                         (la && lb && strncmp(a, b, la < lb ? la : lb) == 0);
        double R = compatible ? 1.0 : 0.3;
        sum += W_RANK * R;
        wsum += W_RANK;
        if (res)
            add_why(res, "rank %s %s %s", names_rank_label(q->rank),
                    q->rank == r->rank ? "=" : R >= 1 ? "\xe2\x89\x88" : "\xe2\x89\xa0",
                    names_rank_label(r->rank));
    }
    if (q->camp[0] && r->camp) {
        double C = strcmp(q->camp, r->camp) == 0 ? 1.0 : 0.3;
        sum += W_CAMP * C;
        wsum += W_CAMP;
        if (res)
            add_why(res, "camp %s %s %s", q->camp, C >= 1 ? "=" : "\xe2\x89\xa0", r->camp);
    }
    return sum / wsum;
}

double names_compare(const names_probe *q, const names_person *rec, names_result *res)
{
    double best = 0;
    int bs = -1;
    ensure_costs();
    for (int s = 0; s < q->nwords; s++) {
        if (q->initial[s])
            continue;
        double v = score_with_surname(q, s, rec, NULL);
        if (v > best + 1e-12) {
            best = v;
            bs = s;
        }
    }
    if (res) {
        res->score = best;
        res->surname_word = bs;
        res->nwhy = 0;
        if (bs >= 0)
            score_with_surname(q, bs, rec, res);
    }
    return best;
}

double names_compare_text(const char *query, const names_person *rec, names_result *res)
{
    names_probe p;
    if (names_probe_text(query, &p) <= 0) {
        if (res) {
            res->score = 0;
            res->nwhy = 0;
            res->surname_word = -1;
        }
        return 0;
    }
    return names_compare(&p, rec, res);
}
