/*
 * given.c — given-name equivalence classes, loaded from the embedded
 * data/names/given_names.tsv: every row is one class; every form in every
 * column (Polish, genitive, Russian transcribed and Russified, Ukrainian,
 * Latin/German/English, Russian patronymic, optional diminutives) maps to it,
 * by its text, its ASCII-folded text and each of its pivot readings, so a
 * spelling the table does not list verbatim still finds its class.
 *
 * Guarantees: loaded once (pthread_once), read-only afterwards, so lookups
 * are thread-safe; lookups do not allocate. Columns are found by their
 * header names, so the table's owners may add columns.
 */
#include "names/names.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "names/patronymic.h"
#include "names/textfold.h"
#include "util/pool.h"
#include "util/tsv.h"

#define CLASSES_MAX 1024
#define LABEL_MAX 40

typedef struct entry {
    uint64_t h;
    uint32_t key;   /* offset of the key in key_text */
    uint16_t cls;
    uint8_t kind;
} entry;

static entry *entries;
static size_t nentries, centries;
static char labels[CLASSES_MAX][LABEL_MAX];
static uint32_t initials[CLASSES_MAX];
static int nclasses;
static pthread_once_t given_once = PTHREAD_ONCE_INIT;

/* Text keys and pivot keys live in one table; a tag byte keeps them apart. */
enum { TAG_TEXT = 1, TAG_FOLD = 2, TAG_PIVOT = 3, TAG_SKELETON = 4 };

/* Skeletons this short are too common to identify a given name. */
#define SKELETON_MIN 5

static uint64_t tagged_hash(int tag, const char *s, size_t len)
{
    return names_hash(s, len) ^ ((uint64_t)tag * 0x9E3779B97F4A7C15ULL);
}

/* The keys themselves ("tag byte, text, NUL"), so that two keys sharing a
 * 64-bit hash are told apart: an entry holds its key's offset here. */
static kt_pool key_text;

static int key_is(const entry *e, int tag, const char *s, size_t len)
{
    const char *k = key_text.text + e->key;
    return k[0] == (char)tag && strncmp(k + 1, s, len) == 0 && k[1 + len] == '\0';
}

static void add_entry(int tag, const char *s, size_t len, int cls, int kind)
{
    uint64_t h = tagged_hash(tag, s, len);
    for (size_t i = nentries; i > 0 && i + 16 > nentries; i--)
        if (entries[i - 1].h == h && entries[i - 1].cls == cls && key_is(&entries[i - 1], tag, s, len)) {
            entries[i - 1].kind |= (uint8_t)kind;
            return;
        }
    if (nentries == centries) {
        size_t nc = centries ? centries * 2 : 4096;
        entry *ne = realloc(entries, nc * sizeof *ne);
        if (!ne)
            return;
        entries = ne;
        centries = nc;
    }
    uint32_t key = kt_pool_reserve(&key_text, len + 2);
    if (key == KT_POOL_NONE)
        return;
    key_text.text[key] = (char)tag;
    memcpy(key_text.text + key + 1, s, len);
    key_text.text[key + 1 + len] = '\0';
    entries[nentries].key = key;
    entries[nentries].h = h;
    entries[nentries].cls = (uint16_t)cls;
    entries[nentries].kind = (uint8_t)kind;
    nentries++;
}

uint32_t names_initial_bit(char ph)
{
    if (ph >= 'a' && ph <= 'z') return 1u << (ph - 'a');
    if (ph == 'S') return 1u << 26;
    if (ph == 'Z') return 1u << 27;
    if (ph == 'C') return 1u << 28;
    return 0;
}

uint32_t names_query_initial_bits(const names_word *w)
{
    uint32_t m = 0;
    for (int r = 0; r < w->nread; r++)
        if (w->read[r].len)
            m |= names_initial_bit(w->read[r].ph[0]);
    if (w->len == 1) {
        switch (w->text[0] | 0x20) {   /* the word as normalised: one Latin letter */
        case 'c':
            m |= names_initial_bit('C') | names_initial_bit('x');   /* Cz, Ch */
            break;
        case 's':
            m |= names_initial_bit('S');                            /* Sz */
            break;
        case 'r':
            m |= names_initial_bit('Z');                            /* Rz */
            break;
        }
    }
    return m;
}

