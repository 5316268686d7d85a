/*
 * index.c — the in-memory name index (index.h): records in compact arrays,
 * a dictionary of distinct surnames (each double surname also by its
 * parts) with their pivot readings, and a key table from skeleton keys
 * (names_keys: the skeleton and its one-deletion neighbours) to dictionary
 * entries. A query reads every word as a possible surname, finds dictionary
 * entries through the keys, scores each distinct surname once, walks the
 * records of the good ones with a cheap score (given-name classes, father,
 * year, filters), and rescores the best few with the full comparison
 * (names_compare), which also gives the explanation. Surnames that cannot
 * reach the walked ones (their bound is below a heap already filled) are
 * only scored far enough to know it: the results are exactly those of
 * scoring every one in full.
 *
 * Invariants: after index_finish nothing changes, so any number of threads
 * may query at once (each query has its own scratch memory). Strings live in
 * one pool (util/pool.h), found by offset; repeated strings (given names, fathers, camps,
 * fates, sources) are interned and their classes computed once; no
 * allocation per record on the build path beyond amortised array growth.
 * index_memory counts every byte allocated for the index.
 */
#include "index/index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "names/camp.h"
#include "names/fate.h"
#include "names/names.h"
#include "names/rank.h"
#include "util/hmap.h"
#include "util/pool.h"
#include "index/index_impl.h"

/* ---- growable arrays ------------------------------------------------------ */

/* Grows *arr (element size es) to hold at least need elements. */
int index_grow(void **arr, size_t *cap, size_t need, size_t es)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 1024;
    while (nc < need)
        nc *= 2;
    void *p = realloc(*arr, nc * es);
    if (!p)
        return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

/* ---- the index ------------------------------------------------------------ */

/* Copies n bytes of an entry's reading stream from offset off. */
static void dict_bytes(const char *pool, const dict_entry *d, size_t off, char *dst, size_t n)
{
    for (size_t i = 0; i < n; i++, off++)
        dst[i] = off < DICT_HEAD ? d->head[off] : pool[d->more + off - DICT_HEAD];
}

/* Reading r of an entry into buf (NAMES_PIVOT_MAX + 1); *off walks the
 * stream. Returns the length. */
int index_dict_reading(const char *pool, const dict_entry *d, size_t *off, char *buf)
{
    char len;
    dict_bytes(pool, d, *off, &len, 1);
    size_t l = (unsigned char)len;
    if (*off + 1 + l <= DICT_HEAD)
        memcpy(buf, d->head + *off + 1, l);
    else
        dict_bytes(pool, d, *off + 1, buf, l);
    *off += 1 + l;
    return (int)l;
}


kt_index *index_new(void)
{
    kt_index *ix = calloc(1, sizeof *ix);
    return ix;
}

void index_free(kt_index *ix)
{
    if (!ix)
        return;
    kt_hmap_free(&ix->intern_map);
    kt_hmap_free(&ix->dict_map);
    kt_hmap_free(&ix->alias_map);
    kt_pool_free(&ix->dict_text);
    free(ix->dict_key);
    free(ix->intern_camp);
    free(ix->pair_dict);
    free(ix->pair_slot);
    if (ix->map) {
        /* the arrays live in the snapshot's mapping */
        munmap(ix->map, ix->map_len);
        free(ix);
        return;
    }
    kt_pool_free(&ix->pool);
    free(ix->record_id);
    free(ix->person_id);
    free(ix->name);
    free(ix->record_key);
    free(ix->sur_len);
    free(ix->giv_len);
    free(ix->source);
    free(ix->camp);
    free(ix->fate);
    free(ix->father);
    free(ix->given_cls);
    free(ix->father_cls);
    free(ix->given_init);
    free(ix->year);
    free(ix->rank);
    free(ix->evidence);
    free(ix->intern);
    free(ix->dict);
    free(ix->post_off);
    free(ix->post);
    free(ix->key_fp);
    free(ix->key_off);
    free(ix->key_dict);
    free(ix->key_dir);
    free(ix->alias);
    free(ix);
}

int index_from_snapshot(const kt_index *ix)
{
    return ix && ix->origin == INDEX_ORIGIN_SNAPSHOT;
}

