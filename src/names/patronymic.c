/*
 * patronymic.c — father's given name from a Russian patronymic or a Polish
 * genitive.
 *
 * Both readers generate a few candidate names by rule (most likely first),
 * then prefer the first candidate the given-name table knows; the table's
 * own patronymic and genitive columns catch the irregular forms the rules
 * miss. Works in fixed buffers: nothing is allocated after the table load.
 */
#include "names/patronymic.h"
#include "names/given_forms.h"
#include "names/textfold.h"

#include <string.h>
#include <utf8proc.h>

#define PW 128   /* bytes of one word or candidate */
#define NCAND 12

typedef struct cands {
    int n;
    char v[NCAND][PW];
} cands;

static int ends_with(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* Adds stem[0..stemlen) + tail, skipping empty stems and overflows. */
static void cand_add(cands *c, const char *stem, size_t stemlen, const char *tail)
{
    size_t t = strlen(tail);
    if (c->n == NCAND || stemlen == 0 || stemlen + t + 1 > PW)
        return;
    memcpy(c->v[c->n], stem, stemlen);
    memcpy(c->v[c->n] + stemlen, tail, t + 1);
    c->n++;
}

/* Byte length of the last UTF-8 character of s[0..n). */
static size_t last_char_len(const char *s, size_t n)
{
    size_t k = 1;
    while (k < n && ((unsigned char)s[n - k] & 0xC0) == 0x80)
        k++;
    return k <= n ? k : n;
}

static int is_cyr_consonant(const char *ch, size_t len)
{
    static const char *const vowels[] = {
        "а", "е", "ё", "и", "о", "у", "ы", "э", "ю", "я", "і", "ї", "є", "й", "ь", "ъ",
    };
    for (size_t i = 0; i < sizeof vowels / sizeof *vowels; i++)
        if (strlen(vowels[i]) == len && memcmp(vowels[i], ch, len) == 0)
            return 0;
    return len == 2 && (unsigned char)ch[0] >= 0xD0 && (unsigned char)ch[0] <= 0xD1;
}

/* Candidate fathers' names (folded lowercase Cyrillic) for a folded Cyrillic
 * word. *bare_ich is set when only the short -ич ending matched (Лукич):
 * such words are accepted only when the table knows the name. *before_ich
 * is the byte length of the masculine form (Ивановна read as Иванович)
 * before its final -ич. Returns 0 when the word has no patronymic ending. */
static int cyr_candidates(const char *word, cands *c, int *bare_ich, size_t *before_ich)
{
    char m[PW];
    size_t n = strlen(word);
    if (n + 8 >= PW)
        return 0;
    memcpy(m, word, n + 1);
    *bare_ich = 0;
    c->n = 0;

    /* Belarusian endings read as Russian: Іванавіч → Іванович. */
    if (ends_with(m, n, "авіч")) { n -= strlen("авіч"); strcpy(m + n, "ович"); n += strlen("ович"); }
    else if (ends_with(m, n, "евіч")) { n -= strlen("евіч"); strcpy(m + n, "евич"); n += strlen("евич"); }
    else if (ends_with(m, n, "аўна")) { n -= strlen("аўна"); strcpy(m + n, "овна"); n += strlen("овна"); }
    else if (ends_with(m, n, "еўна")) { n -= strlen("еўна"); strcpy(m + n, "евна"); n += strlen("евна"); }

    /* Feminine → masculine: Ивановна → Иванович, Ильинична → Ильич. */
    if (ends_with(m, n, "инична")) { n -= strlen("инична"); strcpy(m + n, "ич"); n += strlen("ич"); }
    else if (ends_with(m, n, "ична")) { n -= strlen("ична"); strcpy(m + n, "ич"); n += strlen("ич"); }
    else if (ends_with(m, n, "овна")) { n -= strlen("овна"); strcpy(m + n, "ович"); n += strlen("ович"); }
    else if (ends_with(m, n, "евна")) { n -= strlen("евна"); strcpy(m + n, "евич"); n += strlen("евич"); }

    if (ends_with(m, n, "йлович")) {            /* Михайлович → Михаил */
        cand_add(c, m, n - strlen("йлович"), "ил");
        cand_add(c, m, n - strlen("ович"), "");
    } else if (ends_with(m, n, "ович")) {
        size_t s = n - strlen("ович");
        cand_add(c, m, s, "");                   /* Янович → Ян */
        /* Fleeting e: Павлович → Павел, Львович → Лев. */
        size_t l1 = last_char_len(m, s);
        if (s > l1) {
            size_t l2 = last_char_len(m, s - l1);
            const char *prev = m + s - l1 - l2;
            if (l2 == 2 && memcmp(prev, "ь", 2) == 0) {
                char tmp[PW];
                size_t k = s - l1 - l2;
                memcpy(tmp, m, k);
                memcpy(tmp + k, "е", 2);
                memcpy(tmp + k + 2, m + s - l1, l1);
                cand_add(c, tmp, k + 2 + l1, "");
            } else if (is_cyr_consonant(prev, l2) && is_cyr_consonant(m + s - l1, l1)) {
                char tmp[PW];
                size_t k = s - l1;
                memcpy(tmp, m, k);
                memcpy(tmp + k, "е", 2);
                memcpy(tmp + k + 2, m + k, l1);
                cand_add(c, tmp, k + 2 + l1, "");
            }
        }
        cand_add(c, m, s, "ий");                 /* Антонович ← Антоний */
    } else if (ends_with(m, n, "ьевич")) {        /* Игнатьевич → Игнатий */
        size_t s = n - strlen("ьевич");
        cand_add(c, m, s, "ий");
        cand_add(c, m, s, "ь");
        cand_add(c, m, s, "");
        cand_add(c, m, s, "ей");
    } else if (ends_with(m, n, "иевич")) {        /* Георгиевич → Георгий */
        size_t s = n - strlen("иевич");
        cand_add(c, m, s, "ий");
        cand_add(c, m, s, "ия");
        cand_add(c, m, s, "ь");
    } else if (ends_with(m, n, "еевич")) {        /* Андреевич → Андрей */
        cand_add(c, m, n - strlen("еевич"), "ей");
    } else if (ends_with(m, n, "аевич")) {        /* Николаевич → Николай */
        cand_add(c, m, n - strlen("аевич"), "ай");
    } else if (ends_with(m, n, "оевич")) {
        cand_add(c, m, n - strlen("оевич"), "ой");
    } else if (ends_with(m, n, "евич")) {
        size_t s = n - strlen("евич");
        /* No soft sign after ц ж ш ч щ: Фрицевич → Фриц, not Фриць. */
        if (!(ends_with(m, s, "ц") || ends_with(m, s, "ж") || ends_with(m, s, "ш") ||
              ends_with(m, s, "ч") || ends_with(m, s, "щ")))
            cand_add(c, m, s, "ь");              /* Игоревич → Игорь */
        cand_add(c, m, s, "");                   /* Францевич → Франц */
        cand_add(c, m, s, "ий");                 /* romanised Ignatevich */
        cand_add(c, m, s, "а");                  /* Мовшевич → Мовша */
        cand_add(c, m, n - strlen("ич"), "");    /* Збигневич → Збигнев */
        cand_add(c, m, s, "й");
        /* Epenthetic л after a labial: Яковлевич → Яков. */
        if (ends_with(m, s, "вл") || ends_with(m, s, "бл") || ends_with(m, s, "пл") ||
            ends_with(m, s, "мл") || ends_with(m, s, "фл"))
            cand_add(c, m, s - strlen("л"), "");
    } else if (ends_with(m, n, "ич")) {           /* Лукич → Лука, Ильич → Илья */
        size_t s = n - strlen("ич");
        cand_add(c, m, s, "а");
        cand_add(c, m, s, "я");
        cand_add(c, m, s, "");
        *bare_ich = 1;
    } else {
        return 0;
    }
    *before_ich = n - strlen("ич");              /* every branch ends in -ич */
    /* A patronymic needs a name before its ending: "Вич" is not one. */
    return c->n > 0 && strlen(c->v[0]) >= 2;
}

/* Copies src into out with its first letter upper-cased. */
static int write_capitalised(const char *src, char *out, size_t cap)
{
    size_t n = strlen(src);
    int k;
    int cp = names_cp_at(src, n, &k);
    if (cp < 0 || n + 4 >= cap)
        return 0;
    utf8proc_uint8_t up[4];
    utf8proc_ssize_t u = utf8proc_encode_char(utf8proc_toupper(cp), up);
    if (u <= 0 || (size_t)u + (n - (size_t)k) + 1 > cap)
        return 0;
    memcpy(out, up, (size_t)u);
    memcpy(out + u, src + k, n - (size_t)k + 1);
    return 1;
}

static int write_form(const char *form, char *out, size_t cap)
{
    size_t n = strlen(form);
    if (n + 1 > cap)
        return 0;
    memcpy(out, form, n + 1);
    return 1;
}

/* The first candidate that is a form of the table in the given columns. */
static int table_candidate(const cands *c, unsigned cols, char *out, size_t cap)
{
    for (int i = 0; i < c->n; i++) {
        int col, idx;
        int row = names_gf_find(c->v[i], strlen(c->v[i]), cols, NAMES_FOLD_EXACT, 0, &col, &idx);
        if (row >= 0)
            return write_form(names_gf_form(row, col, idx), out, cap);
    }
    return 0;
}

/* A row found by its patronymic column: the Russian form the patronymic was
 * built on when a candidate names it, else the row's first Russian form. */
static int row_father(int row, const cands *c, char *out, size_t cap)
{
    int nr = names_gf_nforms(row, NAMES_GF_RUSSIAN);
    for (int i = 0; i < c->n; i++)
        for (int j = 0; j < nr; j++) {
            char f[PW];
            const char *form = names_gf_form(row, NAMES_GF_RUSSIAN, j);
            if (names_fold(form, strlen(form), f, sizeof f, NAMES_FOLD_EXACT) >= 0 &&
                strcmp(f, c->v[i]) == 0)
                return write_form(form, out, cap);
        }
    if (nr > 0)
        return write_form(names_gf_form(row, NAMES_GF_RUSSIAN, 0), out, cap);
    return 0;
}

/* Resolution shared by Cyrillic and romanised words (folded Cyrillic w). */
static int resolve_cyr(const char *w, int allow_guess, char *out, size_t cap)
{
    cands c;
    int bare_ich;
    size_t before_ich;
    if (!cyr_candidates(w, &c, &bare_ich, &before_ich))
        return 0;
    if (table_candidate(&c, NAMES_GF_BIT(NAMES_GF_RUSSIAN), out, cap) ||
        table_candidate(&c, NAMES_GF_BIT(NAMES_GF_UKRAINIAN), out, cap))
        return 1;
    int row = names_gf_find(w, strlen(w), NAMES_GF_BIT(NAMES_GF_PATRONYMIC),
                            NAMES_FOLD_EXACT, 0, NULL, NULL);
    if (row >= 0)
        return row_father(row, &c, out, cap);
    if (allow_guess && !bare_ich && write_capitalised(c.v[0], out, cap))
        return 2;
    return 0;
}

/* Latin → Russian Cyrillic for romanised patronymics, covering English,
 * German, French, ISO 9 and Polish habits (NAMES.md). Longest match first. */
typedef struct lat_rule { const char *lat; const char *cyr; } lat_rule;
static const lat_rule lat_rules[] = {
    {"schtsch", "щ"}, {"chtch", "щ"}, {"shch", "щ"}, {"szcz", "щ"},
    {"tsch", "ч"}, {"tch", "ч"}, {"sch", "ш"},
    {"zh", "ж"}, {"kh", "х"}, {"sh", "ш"}, {"sz", "ш"}, {"cz", "ч"}, {"ch", "ч"},
    {"ts", "ц"}, {"tz", "ц"}, {"rz", "ж"}, {"ss", "с"},
    {"ya", "я"}, {"ja", "я"}, {"yu", "ю"}, {"ju", "ю"}, {"ye", "е"}, {"je", "е"},
    {"yo", "е"}, {"jo", "е"}, {"ou", "у"},
    {"a", "а"}, {"b", "б"}, {"v", "в"}, {"w", "в"}, {"g", "г"}, {"d", "д"},
    {"e", "е"}, {"z", "з"}, {"i", "и"}, {"j", "й"}, {"k", "к"}, {"l", "л"},
    {"m", "м"}, {"n", "н"}, {"o", "о"}, {"p", "п"}, {"r", "р"}, {"s", "с"},
    {"t", "т"}, {"u", "у"}, {"f", "ф"}, {"h", "х"}, {"c", "ц"}, {"x", "кс"},
    {"q", "к"}, {"y", "ы"},
    {"ł", "л"}, {"ó", "у"}, {"ś", "сь"}, {"ź", "зь"}, {"ć", "ць"}, {"ń", "нь"},
    {"ż", "ж"}, {"č", "ч"}, {"š", "ш"}, {"ž", "ж"}, {"ŝ", "щ"}, {"é", "е"},
    {"ë", "е"}, {"è", "е"}, {"ï", "и"}, {"ä", "е"}, {"ö", "е"}, {"ü", "ю"},
    {"ą", "он"}, {"ę", "ен"},
};

static int is_latin_vowel(char ch)
{
    return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u' || ch == 'y';
}

/* Transliterates folded Latin w; ch_kh reads "ch" as х (Polish) instead of
 * ч (English), e_initial reads a word-initial e as э. 0 on failure. */
static int latin_to_cyr(const char *w, int ch_kh, int e_initial, char *out, size_t cap)
{
    size_t o = 0, n = strlen(w), i = 0;
    while (i < n) {
        const char *cyr = NULL;
        size_t used = 0;
        if (i == 0 && e_initial && w[0] == 'e') {
            cyr = "э";
            used = 1;
        } else if (ch_kh && strncmp(w + i, "ch", 2) == 0 && strncmp(w + i, "chtch", 5) != 0) {
            cyr = "х";
            used = 2;
        } else if (w[i] == 'y' && i > 0 && is_latin_vowel(w[i - 1]) &&
                   !(i + 1 < n && is_latin_vowel(w[i + 1]))) {
            cyr = "й";                            /* Mikhaylovich */
            used = 1;
        } else {
            for (size_t r = 0; r < sizeof lat_rules / sizeof *lat_rules; r++) {
                size_t k = strlen(lat_rules[r].lat);
                if (k > used && i + k <= n && memcmp(w + i, lat_rules[r].lat, k) == 0) {
                    cyr = lat_rules[r].cyr;
                    used = k;
                }
            }
        }
        if (!cyr)
            return 0;
        size_t k = strlen(cyr);
        if (o + k + 1 > cap)
            return 0;
        memcpy(out + o, cyr, k);
        o += k;
        i += used;
    }
    out[o] = '\0';
    return o > 0;
}

/* Romanised Polish-made patronymics (Józefowicz in a patronymic field):
 * the stem may be a Polish or Latin form of the table. */
static int latin_stem_father(const char *w, char *out, size_t cap)
{
    static const char *const sufs[] = {
        "owitsch", "ewitsch", "ovitch", "evitch", "ovich", "evich", "owicz", "ewicz",
        "ovič", "evič", "ovna", "evna", "owna", "ewna",
    };
    size_t n = strlen(w);
    for (size_t i = 0; i < sizeof sufs / sizeof *sufs; i++) {
        if (!ends_with(w, n, sufs[i]))
            continue;
        size_t s = n - strlen(sufs[i]);
        if (s < 2)
            return 0;
        unsigned cols = NAMES_GF_BIT(NAMES_GF_POLISH) | NAMES_GF_BIT(NAMES_GF_LATIN);
        int row = names_gf_find(w, s, cols, NAMES_FOLD_LOOSE, 0, NULL, NULL);
        if (row >= 0 && names_gf_nforms(row, NAMES_GF_RUSSIAN) > 0)
            return write_form(names_gf_form(row, NAMES_GF_RUSSIAN, 0), out, cap);
        return 0;
    }
    return 0;
}

/* Latin letters that look like Cyrillic ones, as typists slip them into
 * Cyrillic words ("Hиколаевич" with a Latin H): replaced in a word that
 * is otherwise Cyrillic. Folded (lower-case) forms. */
static void cyrillic_homoglyphs(char *w)
{
    static const char lat[] = "aceopxykmhtb";
    static const char *const cyr[] = {"а", "с", "е", "о", "р", "х", "у", "к", "м", "н", "т", "в"};
    int cyrillic = 0, latin = 0;
    for (const unsigned char *p = (const unsigned char *)w; *p; p++) {
        if (*p == 0xD0 || *p == 0xD1)
            cyrillic++;
        else if (*p < 0x80 && strchr(lat, *p) && *p)
            latin++;
        else if (*p < 0x80)
            return;                         /* another Latin letter: Latin word */
    }
    if (!cyrillic || !latin)
        return;
    char tmp[PW];
    size_t o = 0;
    for (const char *p = w; *p && o + 3 < sizeof tmp; p++) {
        const char *hit = *p > 0 ? strchr(lat, *p) : NULL;
        if (hit) {
            memcpy(tmp + o, cyr[hit - lat], 2);
            o += 2;
        } else {
            tmp[o++] = *p;
        }
    }
    tmp[o] = '\0';
    memcpy(w, tmp, o + 1);
}

int names_patronymic_ending(const char *word)
{
    char w[PW];
    cands c;
    int bare_ich;
    size_t before_ich;
    if (!word || names_fold(word, strlen(word), w, sizeof w, NAMES_FOLD_EXACT) <= 0)
        return 0;
    /* two letters (more than two bytes) before the -ич, as in Лукич and
     * Шаевич (Ша-евич, of Шая): "Бич" is no patronymic */
    return cyr_candidates(w, &c, &bare_ich, &before_ich) && before_ich > 2;
}

int names_patronymic_father(const char *word, char *out, size_t cap)
{
    char w[PW];
    if (!word || !out || cap == 0)
        return 0;
    out[0] = '\0';
    if (names_fold(word, strlen(word), w, sizeof w, NAMES_FOLD_EXACT) <= 0)
        return 0;
    cyrillic_homoglyphs(w);
    int k;
    int cp = names_cp_at(w, strlen(w), &k);
    if (cp >= 0x0400 && cp <= 0x04FF)
        return resolve_cyr(w, 1, out, cap);
    if (cp < 'a' || cp > 'z')
        return 0;
    for (int ch_kh = 0; ch_kh <= 1; ch_kh++)
        for (int e_init = 0; e_init <= 1; e_init++) {
            char cyr[PW * 2];
            if (e_init && w[0] != 'e')
                continue;
            if (latin_to_cyr(w, ch_kh, e_init, cyr, sizeof cyr) && resolve_cyr(cyr, 0, out, cap))
                return 1;
        }
    return latin_stem_father(w, out, cap);
}

/* ---- Polish genitive ---- */

static int genitive_candidates(const char *w, cands *c)
{
    size_t n = strlen(w);
    c->n = 0;
    if (ends_with(w, n, "ego")) {                 /* Antoniego, Jerzego */
        size_t s = n - 3;
        if (ends_with(w, s, "i"))
            cand_add(c, w, s, "");
        else
            cand_add(c, w, s, "y");
        cand_add(c, w, s, "i");
        return s >= 2;
    }
    if (!ends_with(w, n, "a") || n < 3)
        return 0;
    size_t s = n - 1;
    cand_add(c, w, s, "");                        /* Jana → Jan */
    if (ends_with(w, s, "k"))                     /* Franciszka → Franciszek */
        cand_add(c, w, s - 1, "ek");
    if (ends_with(w, s, "ńc"))                    /* Wawrzyńca → Wawrzyniec */
        cand_add(c, w, s - strlen("ńc"), "niec");
    if (ends_with(w, s, "ł") && s > strlen("ł")) {
        /* Pawła → Paweł, but Michała → Michał (vowel before ł). */
        char prev = w[s - strlen("ł") - 1];
        if (!is_latin_vowel(prev) && (unsigned char)prev < 0x80)
            cand_add(c, w, s - strlen("ł"), "eł");
    }
    if (ends_with(w, s, "tr") || ends_with(w, s, "dr"))   /* Aleksandra */
        cand_add(c, w, s - 1, "er");
    /* Soft consonant before -a is written with i: Stasia → Staś. */
    static const char *const soft[][2] = {
        {"dzi", "dź"}, {"si", "ś"}, {"ci", "ć"}, {"zi", "ź"}, {"ni", "ń"},
    };
    for (size_t k = 0; k < sizeof soft / sizeof *soft; k++)
        if (ends_with(w, s, soft[k][0])) {
            cand_add(c, w, s - strlen(soft[k][0]), soft[k][1]);
            break;
        }
    return 1;
}

int names_genitive_father(const char *word, char *out, size_t cap)
{
    char w[PW];
    if (!word || !out || cap == 0)
        return 0;
    out[0] = '\0';
    size_t len = strlen(word);
    int row = names_gf_find(word, len, NAMES_GF_BIT(NAMES_GF_GENITIVE), NAMES_FOLD_EXACT, 0, NULL, NULL);
    if (row < 0)
        row = names_gf_find(word, len, NAMES_GF_BIT(NAMES_GF_GENITIVE), NAMES_FOLD_LOOSE, 0, NULL, NULL);
    if (row >= 0)
        return write_form(names_gf_form(row, NAMES_GF_POLISH, 0), out, cap);

    if (names_fold(word, len, w, sizeof w, NAMES_FOLD_EXACT) <= 0)
        return 0;
    int k;
    int cp = names_cp_at(w, strlen(w), &k);
    if (!names_cp_is_letter(cp) || cp >= 0x0400)
        return 0;                                  /* Polish genitives only */
    for (size_t i = 0; w[i]; i++)
        if (w[i] == ' ' || w[i] == '.' || (w[i] >= '0' && w[i] <= '9'))
            return 0;                              /* one word only */
    cands c;
    if (!genitive_candidates(w, &c) || c.n == 0)
        return 0;
    for (int mode = NAMES_FOLD_EXACT; mode <= NAMES_FOLD_LOOSE; mode++)
        for (int i = 0; i < c.n; i++) {
            int col, idx;
            row = names_gf_find(c.v[i], strlen(c.v[i]),
                                NAMES_GF_BIT(NAMES_GF_POLISH) | NAMES_GF_BIT(NAMES_GF_DIMINUTIVE),
                                mode, 0, &col, &idx);
            if (row >= 0)
                return write_form(names_gf_form(row, col, idx), out, cap);
        }
    return write_capitalised(c.v[0], out, cap);
}
