/*
 * patronymic.h — the father's given name hidden in a Russian patronymic
 * ("Янович" → "Ян") or in a Polish genitive ("s. Jana" → "Jan").
 *
 * Both functions are pure (no I/O; the given-name table is read from the
 * embedded data once, on first use) and thread-safe after first use. The
 * name written to out is a form of data/names/given_names.tsv whenever the
 * table knows the father's name, so names_given_class(out) finds the class.
 */
#ifndef KT_NAMES_PATRONYMIC_H
#define KT_NAMES_PATRONYMIC_H

#include <stddef.h>

/* Russian (or Ukrainian) patronymic → father's given name, Cyrillic:
 * "Янович" → "Ян", "Иосифович" → "Иосиф", "Игнатьевич" → "Игнатий",
 * "Андреевич" → "Андрей", "Францевич" → "Франц", "Михайлович" → "Михаил",
 * "Викентьевич" → "Викентий", "Львович" → "Лев", "Лукич" → "Лука"; also the
 * feminine -овна/-евна/-ична. A Cyrillic word with a patronymic ending that
 * the table does not know still yields the rule's reading ("Дмитриевич" →
 * "Дмитрий"); a bare -ич word only when the table knows the name.
 * Romanised patronymics ("Yanovich", "Iosifovich", "Janowitsch", "Ivanovna")
 * are read too, but only when the father's name is in the table. Which word
 * is a patronymic is the caller's decision: "Janowicz" is a Polish surname
 * unless it stands where a patronymic stands.
 * Belarusian -авіч/-евіч/-аўна are read like -ович/-евич/-овна.
 * Returns 1 when the father's name is a form of the given-name table, 2 when
 * only the rules read it (a guess: "Тышкевич" would give "Тышк", so callers
 * that must tell a patronymic from a surname accept 1 only), 0 when word is
 * not a patronymic (or out is too small). The name (NUL-terminated) is
 * written into out for 1 and 2. */
int names_patronymic_father(const char *word, char *out, size_t cap);

/* 1 when word (any case) ends in a Russian, Ukrainian or
 * Belarusian patronymic ending that the reader above knows (-ович, -евич,
 * -ьевич, -иевич, -еевич, -аевич, -ич, the feminine -овна, -евна, -ична,
 * Belarusian -авіч, -евіч, -аўна) with at least two letters before its
 * final -ич (of the masculine form), whether or not the table knows the
 * father's name: "Тышкевич" too, "Бич" not. Cyrillic only; the caller
 * decides whether the word stands where a patronymic stands. */
int names_patronymic_ending(const char *word);

/* Polish genitive of a given name → nominative: "Jana" → "Jan", "Józefa" →
 * "Józef", "Antoniego" → "Antoni", "Pawła" → "Paweł", "Jerzego" → "Jerzy",
 * "Kazimierza" → "Kazimierz", "Franciszka" → "Franciszek". The table's
 * genitive column first (also without diacritics: "Jozefa" → "Józef"), then
 * the rules -ego → -y/-i, -a → -∅, -ka → -ek, -Cła → -Ceł, -ńca → -niec.
 * Returns 1 and writes the nominative into out, or 0 when word does not look
 * like a genitive (or out is too small). */
int names_genitive_father(const char *word, char *out, size_t cap);

#endif