size_t index_size(const kt_index *ix)
{
    return ix ? ix->n - ix->nalias : 0;
}

size_t index_aliases(const kt_index *ix)
{
    return ix ? ix->nalias : 0;
}

size_t index_memory(const kt_index *ix)
{
    if (!ix)
        return 0;
    size_t per = sizeof(int64_t) * 2 + sizeof(uint32_t) * 2 + 2 + sizeof(uint32_t) * 4 +
                 sizeof(uint16_t) * 3 + sizeof(uint32_t) + sizeof(int16_t) + 2;
    size_t b = sizeof *ix + (ix->pool.cap ? ix->pool.cap : ix->pool.len) + ix->cap * per;
    b += ix->cintern * (sizeof(interned) + sizeof(char *)) + kt_hmap_bytes(&ix->intern_map);
    b += ix->cdict * (sizeof(dict_entry) + sizeof(uint32_t)) + ix->dict_text.cap +
         kt_hmap_bytes(&ix->dict_map);
    b += ix->cpair * 2 * sizeof(uint32_t);
    if (ix->post_off)
        b += (ix->ndict + 1) * sizeof(uint32_t) + ix->npair * sizeof(uint32_t);
    if (ix->key_off)
        b += (ix->nkeys + 1) * sizeof(uint32_t) + ix->nkeys * sizeof(uint32_t) +
             (((size_t)1 << index_key_dir_bits(ix->nkeys)) + 1) * sizeof(uint32_t);
    if (ix->key_dict)
        b += ix->key_off[ix->nkeys] * sizeof(uint32_t);
    b += ix->calias * sizeof(alias_info) + kt_hmap_bytes(&ix->alias_map);
    return b;
}

/* ---- building ------------------------------------------------------------ */


static int is_blank(const char *s)
{
    return !s || !*s;
}

/* What an interned entry is compared with: its kind and text. */
typedef struct intern_probe {
    const kt_index *ix;
    uint32_t kind;
    const char *text;
    size_t len;
} intern_probe;

static int intern_eq(const void *ctx, uint32_t id)
{
    const intern_probe *p = ctx;
    const interned *it = &p->ix->intern[id];
    const char *t = p->ix->pool.text + it->text;
    return it->kind == p->kind && strncmp(t, p->text, p->len) == 0 && t[p->len] == '\0';
}

/* Interns text of a kind, computing what that kind needs once. */
static uint32_t intern(kt_index *ix, int kind, const char *text, size_t len)
{
    uint64_t h = names_hash(text, len) ^ ((uint64_t)kind * 0x9E3779B97F4A7C15ULL);
    uint32_t id;
    intern_probe pr = {ix, (uint32_t)kind, text, len};
    if (kt_hmap_find(&ix->intern_map, h, intern_eq, &pr, &id))
        return id;
    size_t cap = ix->cintern;
    if (index_grow((void **)&ix->intern, &ix->cintern, ix->nintern + 1, sizeof *ix->intern) < 0)
        return UINT32_MAX;
    if (ix->cintern != cap) {
        const char **c = realloc(ix->intern_camp, ix->cintern * sizeof *c);
        if (!c)
            return UINT32_MAX;
        ix->intern_camp = c;
    }
    ix->intern_camp[ix->nintern] = NULL;
    interned *it = &ix->intern[ix->nintern];
    memset(it, 0, sizeof *it);
    it->kind = (uint32_t)kind;
    it->text = kt_pool_add(&ix->pool, text, len);
    if (it->text == KT_POOL_NONE)
        return UINT32_MAX;
    it->norm = it->text;
    it->cls[0] = it->cls[1] = CLS_NONE;
    if (kind == IN_GIVEN || kind == IN_FATHER) {
        uint16_t c[NAMES_CLASSES_MAX];
        int nc = kind == IN_GIVEN ? names_given_classes(text, len, NAMES_FORM_GIVEN, c)
                                  : names_father_classes(text, len, c);
        it->cls[0] = nc > 0 ? c[0] : CLS_UNKNOWN;
        it->cls[1] = nc > 1 ? c[1] : CLS_NONE;
        if (kind == IN_GIVEN) {
            /* initials of the name: of its class, or of its own readings */
            names_word w;
            uint32_t m = 0;
            for (int i = 0; i < nc && i < 2; i++)
                m |= names_class_initials(c[i]);
            if (names_word_read(text, len, &w) && w.read[0].len)
                m |= names_initial_bit(w.read[0].ph[0]);   /* its most plausible reading */
            it->initials = m;
        }
    } else if (kind == IN_CAMP || kind == IN_FATE) {
        char norm[512];
        int n = names_normalize(text, len, norm, sizeof norm);
        if (n >= 0 && (it->norm = kt_pool_add(&ix->pool, norm, (size_t)n)) == KT_POOL_NONE)
            return UINT32_MAX;
        ix->intern_camp[ix->nintern] = names_camp_of(ix->pool.text + it->text);
    } else if (kind == IN_RANK) {
        it->rank = names_rank_of(ix->pool.text + it->text);
    }
    if (kt_hmap_add(&ix->intern_map, h, (uint32_t)ix->nintern) < 0)
        return UINT32_MAX;
    return (uint32_t)ix->nintern++;
}

