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
static int dict_reading(const char *pool, const dict_entry *d, size_t *off, char *buf)
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
                 sizeof(uint16_t) * 3 + sizeof(uint32_t) + sizeof(int16_t) + 1;
    size_t b = sizeof *ix + (ix->pool.cap ? ix->pool.cap : ix->pool.len) + ix->cap * per;
    b += ix->cintern * (sizeof(interned) + sizeof(char *)) + kt_hmap_bytes(&ix->intern_map);
    b += ix->cdict * (sizeof(dict_entry) + sizeof(uint32_t)) + ix->dict_text.cap +
         kt_hmap_bytes(&ix->dict_map);
    b += ix->cpair * 2 * sizeof(uint32_t);
    if (ix->post_off)
        b += (ix->ndict + 1) * sizeof(uint32_t) + ix->npair * sizeof(uint32_t);
    if (ix->key_off)
        b += (ix->nkeys + 1) * sizeof(uint32_t) + ix->nkeys * sizeof(uint32_t) +
             65537 * sizeof(uint32_t);
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
            if (names_word_read(text, len, &w))
                for (int r = 0; r < w.nread; r++)
                    m |= names_initial_bit(w.read[r].ph[0]);
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
    G(father_cls, 1); G(given_init, 1); G(year, 1); G(rank, 1);
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
static const alias_info *slot_alias(const kt_index *ix, uint32_t slot)
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
static int consonant_keys(const char *sk, size_t len, uint64_t *keys)
{
    char c[NAMES_SKELETON_MAX + 1] = "";
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (sk[i] != 'A' && sk[i] != 'E' && sk[i] != 'U' && (n == 0 || c[n - 1] != sk[i]))
            c[n++] = sk[i];
    const uint64_t salt = 0xC6A4A7935BD1E995ULL;
    int nk = 0;
    keys[nk++] = names_hash(c, n) ^ salt;
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
            int len = dict_reading(ix->pool.text, &ix->dict[d], &off, p);
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
            int nc = consonant_keys(sk, (size_t)skl, keys + nk);
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
    ix->key_dir = malloc(65537 * sizeof(uint32_t));
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
    /* directory: key_dir[t] = first key whose top 16 bits are >= t */
    size_t at = 0;
    for (uint32_t t = 0; t <= 65536; t++) {
        while (at < nk && (ix->key_fp[at] >> 16) < t)
            at++;
        ix->key_dir[t] = (uint32_t)at;
    }
    free(kp);
    return KT_OK;
}

/* The range of dictionary entries under a key; 0 when the key is absent. */
static int key_lookup(const kt_index *ix, uint64_t key, uint32_t *from, uint32_t *to)
{
    uint32_t fp = fingerprint(key);
    uint32_t lo = ix->key_dir[fp >> 16], hi = ix->key_dir[(fp >> 16) + 1];
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
    if (resize_records(ix, 1) < 0)
        return KT_ERR_NOMEM;
    kt_hmap_free(&ix->dict_map);   /* only needed while adding */
    kt_hmap_free(&ix->intern_map);
    kt_pool_free(&ix->dict_text);
    free(ix->dict_key);
    ix->dict_key = NULL;
    ix->finished = 1;
    return KT_OK;
}

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
    const alias_info *a = slot_alias(ix, slot);
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

/* Similarity of a dictionary entry to query word k: over the readings of
 * the word (and of its parts, at 0.97) and of the entry; values under
 * floor (>= SIM_FLOOR) are not computed exactly (the distance stops early). */
