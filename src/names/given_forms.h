/*
 * given_forms.h — read access to data/names/given_names.tsv for the query
 * parser, the patronymic and the genitive readers: which row (one given
 * name in all its spellings) a word belongs to, and the forms of a row.
 *
 * The name engine builds its own equivalence classes (names.h); this is the
 * plain table, loaded once from the embedded file on first use and
 * read-only afterwards (thread-safe after first use).
 */
#ifndef KT_NAMES_GIVEN_FORMS_H
#define KT_NAMES_GIVEN_FORMS_H

#include <stddef.h>

/* Columns, in the file's header names. Unknown extra columns are ignored;
 * "diminutives" (if present) is read. */
enum {
    NAMES_GF_POLISH,      /* polish */
    NAMES_GF_GENITIVE,    /* genitive ("s. Jana") */
    NAMES_GF_RUSSIAN,     /* russian: transcribed and Russified forms */
    NAMES_GF_UKRAINIAN,   /* ukrainian */
    NAMES_GF_LATIN,       /* latin: Latin, German, English forms */
    NAMES_GF_PATRONYMIC,  /* patronymic_ru */
    NAMES_GF_DIMINUTIVE,  /* diminutives (optional column) */
    NAMES_GF_NCOL
};
#define NAMES_GF_BIT(col) (1u << (col))
#define NAMES_GF_GIVEN_COLS (NAMES_GF_BIT(NAMES_GF_POLISH) | NAMES_GF_BIT(NAMES_GF_RUSSIAN) | \
                             NAMES_GF_BIT(NAMES_GF_UKRAINIAN) | NAMES_GF_BIT(NAMES_GF_LATIN) | \
                             NAMES_GF_BIT(NAMES_GF_DIMINUTIVE))

/* Number of rows (0 when the table is missing or unreadable). */
int names_gf_rows(void);
/* Forms of a row in a column (cleaned: NFC, no stress marks). */
int names_gf_nforms(int row, int col);
const char *names_gf_form(int row, int col, int i);

/* The first row >= from with a form, in one of the columns of colmask, equal
 * to word under the fold mode (textfold.h). Returns the row or -1; col/idx
 * (may be NULL) receive where the form sits. */
int names_gf_find(const char *word, size_t len, unsigned colmask, int mode,
                  int from, int *col, int *idx);

/* 1 when word is a given name in any given-name column (exact fold, then
 * loose fold for words written in Latin letters). */
int names_gf_is_given(const char *word, size_t len);

#endif