/* What a dictionary entry is compared with: its surname and part flag. */
typedef struct dict_probe {
    const kt_index *ix;
    const char *text;
    size_t len;
    int is_part;
} dict_probe;

static int dict_eq(const void *ctx, uint32_t id)
{
    const dict_probe *p = ctx;
    const char *t = p->ix->dict_text.text + p->ix->dict_key[id];
    return p->ix->dict[id].is_part == p->is_part && strncmp(t, p->text, p->len) == 0 &&
           t[p->len] == '\0';
}

/* The dictionary entry of a surname (or part), made on first sight. */
static uint32_t dict_id(kt_index *ix, const char *text, size_t len, int is_part)
{
    names_word w;
    uint64_t h = names_hash(text, len) ^ (is_part ? 0x5bd1e995ULL : 0);
    uint32_t id;
    dict_probe pr = {ix, text, len, is_part};
    if (kt_hmap_find(&ix->dict_map, h, dict_eq, &pr, &id))
        return id;
    names_word_read(text, len, &w);
    size_t cap = ix->cdict;
    if (index_grow((void **)&ix->dict, &ix->cdict, ix->ndict + 1, sizeof *ix->dict) < 0)
        return UINT32_MAX;
    if (ix->cdict != cap) {
        uint32_t *k = realloc(ix->dict_key, ix->cdict * sizeof *k);
        if (!k)
            return UINT32_MAX;
        ix->dict_key = k;
    }
    if ((ix->dict_key[ix->ndict] = kt_pool_add(&ix->dict_text, text, len)) == KT_POOL_NONE)
        return UINT32_MAX;
    char stream[NAMES_READINGS_MAX * (NAMES_PIVOT_MAX + 1)];
    size_t o = 0;
    for (int r = 0; r < w.nread; r++) {
        stream[o++] = (char)w.read[r].len;
        memcpy(stream + o, w.read[r].ph, w.read[r].len);
        o += w.read[r].len;
    }
    dict_entry *d = &ix->dict[ix->ndict];
    memset(d, 0, sizeof *d);
    memcpy(d->head, stream, o < DICT_HEAD ? o : DICT_HEAD);
    if (o > DICT_HEAD) {
        uint32_t more = kt_pool_reserve(&ix->pool, o - DICT_HEAD);
        if (more == KT_POOL_NONE)
            return UINT32_MAX;
        memcpy(ix->pool.text + more, stream + DICT_HEAD, o - DICT_HEAD);
        d->more = more;
    }
    d->nread = w.nread;
    d->is_part = (uint8_t)is_part;
    if (kt_hmap_add(&ix->dict_map, h, (uint32_t)ix->ndict) < 0)
        return UINT32_MAX;
    return (uint32_t)ix->ndict++;
}

