/*
 * year.h — finding a year of birth inside free text, in the ways Polish and
 * Russian sources and users write it: "род. 1884, Лифляндская губ.",
 * "ur. 1893", "ur. 25 XII 1893", "1893 г.р.", "1893 г. р.", "b. 1893",
 * "born 1893", "25.12.1893", or a bare "1893" in a query. Pure, no I/O.
 */
#ifndef KT_NAMES_YEAR_H
#define KT_NAMES_YEAR_H

#include <stddef.h>

/* The year of birth stated in text (UTF-8), or 0 when none is found.
 * Marked years ("род.", "ur.", "г.р.", "born"...) win over bare ones; a bare
 * year counts only when it is the only plausible one (1840..1945) and is not
 * marked as something else (e.g. "Рассстрелян 17.05.1938" is a death date).
 * If span is non-NULL it receives the byte offsets [start, end) of the text
 * that stated the year (the marker included), so a query parser can cut it. */
int names_find_birth_year(const char *text, size_t span[2]);

#endif
