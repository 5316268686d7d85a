/*
 * textfold.h — the one way the query parser, rank, camp and patronymic
 * modules compare words: NFC, Unicode case folding, stress marks (U+0301)
 * removed, ё read as е. The loose fold also strips every diacritic (ą→a,
 * ł→l, й→и, ї→і), so "Jozefa" meets "Józefa" and "plk" meets "płk".
 *
 * Pure functions writing into caller buffers: no allocation, thread-safe.
 */
#ifndef KT_NAMES_TEXTFOLD_H
#define KT_NAMES_TEXTFOLD_H

#include <stddef.h>

/* NAMES_FOLD_LATIN is the loose fold for Latin letters only: ą→a, ł→l,
 * ó→o, but Cyrillic kept as written (й stays й, ё stays ё), as the given-
 * name tables compare a Polish name typed without its diacritics. */
enum { NAMES_FOLD_EXACT = 0, NAMES_FOLD_LOOSE = 1, NAMES_FOLD_LATIN = 2 };

/* Folds len bytes of UTF-8 at s into out (NUL-terminated). Returns the byte
 * length written, or -1 when the input is not valid UTF-8 or does not fit
 * (inputs longer than 1024 code points are refused). */
int names_fold(const char *s, size_t len, char *out, size_t cap, int mode);

/* Normalises a whole word for display and storage: NFC, stress marks removed,
 * case kept. Same return convention as names_fold. */
int names_nfc_clean(const char *s, size_t len, char *out, size_t cap);

/* The code point starting at s (at most len bytes) and its byte length in
 * *n; returns -1 (and *n = 1) on an invalid sequence. */
int names_cp_at(const char *s, size_t len, int *n);

/* 1 when code point cp is a letter (any script) or a combining mark. */
int names_cp_is_letter(int cp);

#endif