static int add_pair(kt_index *ix, uint32_t dict, uint32_t slot)
{
    if (dict == UINT32_MAX)
        return -1;
    if (ix->npair == ix->cpair) {
        /* both arrays share one capacity */
        size_t nc = ix->cpair ? ix->cpair * 2 : 4096;
        uint32_t *pd = realloc(ix->pair_dict, nc * sizeof *pd);
        if (!pd)
            return -1;
        ix->pair_dict = pd;
        uint32_t *ps = realloc(ix->pair_slot, nc * sizeof *ps);
        if (!ps)
            return -1;
        ix->pair_slot = ps;
        ix->cpair = nc;
    }
    ix->pair_dict[ix->npair] = dict;
    ix->pair_slot[ix->npair] = slot;
    ix->npair++;
    return 0;
}

/* Grows the per-record arrays (doubling), or with exact = 1 shrinks them
 * to the records held. */
static int resize_records(kt_index *ix, int exact)
{
    if (!exact && ix->n < ix->cap)
        return 0;
    size_t nc = exact ? (ix->n ? ix->n : 1) : ix->cap ? ix->cap * 2 : 4096;
#define G(f, per) \
    do { \
        void *p = realloc(ix->f, nc * (per) * sizeof *ix->f); \
        if (!p) \
            return -1; \
        ix->f = p; \
    } while (0)
    G(record_id, 1); G(person_id, 1); G(name, 1); G(record_key, 1); G(sur_len, 1); G(giv_len, 1);
    G(source, 1); G(camp, 1); G(fate, 1); G(father, 1); G(given_cls, 2);
    G(father_cls, 1); G(given_init, 1); G(year, 1); G(rank, 1); G(evidence, 1);
#undef G
    ix->cap = nc;
    return 0;
}

/* Normalised surname text with spaces read as hyphens. */
static int surname_norm(const char *s, size_t len, char *out, size_t cap)
{
    int n = names_normalize(s, len, out, cap);
    for (int i = 0; i < n; i++)
        if (out[i] == ' ')
            out[i] = '-';
    return n;
}

/* The parts of a record's name: its fields, or its whole name split when
 * the source gives no surname field. */
typedef struct rec_names {
    const char *sur, *giv, *pat;
    size_t sl, gl, pl;
} rec_names;

static void record_names(const store_record *rec, rec_names *r)
{
    r->sur = rec->surname; r->giv = rec->given_names; r->pat = rec->patronymic;
    r->sl = r->sur ? strlen(r->sur) : 0;
    r->gl = r->giv ? strlen(r->giv) : 0;
    r->pl = r->pat ? strlen(r->pat) : 0;
    if (r->sl == 0 && !is_blank(rec->name)) {
        names_split sp;
        names_split_whole(rec->name, &sp);
        r->sur = sp.surname; r->sl = sp.surname_len;
        r->giv = sp.given; r->gl = sp.given_len;
        if (r->pl == 0) {
            r->pat = sp.patronymic;
            r->pl = sp.patronymic_len;
        }
    }
    if (r->sl > 255) r->sl = 255;
    if (r->gl > 255) r->gl = 255;
}

/* The display name "Surname Given Patronymic", in the pool; its offset
 * or KT_POOL_NONE. */
static uint32_t display_name(kt_index *ix, const rec_names *r)
{
    uint32_t off = kt_pool_reserve(&ix->pool, r->sl + r->gl + r->pl + 3);
    if (off == KT_POOL_NONE)
        return off;
    char *nm = ix->pool.text + off;
    size_t o = 0;
    if (r->sl) { memcpy(nm, r->sur, r->sl); o = r->sl; }
    if (r->gl) { if (o) nm[o++] = ' '; memcpy(nm + o, r->giv, r->gl); o += r->gl; }
    if (r->pl) { if (o) nm[o++] = ' '; memcpy(nm + o, r->pat, r->pl); o += r->pl; }
    nm[o] = '\0';
    return off;
}

