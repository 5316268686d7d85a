/*
 * camp.h — camps and execution sites by any spelling: "Kozielsk",
 * "Козельск", "Kozelsk" → "kozelsk"; "Katyń", "Катынь" → "katyn".
 *
 * Data: data/rules/camps.tsv (embedded), loaded once on first use; pure and
 * thread-safe after first use. Keys are stable lowercase ASCII.
 */
#ifndef KT_NAMES_CAMP_H
#define KT_NAMES_CAMP_H

#include <stddef.h>

/* Canonical key of the camp or site spelled by word[0..len) (case, stress
 * marks and Polish diacritics ignored: "Ostaszkow" is "Ostaszków"), or
 * NULL. *is_site (may be NULL) is set to 1 for execution sites. */
const char *names_camp_key(const char *word, size_t len, int *is_site);

/* For a site key: the camp whose prisoners were killed there ("katyn" →
 * "kozelsk"); for a camp key: itself; NULL when unknown or several. */
const char *names_site_camp(const char *key);

/* A record's camp (or fate) field → the first camp or site key found in it,
 * trying single words and two-word names ("Pavlishchev Bor"); NULL if none. */
const char *names_camp_of(const char *field);

#endif
