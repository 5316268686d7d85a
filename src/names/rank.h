/*
 * rank.h — military and police ranks as sources and queries write them:
 * Polish abbreviations ("kpt.", "st. sierż."), Russian ("капитан", "п/пор."),
 * Ukrainian, German list forms ("Hptm.", "Rittm.") and English.
 *
 * The ranks are data (data/rules/ranks.tsv, embedded), loaded once on first
 * use; every function is pure and thread-safe after first use. A rank id is
 * the number in the file's first column; 0 means no rank.
 */
#ifndef KT_NAMES_RANK_H
#define KT_NAMES_RANK_H

#include <stddef.h>

/* The rank written at the very start of text (UTF-8, NFC or not), longest
 * form first: "st. sierż. Nowak" is starszy sierżant, not sierżant. Case and
 * Polish diacritics are ignored ("plk" is "płk"), the dot of an abbreviation
 * is optional, and a rank glued to a name after its dot ("Gen.Smorawinski")
 * counts. A form ending in a letter must end at a word boundary. Returns the
 * id and the byte length matched in *len (may be NULL), or 0. */
int names_rank_match(const char *text, size_t *len);

/* A record's rank field → id: the first rank found at a word start
 * ("podporucznik pilot", "kpt. rez.", "капитан запаса"); 0 when unknown. */
int names_rank_of(const char *field);

/* "kapitan (капитан)"; "" for an unknown id. */
const char *names_rank_label(int id);

/* The canonical Polish name ("kapitan"), or "" for an unknown id. */
const char *names_rank_polish(int id);

/* The largest rank id in the table (ids run 1..names_rank_max()). */
int names_rank_max(void);

#endif