static int add_slot(kt_index *ix, const store_record *rec)
{
    if (resize_records(ix, 0) < 0)
        return KT_ERR_NOMEM;
    size_t slot = ix->n;
    rec_names rn;
    record_names(rec, &rn);
    const char *sur = rn.sur, *giv = rn.giv, *pat = rn.pat;
    size_t sl = rn.sl, gl = rn.gl, pl = rn.pl;
    uint32_t nm = display_name(ix, &rn);
    if (nm == KT_POOL_NONE)
        return KT_ERR_NOMEM;
    ix->record_id[slot] = rec->id;
    ix->person_id[slot] = rec->person_id;
    ix->name[slot] = nm;
    ix->record_key[slot] = is_blank(rec->record_key) ? 0
                           : kt_pool_add(&ix->pool, rec->record_key, strlen(rec->record_key));
    if (ix->record_key[slot] == KT_POOL_NONE)
        return KT_ERR_NOMEM;
    ix->sur_len[slot] = (uint8_t)sl;
    ix->giv_len[slot] = (uint8_t)gl;
    ix->source[slot] = is_blank(rec->source_key) ? UINT32_MAX
                       : intern(ix, IN_SOURCE, rec->source_key, strlen(rec->source_key));
    ix->camp[slot] = is_blank(rec->camp) ? UINT32_MAX : intern(ix, IN_CAMP, rec->camp, strlen(rec->camp));
    ix->fate[slot] = is_blank(rec->fate) ? UINT32_MAX : intern(ix, IN_FATE, rec->fate, strlen(rec->fate));
    ix->father[slot] = is_blank(rec->father_name) ? UINT32_MAX
                       : intern(ix, IN_FATHER_TEXT, rec->father_name, strlen(rec->father_name));
    ix->year[slot] = (int16_t)(rec->birth_year > 0 && rec->birth_year < 3000 ? rec->birth_year : 0);
    ix->rank[slot] = 0;
    if (!is_blank(rec->rank)) {
        uint32_t r = intern(ix, IN_RANK, rec->rank, strlen(rec->rank));
        if (r != UINT32_MAX && ix->intern[r].rank > 0 && ix->intern[r].rank < 256)
            ix->rank[slot] = (uint8_t)ix->intern[r].rank;
    }
    /* first given name → classes and initials */
    ix->given_cls[2 * slot] = ix->given_cls[2 * slot + 1] = CLS_NONE;
    ix->given_init[slot] = 0;
    if (gl) {
        size_t fl = 0;
        while (fl < gl && giv[fl] != ' ')
            fl++;
        uint32_t g = intern(ix, IN_GIVEN, giv, fl);
        if (g != UINT32_MAX) {
            ix->given_cls[2 * slot] = ix->intern[g].cls[0];
            ix->given_cls[2 * slot + 1] = ix->intern[g].cls[1];
            ix->given_init[slot] = ix->intern[g].initials;
        }
    }
    ix->father_cls[slot] = CLS_NONE;
    const char *ft = pl ? pat : rec->father_name;
    size_t ftl = pl ? pl : (rec->father_name ? strlen(rec->father_name) : 0);
    if (ftl) {
        uint32_t f = intern(ix, IN_FATHER, ft, ftl);
        if (f != UINT32_MAX)
            ix->father_cls[slot] = ix->intern[f].cls[0];
    }
    /* surname: whole, and each part of a double surname */
    if (sl) {
        char norm[NAMES_TEXT_MAX * 2];
        int n = surname_norm(sur, sl, norm, sizeof norm);
        if (n > 0) {
            if (add_pair(ix, dict_id(ix, norm, (size_t)n, 0), (uint32_t)slot) < 0)
                return KT_ERR_NOMEM;
            if (memchr(norm, '-', (size_t)n)) {
                const char *q = norm;
                while (*q) {
                    const char *e = strchr(q, '-');
                    size_t l = e ? (size_t)(e - q) : strlen(q);
                    if (l && add_pair(ix, dict_id(ix, q, l, 1), (uint32_t)slot) < 0)
                        return KT_ERR_NOMEM;
                    if (!e)
                        break;
                    q = e + 1;
                }
            }
        }
    }
    ix->n++;
    return KT_OK;
}

int index_add(kt_index *ix, const store_record *rec)
{
    if (!ix || ix->finished || !rec)
        return KT_ERR;
    return add_slot(ix, rec);
}

