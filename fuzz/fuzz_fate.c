/*
 * fuzz_fate.c — libFuzzer target for the readers of a record's free text
 * and whole name: names_find_fate, names_fate_kind (names/fate.h) and
 * names_other_names (names/othernames.h), on arbitrary bytes.
 *
 * Checks what the headers promise: a kind is one of the four or none, the
 * same for both readers' first word; a date is YYYY, YYYY-MM or YYYY-MM-DD;
 * every output NUL-terminated within its buffer; the name without brackets
 * holds no '(' and no more other names are given than asked for.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "names/fate.h"
#include "names/othernames.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static int known_kind(const char *k)
{
    return !k || !strcmp(k, NAMES_FATE_SHOT) || !strcmp(k, NAMES_FATE_DIED) ||
           !strcmp(k, NAMES_FATE_RELEASED) || !strcmp(k, NAMES_FATE_MISSING);
}

static int iso_date(const char *d)
{
    size_t n = strlen(d);
    if (n == 0)
        return 1;
    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((i == 4 || i == 7) ? d[i] != '-' : (d[i] < '0' || d[i] > '9'))
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    names_fate f;
    int found = names_find_fate(text, &f);
    CHECK(found == 0 || found == 1);
    CHECK(known_kind(f.kind));
    CHECK(memchr(f.date, '\0', sizeof f.date) && iso_date(f.date));
    CHECK(memchr(f.place, '\0', sizeof f.place));
    CHECK(memchr(f.burial, '\0', sizeof f.burial));
    CHECK(found == (f.kind != NULL || f.burial[0] != '\0'));
    CHECK(known_kind(names_fate_kind(text)));

    names_other o[4];
    char plain[256];
    for (int given_first = 0; given_first < 2; given_first++) {
        size_t n = names_other_names(text, given_first, o, 4, plain, sizeof plain);
        CHECK(n <= 4);
        CHECK(memchr(plain, '\0', sizeof plain) && !strchr(plain, '('));
        for (size_t i = 0; i < n; i++) {
            CHECK(o[i].kind >= 0 && o[i].kind < NAMES_OTHER_NKINDS);
            CHECK(memchr(o[i].name, '\0', sizeof o[i].name) && o[i].name[0]);
        }
    }
    free(text);
    return 0;
}
