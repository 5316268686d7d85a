/*
 * camp.c — camp and site spellings from data/rules/camps.tsv, stored loosely
 * folded (textfold.h) for comparison. Read-only after the first call.
 */
#include "names/camp.h"
#include "names/textfold.h"
#include "util/tsv.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define CAMPS_PATH "data/rules/camps.tsv"
#define CAMP_MAX 64
#define SPELL_MAX 512
#define KEY_LEN 32
#define SPELL_LEN 96

typedef struct camp_row {
    char key[KEY_LEN];
    char camp[KEY_LEN];
    int is_site;
} camp_row;

typedef struct camp_spelling {
    int row;
    char folded[SPELL_LEN];
} camp_spelling;

static camp_row camps[CAMP_MAX];
static int n_camps;
static camp_spelling spellings[SPELL_MAX];
static int n_spellings;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* camps.tsv: key, kind ("camp" or "site"), camp, spellings (';'-separated). */
static void load(void)
{
    kt_tsv c;
    kt_tsv_field f[4];
    int n;
    kt_tsv_open_embedded(&c, CAMPS_PATH, KT_TSV_COMMENTS | KT_TSV_HEADER);
    while (n_camps < CAMP_MAX && kt_tsv_next(&c, f, 4, &n)) {
        if (n < 4 || f[0].len == 0) {
            kt_tsv_refuse(&c, "expected key, kind, camp and spellings");
            continue;
        }
        camp_row *r = &camps[n_camps];
        snprintf(r->key, sizeof r->key, "%.*s", (int)f[0].len, f[0].s);
        snprintf(r->camp, sizeof r->camp, "%.*s", (int)f[2].len, f[2].s);
        r->is_site = kt_tsv_eq(f[1], "site");
        char spells[2048];
        snprintf(spells, sizeof spells, "%.*s", (int)f[3].len, f[3].s);
        char *save = NULL;
        for (char *s = strtok_r(spells, ";", &save); s && n_spellings < SPELL_MAX;
             s = strtok_r(NULL, ";", &save)) {
            if (names_fold(s, strlen(s), spellings[n_spellings].folded, SPELL_LEN,
                           NAMES_FOLD_LOOSE) > 0) {
                spellings[n_spellings].row = n_camps;
                n_spellings++;
            }
        }
        n_camps++;
    }
}

const char *names_camp_key(const char *word, size_t len, int *is_site)
{
    pthread_once(&once, load);
    if (is_site)
        *is_site = 0;
    char f[SPELL_LEN];
    if (!word || names_fold(word, len, f, sizeof f, NAMES_FOLD_LOOSE) <= 0)
        return NULL;
    for (int i = 0; i < n_spellings; i++)
        if (strcmp(spellings[i].folded, f) == 0) {
            const camp_row *r = &camps[spellings[i].row];
            if (is_site)
                *is_site = r->is_site;
            return r->key;
        }
    return NULL;
}

const char *names_site_camp(const char *key)
{
    pthread_once(&once, load);
    if (!key)
        return NULL;
    for (int i = 0; i < n_camps; i++)
        if (strcmp(camps[i].key, key) == 0)
            return camps[i].camp[0] ? camps[i].camp : NULL;
    return NULL;
}

static int is_word_byte(unsigned char c)
{
    /* Bytes >= 0x80 are parts of letters in the texts seen here (Polish,
     * Cyrillic); punctuation that separates words is ASCII. */
    return c >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '\'';
}

const char *names_camp_of(const char *field)
{
    if (!field)
        return NULL;
    size_t n = strlen(field);
    for (size_t i = 0; i < n;) {
        while (i < n && !is_word_byte((unsigned char)field[i]))
            i++;
        size_t a = i;
        while (i < n && is_word_byte((unsigned char)field[i]))
            i++;
        if (i == a)
            break;
        /* Two-word names first ("Pavlishchev Bor", "Kozie Góry"). */
        size_t j = i;
        while (j < n && field[j] == ' ')
            j++;
        size_t b = j;
        while (b < n && is_word_byte((unsigned char)field[b]))
            b++;
        const char *key = NULL;
        if (b > j)
            key = names_camp_key(field + a, b - a, NULL);
        if (!key)
            key = names_camp_key(field + a, i - a, NULL);
        if (key)
            return key;
    }
    return NULL;
}