int index_add_alias(kt_index *ix, const store_record *rec, const char *alias,
                    const char *kind)
{
    if (!ix || ix->finished || !rec || is_blank(alias) || is_blank(kind))
        return KT_ERR;
    /* The alias as written, surname last: "Jan Karski", "Ян Карский"; one
     * word is a surname alone. */
    size_t al = strlen(alias);
    while (al && alias[al - 1] == ' ')
        al--;
    while (al && *alias == ' ') {
        alias++;
        al--;
    }
    if (!al)
        return KT_ERR;
    size_t cut = al;
    while (cut && alias[cut - 1] != ' ')
        cut--;
    char sur[512], giv[512];
    snprintf(sur, sizeof sur, "%.*s", (int)(al - cut), alias + cut);
    size_t gl = cut;
    while (gl && alias[gl - 1] == ' ')
        gl--;
    snprintf(giv, sizeof giv, "%.*s", (int)gl, alias);

    rec_names rn;
    record_names(rec, &rn);
    alias_info a = {kt_pool_add(&ix->pool, alias, al), kt_pool_add(&ix->pool, kind, strlen(kind)),
                    display_name(ix, &rn), (uint32_t)ix->n};
    if (a.text == KT_POOL_NONE || a.kind == KT_POOL_NONE || a.record_name == KT_POOL_NONE ||
        index_grow((void **)&ix->alias, &ix->calias, ix->nalias + 1, sizeof *ix->alias) < 0)
        return KT_ERR_NOMEM;
    store_record r = *rec;
    r.surname = sur;
    r.given_names = giv;
    r.patronymic = NULL;   /* the alias is the whole name */
    r.name = NULL;
    uint32_t slot = (uint32_t)ix->n;
    int rc = add_slot(ix, &r);
    if (rc != KT_OK)
        return rc;
    if (kt_hmap_add(&ix->alias_map, (uint64_t)slot + 1, (uint32_t)ix->nalias) < 0)
        return KT_ERR_NOMEM;
    ix->alias[ix->nalias++] = a;
    return KT_OK;
}

/* The alias held by a slot, or NULL for a record's own name. */
const alias_info *index_slot_alias(const kt_index *ix, uint32_t slot)
{
    uint32_t id;
    if (!ix->nalias || !kt_hmap_find(&ix->alias_map, (uint64_t)slot + 1, NULL, NULL, &id))
        return NULL;
    return &ix->alias[id];
}

typedef struct key_pair {
    uint32_t fp;
    uint32_t dict;
} key_pair;

static int cmp_key_pair(const void *a, const void *b)
{
    const key_pair *x = a, *y = b;
    if (x->fp != y->fp)
        return x->fp < y->fp ? -1 : 1;
    return x->dict < y->dict ? -1 : x->dict > y->dict;
}

/* 32 bits of a key: a rare collision only adds a candidate that the
 * distance then rejects. */
static uint32_t fingerprint(uint64_t h)
{
    return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

/* The keys of the consonants alone (vowel classes dropped): the wide net
 * cast when the vowel-aware keys find too little. keys[0] is the consonant
 * skeleton itself; with at least 4 consonants its one-deletion neighbours
 * follow, so that a vowel misread and a consonant lost or added (a slip, a
 * typist's misreading) on top of the cross-script reading still meet.
 * Returns the count. */
#define CONSONANT_MIN_DELETE 4
size_t index_consonants(const char *sk, size_t len, char *c)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (sk[i] != 'A' && sk[i] != 'E' && sk[i] != 'U' && (n == 0 || c[n - 1] != sk[i]))
            c[n++] = sk[i];
    c[n] = '\0';
    return n;
}

int index_consonant_keys(const char *sk, size_t len, uint64_t *keys, size_t *nconsonants)
{
    char c[NAMES_SKELETON_MAX + 1];
    size_t n = index_consonants(sk, len, c);
    const uint64_t salt = INDEX_CONSONANT_SALT;
    int nk = 0;
    keys[nk++] = names_hash(c, n) ^ salt;
    if (nconsonants)
        *nconsonants = n;
    if (n < CONSONANT_MIN_DELETE)
        return nk;
    char tmp[NAMES_SKELETON_MAX + 1];
    for (size_t d = 0; d < n; d++) {
        size_t t = 0;
        for (size_t i = 0; i < n; i++)
            if (i != d && (t == 0 || tmp[t - 1] != c[i]))
                tmp[t++] = c[i];
        uint64_t h = names_hash(tmp, t) ^ salt;
        int dup = 0;
        for (int k = 0; k < nk && !dup; k++)
            dup = keys[k] == h;
        if (!dup)
            keys[nk++] = h;
    }
    return nk;
}

