/*
 * fate.h — what a record's free text says became of the person: shot,
 * died, released or missing; when; where; where buried. Russian, Polish
 * and English phrasings ("Расстрелян 17.05.1938. Место захоронения:
 * Бутово.", "zamordowany w Katyniu w 1940", "zm. 1940", "shot 5.04.1940").
 *
 * Pure: no I/O, no allocation; thread-safe.
 */
#ifndef KT_NAMES_FATE_H
#define KT_NAMES_FATE_H

#include <stddef.h>

/* The kinds of fate, as stored and as the search filter names them. */
#define NAMES_FATE_SHOT "shot"
#define NAMES_FATE_DIED "died"
#define NAMES_FATE_RELEASED "released"
#define NAMES_FATE_MISSING "missing"

typedef struct names_fate {
    const char *kind;  /* one of NAMES_FATE_*, or NULL when the text says none */
    char date[16];     /* "1938-05-17", "1938-05" or "1938"; "" when not said */
    char place[128];   /* where it happened, as written ("Katyniu"); "" */
    char burial[128];  /* where buried, as written ("Бутово"); "" */
} names_fate;

/* Reads the fate stated in text (NULL or "" reads nothing). A fate word
 * negated ("не расстрелян", "nie zmarł") or a release from a post
 * ("освобожден от должности") does not count; the date and the place are
 * looked for in the same sentence after the fate word. Returns 1 when
 * anything was found (a kind, or a burial place alone), else 0. */
int names_find_fate(const char *text, names_fate *out);

/* The kind of fate a text names, for a filter: "расстрелян", "rozstrzelany",
 * "zamordowany w Katyniu", "executed" and "shot" itself all give
 * NAMES_FATE_SHOT. NULL when it names none. */
const char *names_fate_kind(const char *text);

#endif
