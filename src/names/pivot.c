/*
 * pivot.c — reads a normalised word, in one orthography, into the pivot (the
 * common phonemic form described in names.h), by the grapheme → phoneme
 * tables of data/rules/<orthography>.tsv.
 *
 * Guarantees: the tables are parsed once (pthread_once) and read-only after,
 * so reading is thread-safe; reading never allocates; a rule file that is
 * missing or malformed leaves its orthography reading letters one to one
 * rather than failing (the tests check every table loads in full).
 */
#include "names/names.h"

#include <pthread.h>
#include <string.h>
#include <utf8proc.h>

#include "util/tsv.h"

#define RULE_G_MAX 8     /* code points in a grapheme */
#define RULE_P_MAX 8     /* phonemes a grapheme reads as */
#define RULE_ALT_MAX 4   /* context alternatives */
#define RULE_SET_MAX 8   /* letters in a [...] context set */
#define RULES_MAX 160    /* rules in one table */
#define BUCKETS 64

enum { CTX_ANY, CTX_EDGE, CTX_VOWEL, CTX_CONS, CTX_SET };

typedef struct ctx_side {
    unsigned char type;
    unsigned char nset;
    int32_t set[RULE_SET_MAX];
} ctx_side;

typedef struct rule {
    int32_t g[RULE_G_MAX];
    unsigned char glen;
    unsigned char plen;
    unsigned char nalt;       /* 0 = no context */
    char ph[RULE_P_MAX];
    ctx_side left[RULE_ALT_MAX], right[RULE_ALT_MAX];
} rule;

typedef struct table {
    int nrules;
    rule rules[RULES_MAX];
    /* Rule indices by first code point, most specific first. */
    unsigned char nbucket[BUCKETS];
    unsigned char bucket[BUCKETS][32];
} table;

static table tables[NAMES_ORTHO_COUNT];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static const char *const table_files[NAMES_ORTHO_COUNT] = {
    "data/rules/russian.tsv", "data/rules/ukrainian.tsv", "data/rules/belarusian.tsv",
    "data/rules/polish.tsv", "data/rules/iso9.tsv", "data/rules/english.tsv",
    "data/rules/german.tsv", "data/rules/french.tsv",
};

/* Vowel letters of the Latin and Cyrillic alphabets the tables read; the
 * V / C contexts are about letters as written, not phonemes. */
static int is_vowel_letter(int32_t c)
{
    switch (c) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y':
    case 0x0105: case 0x0119: case 0x00F3: case 0x00E9: case 0x00E8: case 0x00EB:
    case 0x00EA: case 0x00EF: case 0x00FC: case 0x00F6: case 0x00E4: case 0x00E2:
    case 0x00FB: case 0x00EC: case 0x011B:
    case 0x0430: case 0x0435: case 0x0451: case 0x0438: case 0x043E: case 0x0443:
    case 0x044B: case 0x044D: case 0x044E: case 0x044F: case 0x0456: case 0x0457:
    case 0x0454: case 0x0463:
        return 1;
    default:
        return 0;
    }
}

static int is_edge(int32_t c)
{
    return c == 0 || c == '-' || c == ' ';
}

/* Decodes UTF-8 into code points (and byte offsets); returns the count. */
static int decode(const char *s, size_t len, int32_t *cp, unsigned char *off, int max)
{
    int n = 0;
    for (size_t i = 0; i < len && n < max;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k;
        unsigned char b0 = (unsigned char)s[i];
        /* normalised text is valid UTF-8: the common one- and two-byte
         * letters are decoded inline */
        if (b0 < 0x80) {
            c = b0;
            k = 1;
        } else if ((b0 & 0xE0) == 0xC0 && i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            c = ((b0 & 0x1F) << 6) | ((unsigned char)s[i + 1] & 0x3F);
            k = 2;
        } else {
            k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
            if (k <= 0)
                break;
        }
        cp[n] = c;
        off[n] = (unsigned char)(i < 255 ? i : 255);
        n++;
        i += (size_t)k;
    }
    off[n] = (unsigned char)(len < 255 ? len : 255);
    return n;
}

static int parse_side(const char *s, size_t len, ctx_side *side)
{
    memset(side, 0, sizeof *side);
    if (len == 0) {
        side->type = CTX_ANY;
        return 0;
    }
    if (len == 1 && s[0] == '#') { side->type = CTX_EDGE; return 0; }
    if (len == 1 && s[0] == 'V') { side->type = CTX_VOWEL; return 0; }
    if (len == 1 && s[0] == 'C') { side->type = CTX_CONS; return 0; }
    if (s[0] == '[' && s[len - 1] == ']') {
        unsigned char off[RULE_SET_MAX + 1];
        side->type = CTX_SET;
        side->nset = (unsigned char)decode(s + 1, len - 2, side->set, off, RULE_SET_MAX);
        return 0;
    }
    return -1;
}