static int build_keys(kt_index *ix)
{
    size_t cap = ix->ndict * 12 + 16, np = 0;
    key_pair *kp = malloc(cap * sizeof *kp);
    if (!kp)
        return KT_ERR_NOMEM;
    for (size_t d = 0; d < ix->ndict; d++) {
        uint32_t all[NAMES_READINGS_MAX * (2 * NAMES_KEYS_MAX + 1)];
        int nall = 0;
        size_t off = 0;
        for (int r = 0; r < ix->dict[d].nread; r++) {
            char p[NAMES_PIVOT_MAX + 1];
            int len = index_dict_reading(ix->pool.text, &ix->dict[d], &off, p);
            char sk[NAMES_SKELETON_MAX + 1];
            int skl = names_skeleton(p, (size_t)len, sk, sizeof sk);
            uint64_t keys[2 * NAMES_KEYS_MAX + 1];
            int nk = names_keys(sk, (size_t)skl, keys);
            /* deletion keys for the most plausible reading only: the query
             * side makes them for all of its readings */
            if (r > 0)
                nk = 1;
            /* the consonant key of every reading, its deletion keys for
             * the first */
            int nc = index_consonant_keys(sk, (size_t)skl, keys + nk, NULL);
            nk += r > 0 ? 1 : nc;
            for (int k = 0; k < nk; k++) {
                uint32_t fp = fingerprint(keys[k]);
                int dup = 0;
                for (int j = 0; j < nall && !dup; j++)
                    dup = all[j] == fp;
                if (!dup)
                    all[nall++] = fp;
            }
        }
        if (np + (size_t)nall > cap) {
            cap = (np + (size_t)nall) * 2;
            key_pair *n2 = realloc(kp, cap * sizeof *kp);
            if (!n2) {
                free(kp);
                return KT_ERR_NOMEM;
            }
            kp = n2;
        }
        for (int j = 0; j < nall; j++) {
            kp[np].fp = all[j];
            kp[np].dict = (uint32_t)d;
            np++;
        }
    }
    qsort(kp, np, sizeof *kp, cmp_key_pair);
    size_t nk = 0;
    for (size_t i = 0; i < np; i++)
        if (i == 0 || kp[i].fp != kp[i - 1].fp)
            nk++;
    ix->nkeys = nk;
    ix->key_fp = malloc((nk ? nk : 1) * sizeof(uint32_t));
    ix->key_off = malloc((nk + 1) * sizeof(uint32_t));
    ix->key_dict = malloc((np ? np : 1) * sizeof(uint32_t));
    int bits = index_key_dir_bits(nk);
    uint32_t dirlen = (1u << bits) + 1;
    ix->key_dir = malloc(dirlen * sizeof(uint32_t));
    if (!ix->key_fp || !ix->key_off || !ix->key_dict || !ix->key_dir) {
        free(kp);
        return KT_ERR_NOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < np; i++) {
        if (i == 0 || kp[i].fp != kp[i - 1].fp) {
            ix->key_fp[k] = kp[i].fp;
            ix->key_off[k] = (uint32_t)i;
            k++;
        }
        ix->key_dict[i] = kp[i].dict;
    }
    ix->key_off[nk] = (uint32_t)np;
    /* directory: key_dir[t] = first key whose top bits are >= t */
    size_t at = 0;
    for (uint32_t t = 0; t < dirlen; t++) {
        while (at < nk && (ix->key_fp[at] >> (32 - bits)) < t)
            at++;
        ix->key_dir[t] = (uint32_t)at;
    }
    free(kp);
    return KT_OK;
}

int index_key_dir_bits(size_t nkeys)
{
    int bits = 8;
    while (bits < 16 && ((size_t)1 << bits) < nkeys)
        bits++;
    return bits;
}