static double entry_similarity(const char *pool, const names_probe *q, int k, const dict_entry *d,
                               double floor)
{
    double best = 0;
    double part = d->is_part ? 0.97 : 1.0;
    size_t off = 0;
    for (int r = 0; r < d->nread; r++) {
        char p[NAMES_PIVOT_MAX + 1];
        int len = dict_reading(pool, d, &off, p);
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
    double sum = 0.55 * stretch(sim), w = 0.55;
    uint16_t g0 = ix->given_cls[2 * slot], g1 = ix->given_cls[2 * slot + 1];
    double G = -1;
    for (int j = 0; j < q->nwords; j++) {
        if (j == k || j == q->father_word || q->surname_only[j])
            continue;
        if (q->initial[j]) {
            double v = 0.5;
            if (g0 != CLS_NONE) {
                uint32_t qi = 0;
                for (int r = 0; r < q->words[j].nread; r++)
                    qi |= names_initial_bit(q->words[j].read[r].ph[0]);
                v = (qi & ix->given_init[slot]) ? 1.0 : 0.0;
            }
            sum += 0.10 * v;
            w += 0.10;
            continue;
        }
        double v;
        if (g0 == CLS_NONE)
            v = q->ncls[j] ? 0.5 : 0.2;   /* as names_compare: GIVEN_ABSENT(_UNKNOWN) */
        else if (g0 == CLS_UNKNOWN || q->ncls[j] == 0)
            v = 0.5;
        else
            v = meets(g0, g1, q->cls[j], q->ncls[j]) ? 1.0 : 0.0;
        if (v > G)
            G = v;
    }
    if (G >= 0) {
        sum += 0.25 * G;
        w += 0.25;
    }
    if (q->has_father && k != q->father_word) {
        uint16_t f = ix->father_cls[slot];
        double v = 0.5;
        if (f != CLS_NONE && f != CLS_UNKNOWN && q->father_ncls)
            v = meets(f, CLS_NONE, q->father_cls, q->father_ncls) ? 1.0 : 0.0;
        sum += 0.10 * v;
        w += 0.10;
    }
    if (q->birth_year) {
        int y = ix->year[slot];
        double v = 0.5;
        if (y) {
            int d = abs(y - q->birth_year);
            v = d == 0 ? 1.0 : d == 1 ? 0.8 : d == 2 ? 0.6 : d <= 4 ? 0.25 : 0.0;
        }
        sum += 0.15 * v;
        w += 0.15;
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

static int cmp_score(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->fast != y->fast)
        return x->fast > y->fast ? -1 : 1;
    return x->slot < y->slot ? -1 : x->slot > y->slot;
}

enum { KEYS_ALL, KEYS_SKELETON, KEYS_CONSONANT, KEYS_SLIP };

/* The keys of a skeleton with two classes deleted: on the index side every
 * name has its one-deletion keys, so these meet a name one slip of the
 * keyboard (or of a typist) beyond what the one-deletion keys forgive. */
static int slip_keys(const char *sk, int len, uint64_t *keys, int n, int cap)
{
    if (len < 5)
        return n;
    char tmp[NAMES_SKELETON_MAX];
    for (int a = 0; a < len; a++)
        for (int b = a + 1; b < len; b++) {
            int t = 0;
            for (int i = 0; i < len; i++) {
                if (i == a || i == b || (t > 0 && tmp[t - 1] == sk[i]))
                    continue;
                tmp[t++] = sk[i];
            }
            uint64_t h = names_hash(tmp, (size_t)t);
            int dup = 0;
            for (int j = 0; j < n && !dup; j++)
                dup = keys[j] == h;
            if (!dup && n < cap)
                keys[n++] = h;
        }
    return n;
}

/* Room for the keys of one probe word, in the widest mode. */
#define SLIP_KEYS_MAX (3 * NAMES_READINGS_MAX * NAMES_SKELETON_MAX * NAMES_SKELETON_MAX / 2)

/* The keys to look up for probe word w, of every reading of the word and
 * of its parts: KEYS_ALL the skeleton and deletion keys, KEYS_SKELETON the
 * skeleton keys alone, KEYS_CONSONANT the consonant skeleton, KEYS_SLIP the
 * two-deletion keys (slip_keys) and the consonant skeleton's one-deletion
 * keys. Returns the count, duplicates removed. */
static int probe_keys(const names_probe *q, int w, int mode, uint64_t *keys)
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
                n = slip_keys(sk, skl, keys, n, SLIP_KEYS_MAX);
                nk = consonant_keys(sk, (size_t)skl, kk);   /* and the consonants' */
            } else if (mode != KEYS_CONSONANT) {
                nk = names_keys(sk, (size_t)skl, kk);
                if (mode == KEYS_SKELETON)
                    nk = 1;
            } else {
                consonant_keys(sk, (size_t)skl, kk);
                nk = 1;   /* the consonant skeleton itself */
            }
            for (int i = 0; i < nk; i++) {
                int dup = 0;
                for (int j = 0; j < n && !dup; j++)
                    dup = keys[j] == kk[i];
                if (!dup)
                    keys[n++] = kk[i];
            }
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
static int wide_net(const names_probe *q, int w, const size_t *good, int step)
{
    if (good[w] >= (step == 2 ? WIDE_NET_GOOD : 1))
        return 0;
    if (q->ncls[w])
        for (int j = 0; j < q->nwords; j++)
            if (j != w && !q->initial[j] && !q->ncls[j] && j != q->father_word)
                return 0;
    return 1;
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
            rest += 0.10;
        else
            given = 1;
    }
    if (given)
        rest += 0.25;
    if (q->has_father && k != q->father_word)
        rest += 0.10;
    if (q->birth_year)
        rest += 0.15;
    return (0.55 * stretch(sim) + rest) / (0.55 + rest);
}

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
    char camp_norm[256] = "", fate_norm[256] = "";
    const char *camp_key = NULL, *fate_key = NULL;
    int born = 0, tol = 2;
    if (filter) {
        born = filter->born;
        tol = filter->born_tolerance > 0 ? filter->born_tolerance : 2;
        if (filter->camp && *filter->camp) {
            names_normalize(filter->camp, strlen(filter->camp), camp_norm, sizeof camp_norm);
            camp_key = names_camp_key(filter->camp, strlen(filter->camp), NULL);
        }
        if (filter->fate && *filter->fate) {
            names_normalize(filter->fate, strlen(filter->fate), fate_norm, sizeof fate_norm);
            fate_key = names_camp_key(filter->fate, strlen(filter->fate), NULL);
        }
    }
    if (born && !q->birth_year)
        q->birth_year = born;

    qfilter f = {born, tol, camp_norm, camp_key, fate_norm, fate_key,
                 filter ? names_fate_kind(filter->fate) : NULL};
    scratch s;
    memset(&s, 0, sizeof s);
    s.mh = (size_t)k + 12;
    int rc = 0;
    /* 1. dictionary entries reached by the keys of every word read as a
     *    surname (all its readings, and the parts of a double name), each
     *    scored once per word; when they hold little, the consonant keys
     *    cast a wider net. The skeleton keys go first: the records of the
     *    entries they find fill a provisional heap, whose lowest score
     *    gives each word a similarity below which an entry cannot reach
     *    stage 2 (heap_floor), so the many near-misses of the deletion and
     *    consonant keys are cut short by the distance's early exit. While
     *    fewer than WIDE_NET_GOOD good entries (>= GOOD_SIM) are known for a
     *    word the floor stays below GOOD_SIM, so the decision to cast the
     *    wider net is unchanged. The decision is each word's own: a given
     *    name that many surnames resemble ("Kazimierz", Казимиров) does not
     *    keep the net from the misspelt surname beside it. */
    double wfloor[NAMES_QWORDS_MAX];
    for (int w = 0; w < NAMES_QWORDS_MAX; w++)
        wfloor[w] = SIM_FLOOR;
    size_t good[NAMES_QWORDS_MAX] = {0};
    for (int step = 0; step < 4 && rc == 0; step++) {
        /* step 0: skeleton keys; 1: all keys of pass 0; 2: consonant keys;
         * 3: two-deletion keys, for a slip on top of another difference */
        if (step > 0) {
            float m = heap_floor(ix, q, &f, s.d, s.nd, s.mh);
            for (int w = 0; w < q->nwords; w++)
                wfloor[w] = sim_floor_for(q, w, m);
        }
        int mode = step == 0 ? KEYS_SKELETON : step == 1 ? KEYS_ALL
                   : step == 2 ? KEYS_CONSONANT : KEYS_SLIP;
        for (int w = 0; w < q->nwords && rc == 0; w++) {
            if (q->initial[w] || (step >= 2 && !wide_net(q, w, good, step)))
                continue;
            uint64_t keys[SLIP_KEYS_MAX];
            int nkeys = probe_keys(q, w, mode, keys);
            for (int kk = 0; kk < nkeys && rc == 0; kk++) {
                uint32_t from, to;
                if (!key_lookup(ix, keys[kk], &from, &to))
                    continue;
                /* the entries of a key lie all over the dictionary: each is
                 * a cache miss unless asked for ahead */
                for (uint32_t e = from; e < to && e < from + PREFETCH; e++)
                    __builtin_prefetch(&ix->dict[ix->key_dict[e]]);
                for (uint32_t e = from; e < to; e++) {
                    if (e + PREFETCH < to)
                        __builtin_prefetch(&ix->dict[ix->key_dict[e + PREFETCH]]);
                    uint32_t d = ix->key_dict[e], dummy;
                    uint64_t seen_key = ((uint64_t)w << 32 | d) + 1;
                    if (kt_hmap_find(&s.seen, seen_key, NULL, NULL, &dummy))
                        continue;
                    if (kt_hmap_add(&s.seen, seen_key, 1) < 0) {
                        rc = -1;
                        break;
                    }
                    double floor = wfloor[w];
                    if (step < 2 && good[w] < WIDE_NET_GOOD && floor > GOOD_SIM - 0.005)
                        floor = GOOD_SIM - 0.005;   /* the wider net's decision pending */
                    double sim = entry_similarity(ix->pool.text, q, w, &ix->dict[d], floor);
                    if (sim < floor)
                        continue;
                    if (index_grow((void **)&s.d, &s.cd, s.nd + 1, sizeof *s.d) < 0) {
                        rc = -1;
                        break;
                    }
                    s.d[s.nd].sim = (float)sim;
                    s.d[s.nd].dict = d;
                    s.d[s.nd].word = (uint32_t)w;
                    if (step < 2 && s.d[s.nd].sim >= (float)GOOD_SIM)
                        good[w]++;
                    s.nd++;
                }
            }
        }
    }
    /* keep the entries that are the name, with their upper bounds */
    {
        for (size_t i = 0; i < s.nd; i++)
            s.d[i].ub = (float)upper_bound(q, (int)s.d[i].word, s.d[i].sim);
    }
    /* 2. their records, most promising surnames first, into a bounded heap
     *    of cheap scores; stop when no later surname can beat the heap */
    s.heap = malloc(s.mh * sizeof *s.heap);
    if (!s.heap)
        rc = -1;
    if (rc == 0 && s.nd) {
        qsort(s.d, s.nd, sizeof *s.d, cmp_dhit);
        s.nh = fill_heap(ix, q, &f, s.d, s.nd, s.heap, s.mh);
    }
    /* 3. the heap's records, once each, rescored by the full comparison */
    int out = 0;
    if (rc == 0 && s.nh) {
        qsort(s.heap, s.nh, sizeof *s.heap, cmp_slot);
        size_t m = 0;
        for (size_t i = 0; i < s.nh; i++)
            if (m == 0 || s.heap[m - 1].slot != s.heap[i].slot)
                s.heap[m++] = s.heap[i];
        names_person *p = malloc(sizeof *p);
        if (!p) {
            rc = -1;
        } else {
            for (size_t i = 0; i < m; i++) {
                slot_person(ix, s.heap[i].slot, p, q->has_father);
                s.heap[i].score = names_compare(q, p, NULL);
            }
            free(p);
            qsort(s.heap, m, sizeof *s.heap, cmp_score);
            for (size_t i = 0; i < m && out < k; i++) {
                /* a record reached by its own name and by an alias, or by
                 * two aliases, is one hit: the best, which comes first */
                if (ix->nalias) {
                    int dup = 0;
                    for (int j = 0; j < out && !dup; j++)
                        dup = hits[j].record_id == ix->record_id[s.heap[i].slot];
                    if (dup)
                        continue;
                }
                hits[out].record_id = ix->record_id[s.heap[i].slot];
                hits[out].slot = s.heap[i].slot;
                hits[out].score = s.heap[i].score;
                out++;
            }
        }
    }
    kt_hmap_free(&s.seen);
    free(s.d);
    free(s.heap);
    free(q);
    return rc < 0 ? -1 : out;
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

int index_explain(const kt_index *ix, const char *query, uint32_t slot, char why[][160], int max)
{
    if (!ix || slot >= ix->n || max <= 0)
        return 0;
    names_probe *q = malloc(sizeof *q);
    names_person *p = malloc(sizeof *p);
    names_result *res = malloc(sizeof *res);
    int n = 0;
    const alias_info *a = slot_alias(ix, slot);
    if (a) {
        alias_line(ix->pool.text, a, query, why[n]);
        n++;
    }
    if (q && p && res && names_probe_text(query, q) > 0) {
        slot_person(ix, slot, p, 1);
        names_compare(q, p, res);
        for (int i = 0; i < res->nwhy && n < max; i++) {
            snprintf(why[n], 160, "%s", res->why[i]);
            n++;
        }
    }
    free(q);
    free(p);
    free(res);
    return n;
}