static int parse_context(const char *s, size_t len, rule *r)
{
    r->nalt = 0;
    size_t i = 0;
    while (i < len && r->nalt < RULE_ALT_MAX) {
        size_t j = i;
        while (j < len && s[j] != '|')
            j++;
        const char *u = memchr(s + i, '_', j - i);
        if (!u)
            return -1;
        size_t ulen = (size_t)(u - (s + i));
        if (parse_side(s + i, ulen, &r->left[r->nalt]) < 0 ||
            parse_side(u + 1, j - i - ulen - 1, &r->right[r->nalt]) < 0)
            return -1;
        r->nalt++;
        i = j + 1;
    }
    return 0;
}

/* Preference within a bucket: longer graphemes first, then rules with a
 * context, then file order (stable insertion). */
static int rule_before(const rule *a, const rule *b)
{
    if (a->glen != b->glen)
        return a->glen > b->glen;
    return a->nalt > 0 && b->nalt == 0;
}

static void load_table(table *t, const char *path)
{
    kt_tsv c;
    kt_tsv_field col[3];
    int nc;
    t->nrules = 0;
    memset(t->nbucket, 0, sizeof t->nbucket);
    kt_tsv_open_embedded(&c, path, KT_TSV_COMMENTS | KT_TSV_HEADER);
    /* grapheme TAB phoneme TAB context [TAB note] */
    while (kt_tsv_next(&c, col, 3, &nc)) {
        size_t clen[3] = {col[0].len, nc > 1 ? col[1].len : 0, nc > 2 ? col[2].len : 0};
        if (t->nrules >= RULES_MAX || clen[0] == 0) {
            kt_tsv_refuse(&c, t->nrules >= RULES_MAX ? "too many rules" : "empty grapheme");
            continue;
        }
        rule *r = &t->rules[t->nrules];
        memset(r, 0, sizeof *r);
        unsigned char off[RULE_G_MAX + 1];
        r->glen = (unsigned char)decode(col[0].s, clen[0], r->g, off, RULE_G_MAX);
        if (nc > 1) {
            if (clen[1] > RULE_P_MAX) {
                kt_tsv_refuse(&c, "phoneme too long");
                continue;
            }
            memcpy(r->ph, col[1].s, clen[1]);
            r->plen = (unsigned char)clen[1];
        }
        if (nc > 2 && clen[2] && parse_context(col[2].s, clen[2], r) < 0) {
            kt_tsv_refuse(&c, "context not understood");
            continue;
        }
        unsigned bk = (unsigned)r->g[0] % BUCKETS;
        if (t->nbucket[bk] >= sizeof t->bucket[bk]) {
            kt_tsv_refuse(&c, "too many rules for one first letter");
            continue;
        }
        /* insertion keeping preference order */
        int pos = t->nbucket[bk];
        while (pos > 0 && rule_before(r, &t->rules[t->bucket[bk][pos - 1]])) {
            t->bucket[bk][pos] = t->bucket[bk][pos - 1];
            pos--;
        }
        t->bucket[bk][pos] = (unsigned char)t->nrules;
        t->nbucket[bk]++;
        t->nrules++;
    }
}

static void load_all(void)
{
    for (int o = 0; o < NAMES_ORTHO_COUNT; o++)
        load_table(&tables[o], table_files[o]);
}

int names_rules_count(names_ortho o)
{
    pthread_once(&tables_once, load_all);
    return (unsigned)o < NAMES_ORTHO_COUNT ? tables[o].nrules : 0;
}

static int side_holds(const ctx_side *s, int32_t c)
{
    switch (s->type) {
    case CTX_ANY: return 1;
    case CTX_EDGE: return is_edge(c);
    case CTX_VOWEL: return !is_edge(c) && is_vowel_letter(c);
    case CTX_CONS: return !is_edge(c) && c != '\'' && !is_vowel_letter(c);
    case CTX_SET:
        for (int i = 0; i < s->nset; i++)
            if (s->set[i] == c)
                return 1;
        return 0;
    }
    return 0;
}

static int rule_matches(const rule *r, const int32_t *cp, int n, int i)
{
    if (i + r->glen > n)
        return 0;
    for (int k = 0; k < r->glen; k++)
        if (cp[i + k] != r->g[k])
            return 0;
    if (r->nalt == 0)
        return 1;
    int32_t before = i > 0 ? cp[i - 1] : 0;
    int32_t after = i + r->glen < n ? cp[i + r->glen] : 0;
    for (int a = 0; a < r->nalt; a++)
        if (side_holds(&r->left[a], before) && side_holds(&r->right[a], after))
            return 1;
    return 0;
}

/* i after the hard hushing consonants and ц is y: Polish "szy", "czy",
 * "ży", "cy" = Russian "ши", "чи", "жи", "ци"/"цы". Doubled phonemes are
 * collapsed: clerks double and undouble letters freely (NAMES.md). */