/* The range of dictionary entries under a key; 0 when the key is absent. */
int index_key_lookup(const kt_index *ix, uint64_t key, uint32_t *from, uint32_t *to)
{
    uint32_t fp = fingerprint(key);
    uint32_t t = fp >> (32 - index_key_dir_bits(ix->nkeys));
    uint32_t lo = ix->key_dir[t], hi = ix->key_dir[t + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ix->key_fp[mid] < fp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= ix->nkeys || ix->key_fp[lo] != fp)
        return 0;
    *from = ix->key_off[lo];
    *to = ix->key_off[lo + 1];
    return 1;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* What each record brings beyond its name, for breaking ties: found by an
 * alias, the records of its person, a year, a father. */
static int set_evidence(kt_index *ix)
{
    size_t nlinked = 0;
    for (size_t i = 0; i < ix->n; i++)
        nlinked += ix->person_id[i] != 0;
    int64_t *persons = malloc((nlinked ? nlinked : 1) * sizeof *persons);
    if (!persons)
        return KT_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < ix->n; i++)
        if (ix->person_id[i] && !index_slot_alias(ix, (uint32_t)i))
            persons[k++] = ix->person_id[i];
    qsort(persons, k, sizeof *persons, cmp_i64);
    for (size_t i = 0; i < ix->n; i++) {
        unsigned e = 0;
        /* another name of the person (a nom de guerre, a maiden name) is
         * evidence; another spelling of the same name is only a reading */
        const alias_info *a = index_slot_alias(ix, (uint32_t)i);
        if (a && strcmp(ix->pool.text + a->kind, "other spelling") != 0)
            e |= EVIDENCE_ALIAS;
        if (ix->person_id[i]) {
            /* the person's records: the run of his id in the sorted list */
            int64_t p = ix->person_id[i];
            size_t lo = 0, hi = k;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (persons[mid] < p)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            size_t c = 0;
            while (lo + c < k && persons[lo + c] == p && c < EVIDENCE_RECORDS_MAX)
                c++;
            e |= (unsigned)c << EVIDENCE_RECORDS_SHIFT;
        }
        if (ix->year[i])
            e |= EVIDENCE_YEAR;
        if (ix->father[i] != UINT32_MAX || ix->father_cls[i] != CLS_NONE)
            e |= EVIDENCE_FATHER;
        ix->evidence[i] = (uint8_t)e;
    }
    free(persons);
    return KT_OK;
}

int index_finish(kt_index *ix)
{
    if (!ix || ix->finished)
        return KT_ERR;
    /* postings: counting sort of (dict, slot) pairs by dict */
    ix->post_off = calloc(ix->ndict + 1, sizeof(uint32_t));
    ix->post = malloc((ix->npair ? ix->npair : 1) * sizeof(uint32_t));
    if (!ix->post_off || !ix->post)
        return KT_ERR_NOMEM;
    for (size_t i = 0; i < ix->npair; i++)
        ix->post_off[ix->pair_dict[i] + 1]++;
    for (size_t d = 0; d < ix->ndict; d++)
        ix->post_off[d + 1] += ix->post_off[d];
    {
        uint32_t *fill = malloc((ix->ndict + 1) * sizeof(uint32_t));
        if (!fill)
            return KT_ERR_NOMEM;
        memcpy(fill, ix->post_off, (ix->ndict + 1) * sizeof(uint32_t));
        for (size_t i = 0; i < ix->npair; i++)
            ix->post[fill[ix->pair_dict[i]]++] = ix->pair_slot[i];
        free(fill);
    }
    free(ix->pair_dict);
    free(ix->pair_slot);
    ix->pair_dict = ix->pair_slot = NULL;
    ix->cpair = 0;
    int rc = build_keys(ix);
    if (rc != KT_OK)
        return rc;
    if (resize_records(ix, 1) < 0 || set_evidence(ix) != KT_OK)
        return KT_ERR_NOMEM;
    kt_hmap_free(&ix->dict_map);   /* only needed while adding */
    kt_hmap_free(&ix->intern_map);
    kt_pool_free(&ix->dict_text);
    free(ix->dict_key);
    ix->dict_key = NULL;
    ix->finished = 1;
    return KT_OK;
}

