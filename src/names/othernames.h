/*
 * othernames.h — the other names a list writes in brackets inside a whole
 * name: "Лещиньский (Ленский) Юлиан Марьянович" (another surname),
 * "Шидловский Иван (Ян) Антонович" (another given name), "Радомский Петр
 * Михайлович (Дорофеевич)" (another patronymic), "Уманский Михаил
 * Васильевич (Гюнсберг Маврикий Карлович)" (a whole other name).
 *
 * Pure: no I/O, no allocation; thread-safe.
 */
#ifndef KT_NAMES_OTHERNAMES_H
#define KT_NAMES_OTHERNAMES_H

#include <stddef.h>

enum {
    NAMES_OTHER_SURNAME,    /* the bracket follows the surname */
    NAMES_OTHER_GIVEN,      /* ... a given name */
    NAMES_OTHER_PATRONYMIC, /* ... the patronymic, and holds one word */
    NAMES_OTHER_WHOLE,      /* holds two words or more: a whole name */
    NAMES_OTHER_NKINDS
};

/* "other surname", "other given name", "other patronymic", "whole other
 * name": the kinds as the store keeps them. */
extern const char *const names_other_kinds[NAMES_OTHER_NKINDS];

typedef struct names_other {
    int kind;
    char name[128]; /* as written, without the brackets */
} names_other;

/* Reads the bracketed names of a whole name. given_first says the order
 * ("Имя Фамилия"); a bracket holding names separated by commas gives one
 * other name each ("(Афремова, Глебова-Афремова)"). Writes the name
 * without its brackets into plain (cap bytes; words one space apart) and
 * up to max other names into out; returns how many. */
size_t names_other_names(const char *whole, int given_first, names_other *out, size_t max,
                         char *plain, size_t cap);

#endif