static void add_form(const char *form, size_t len, int cls, int kind)
{
    names_word w;
    char fold[NAMES_TEXT_MAX];
    if (names_word_read(form, len, &w) == 0)
        return;
    add_entry(TAG_TEXT, w.text, w.len, cls, kind);
    int fl = names_fold(w.text, w.len, fold, sizeof fold, NAMES_FOLD_LATIN);
    if (fl > 0)
        add_entry(TAG_FOLD, fold, (size_t)fl, cls, kind);
    for (int r = 0; r < w.nread; r++) {
        add_entry(TAG_PIVOT, w.read[r].ph, w.read[r].len, cls, kind);
        char sk[NAMES_SKELETON_MAX + 1];
        int sl = names_skeleton(w.read[r].ph, w.read[r].len, sk, sizeof sk);
        if (sl >= SKELETON_MIN)
            add_entry(TAG_SKELETON, sk, (size_t)sl, cls, kind);
        /* a name's initial as its forms are read most plausibly: Vaclav
         * read as German (faclaf) does not make F. an initial of Wacław */
        if (kind == NAMES_FORM_GIVEN && r == 0)
            initials[cls] |= names_initial_bit(w.read[r].ph[0]);
    }
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return (int)x->cls - (int)y->cls;
}

static int column_kind(const char *name, size_t len)
{
#define IS(s) (len == sizeof(s) - 1 && memcmp(name, s, len) == 0)
    if (IS("genitive")) return NAMES_FORM_GENITIVE;
    if (IS("patronymic_ru") || IS("patronymic")) return NAMES_FORM_PATRONYMIC;
    if (IS("polish") || IS("russian") || IS("ukrainian") || IS("latin") || IS("belarusian") ||
        IS("diminutives"))
        return NAMES_FORM_GIVEN;
#undef IS
    return 0;
}

/* One class per row; the header names the columns (column_kind). */
static void load_given(void)
{
    kt_tsv c;
    kt_tsv_field f[16];
    int n, kinds[16] = {0};
    int ncols = 0;
    kt_tsv_open_embedded(&c, "data/names/given_names.tsv", KT_TSV_COMMENTS);
    if (kt_tsv_next(&c, f, 16, &n))
        for (ncols = 0; ncols < n && ncols < 16; ncols++)
            kinds[ncols] = column_kind(f[ncols].s, f[ncols].len);
    while (nclasses < CLASSES_MAX && kt_tsv_next(&c, f, 16, &n)) {
        int cls = nclasses;
        if (f[0].len == 0) {
            kt_tsv_refuse(&c, "a class without its Polish name in the first column");
            continue;
        }
        for (int col = 0; col < n && col < ncols; col++) {
            if (!kinds[col])
                continue;
            const char *cell = f[col].s;
            size_t clen = f[col].len;
            if (col == 0) {
                size_t l = clen < LABEL_MAX - 1 ? clen : LABEL_MAX - 1;
                const char *semi = memchr(cell, ';', clen);
                if (semi && (size_t)(semi - cell) < l)
                    l = (size_t)(semi - cell);
                memcpy(labels[cls], cell, l);
                labels[cls][l] = '\0';
            }
            const char *form = cell;
            for (const char *r = cell;; r++) {
                if (r == cell + clen || *r == ';') {
                    while (form < r && *form == ' ')
                        form++;
                    if (r > form)
                        add_form(form, (size_t)(r - form), cls, kinds[col]);
                    form = r + 1;
                }
                if (r == cell + clen)
                    break;
            }
        }
        nclasses++;
    }
    qsort(entries, nentries, sizeof *entries, cmp_entry);
}

static void ensure(void)
{
    pthread_once(&given_once, load_given);
}

int names_class_count(void)
{
    ensure();
    return nclasses;
}

const char *names_class_label(uint16_t cls)
{
    ensure();
    return cls < nclasses ? labels[cls] : "";
}

uint32_t names_class_initials(uint16_t cls)
{
    ensure();
    return cls < nclasses ? initials[cls] : 0;
}

/* Adds the classes stored under key (tag, s) with a kind in kinds;
 * returns the count. */