static void settle(names_reading *p)
{
    int w = 0;
    for (int i = 0; i < p->len; i++) {
        char c = p->ph[i];
        if (c == 'i' && w > 0) {
            char prev = p->ph[w - 1];
            if (prev == 'S' || prev == 'Z' || prev == 'C' || prev == 'c')
                c = 'y';
        }
        if (w > 0 && p->ph[w - 1] == c && c != '-') {
            /* keep the span of the merged pair */
            int end = p->src_off[i] + p->src_len[i];
            p->src_len[w - 1] = (unsigned char)(end - p->src_off[w - 1]);
            continue;
        }
        p->ph[w] = c;
        p->src_off[w] = p->src_off[i];
        p->src_len[w] = p->src_len[i];
        w++;
    }
    while (w > 0 && p->ph[w - 1] == '-')
        w--;
    p->len = (unsigned char)w;
    p->ph[w] = '\0';
}

int names_read_as(names_ortho o, const char *word, size_t len, names_reading *out)
{
    int32_t cp[NAMES_TEXT_MAX * 2];
    unsigned char off[NAMES_TEXT_MAX * 2 + 1];
    pthread_once(&tables_once, load_all);
    out->ortho = o;
    out->len = 0;
    out->ph[0] = '\0';
    if ((unsigned)o >= NAMES_ORTHO_COUNT)
        return 0;
    if (len > 255)
        len = 255;
    const table *t = &tables[o];
    int n = decode(word, len, cp, off, NAMES_TEXT_MAX * 2 - 1);
    int pl = 0;
    for (int i = 0; i < n;) {
        int32_t c = cp[i];
        const rule *best = NULL;
        unsigned bk = (unsigned)c % BUCKETS;
        for (int k = 0; k < t->nbucket[bk]; k++) {
            const rule *r = &t->rules[t->bucket[bk][k]];
            if (rule_matches(r, cp, n, i)) {
                best = r;
                break;
            }
        }
        int glen = 1;
        const char *ph = NULL;
        int plen = 0;
        char one;
        if (best) {
            glen = best->glen;
            ph = best->ph;
            plen = best->plen;
        } else if (c == '-' || c == ' ') {
            one = '-';
            ph = &one;
            plen = (pl > 0 && out->ph[pl - 1] != '-') ? 1 : 0;
        } else if (c >= 'a' && c <= 'z') {
            /* a letter no rule covers reads as itself */
            one = (char)c;
            ph = &one;
            plen = 1;
        }
        for (int k = 0; k < plen && pl < NAMES_PIVOT_MAX; k++) {
            out->ph[pl] = ph[k];
            out->src_off[pl] = off[i];
            out->src_len[pl] = (unsigned char)(off[i + glen] - off[i]);
            pl++;
        }
        i += glen;
    }
    out->len = (unsigned char)pl;
    out->ph[pl] = '\0';
    settle(out);
    return out->len;
}

int names_word_read(const char *text, size_t len, names_word *w)
{
    names_ortho orth[NAMES_READINGS_MAX];
    if (len == 0)
        len = strlen(text);
    w->nread = 0;
    w->len = 0;
    w->text[0] = '\0';
    int n = names_normalize(text, len, w->text, sizeof w->text);
    if (n <= 0)
        return 0;
    w->len = (unsigned char)n;
    int no = names_orthographies(w->text, (size_t)n, orth, NAMES_READINGS_MAX);
    for (int i = 0; i < no; i++) {
        names_reading *p = &w->read[w->nread];
        if (names_read_as(orth[i], w->text, (size_t)n, p) == 0)
            continue;
        int dup = 0;
        for (int j = 0; j < w->nread; j++)
            if (w->read[j].len == p->len && memcmp(w->read[j].ph, p->ph, p->len) == 0)
                dup = 1;
        if (!dup)
            w->nread++;
    }
    return w->nread;
}

int names_pivot(const char *text, size_t len, char *out, size_t cap)
{
    char norm[NAMES_TEXT_MAX * 2];
    names_ortho orth[NAMES_READINGS_MAX];
    names_reading p;
    if (len == 0)
        len = strlen(text);
    int n = names_normalize(text, len, norm, sizeof norm);
    if (n < 0 || cap == 0)
        return -1;
    /* The first orthography that reads anything, as names_word_read keeps
     * it: "ï" reads nothing in Polish, "j" in French. */
    int no = names_orthographies(norm, (size_t)n, orth, NAMES_READINGS_MAX);
    p.len = 0;
    p.ph[0] = '\0';
    for (int i = 0; i < no && p.len == 0; i++)
        names_read_as(orth[i], norm, (size_t)n, &p);
    if ((size_t)p.len + 1 > cap)
        return -1;
    memcpy(out, p.ph, (size_t)p.len + 1);
    return p.len;
}