static int collect(int tag, const char *s, size_t len, int kinds, uint16_t out[NAMES_CLASSES_MAX],
                   int n)
{
    uint64_t h = tagged_hash(tag, s, len);
    size_t lo = 0, hi = nentries;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (entries[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < nentries && entries[i].h == h; i++) {
        if (!(entries[i].kind & kinds) || !key_is(&entries[i], tag, s, len))
            continue;
        int dup = 0;
        for (int k = 0; k < n; k++)
            if (out[k] == entries[i].cls)
                dup = 1;
        if (!dup && n < NAMES_CLASSES_MAX)
            out[n++] = entries[i].cls;
    }
    return n;
}

static int lookup_word(const names_word *w, int kinds, uint16_t out[NAMES_CLASSES_MAX])
{
    char fold[NAMES_TEXT_MAX];
    int n = collect(TAG_TEXT, w->text, w->len, kinds, out, 0);
    if (n)
        return n;
    int fl = names_fold(w->text, w->len, fold, sizeof fold, NAMES_FOLD_LATIN);
    if (fl > 0)
        n = collect(TAG_FOLD, fold, (size_t)fl, kinds, out, 0);
    if (n)
        return n;
    for (int r = 0; r < w->nread; r++)
        n = collect(TAG_PIVOT, w->read[r].ph, w->read[r].len, kinds, out, n);
    if (n)
        return n;
    /* last resort: the skeleton, which absorbs ł / в / ў (Станіслаў) and
     * vowel habits; only for long enough names */
    for (int r = 0; r < w->nread; r++) {
        char sk[NAMES_SKELETON_MAX + 1];
        int sl = names_skeleton(w->read[r].ph, w->read[r].len, sk, sizeof sk);
        if (sl >= SKELETON_MIN)
            n = collect(TAG_SKELETON, sk, (size_t)sl, kinds, out, n);
    }
    return n;
}

int names_given_classes(const char *word, size_t len, int kinds,
                        uint16_t out[NAMES_CLASSES_MAX])
{
    names_word w;
    ensure();
    if (len == 0)
        len = strlen(word);
    if (names_word_read(word, len, &w) == 0)
        return 0;
    return lookup_word(&w, kinds, out);
}

int names_given_class(const char *word)
{
    uint16_t c[NAMES_CLASSES_MAX];
    return names_given_classes(word, 0, NAMES_FORM_GIVEN, c) > 0 ? c[0] : -1;
}

/* The endings are the patronymic reader's (patronymic.h); the word is
 * normalised first so punctuation and case do not hide them. */
int names_is_patronymic(const char *word, size_t len)
{
    char norm[NAMES_TEXT_MAX];
    if (len == 0)
        len = strlen(word);
    int n = names_normalize(word, len, norm, sizeof norm);
    return n > 0 && names_patronymic_ending(norm);
}

int names_word_father_classes(const names_word *w, uint16_t out[NAMES_CLASSES_MAX])
{
    ensure();
    if (w->nread == 0)
        return 0;
    int n = lookup_word(w, NAMES_FORM_PATRONYMIC | NAMES_FORM_GENITIVE, out);
    if (n)
        return n;
    /* the patronymic and genitive readers' rules (romanised patronymics,
     * genitives the table does not list) */
    char father[NAMES_TEXT_MAX * 2];
    if (names_patronymic_father(w->text, father, sizeof father) ||
        names_genitive_father(w->text, father, sizeof father)) {
        n = names_given_classes(father, 0, NAMES_FORM_GIVEN, out);
        if (n)
            return n;
    }
    /* a father column may hold the plain nominative ("Jan") */
    return lookup_word(w, NAMES_FORM_GIVEN, out);
}

int names_father_classes(const char *word, size_t len, uint16_t out[NAMES_CLASSES_MAX])
{
    names_word w;
    if (len == 0)
        len = strlen(word);
    if (names_word_read(word, len, &w) == 0)
        return 0;
    return names_word_father_classes(&w, out);
}

int names_word_classes(const names_word *w, int kinds, uint16_t out[NAMES_CLASSES_MAX])
{
    ensure();
    return w->nread ? lookup_word(w, kinds, out) : 0;
}
