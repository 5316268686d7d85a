/*
 * fuzz_readers.c — libFuzzer target for the readers of free text inside
 * records: the fate reader (names/fate.h), the bracketed other names of a
 * whole name (names/othernames.h) and the other-spellings list with its
 * alias kinds (store/spellings.h).
 *
 * Input: the first byte chooses the reader (and, for other names, the name
 * order); the rest is the text. Checks what the headers promise: a fate's
 * kind is NULL or one of the four, its date "" or YYYY, YYYY-MM or
 * YYYY-MM-DD, its texts NUL-terminated, and "found" means a kind or a
 * burial place; names_fate_kind agrees with itself; at most `max` other
 * names, each of a known kind, NUL-terminated, and the plain name too;
 * every spelling's kind one of the store's alias kinds, and a callback's
 * non-zero return stops the walk and is returned. Each reader twice: the
 * same answer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "names/fate.h"
#include "names/othernames.h"
#include "store/spellings.h"
#include "store/store.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static int terminated(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int date_shape(const char *d)
{
    size_t n = strlen(d);
    if (n == 0)
        return 1;
    if (n != 4 && n != 7 && n != 10)
        return 0;
    return digits(d, 4) && (n == 4 || (d[4] == '-' && digits(d + 5, 2) &&
                                        (n == 7 || (d[7] == '-' && digits(d + 8, 2)))));
}

static int known_fate(const char *k)
{
    return !k || !strcmp(k, NAMES_FATE_SHOT) || !strcmp(k, NAMES_FATE_DIED) ||
           !strcmp(k, NAMES_FATE_RELEASED) || !strcmp(k, NAMES_FATE_MISSING);
}

static void fate(const char *text)
{
    names_fate a, b;
    memset(&a, 0x5A, sizeof a);
    int found = names_find_fate(text, &a);
    CHECK(found == 0 || found == 1);
    CHECK(known_fate(a.kind));
    CHECK(terminated(a.date, sizeof a.date) && terminated(a.place, sizeof a.place) &&
          terminated(a.burial, sizeof a.burial));
    CHECK(date_shape(a.date));
    CHECK(found == (a.kind != NULL || a.burial[0] != '\0'));
    CHECK(names_find_fate(text, &b) == found);
    CHECK(a.kind == b.kind && !strcmp(a.date, b.date) && !strcmp(a.place, b.place) &&
          !strcmp(a.burial, b.burial));
    const char *k = names_fate_kind(text);
    CHECK(known_fate(k));
    CHECK(names_fate_kind(text) == k);
}

static void other_names(const char *text, int given_first)
{
    enum { MAX = 6 };
    names_other out[MAX + 1], again[MAX + 1];
    char plain[256], plain2[256];
    memset(out, 0x5A, sizeof out);
    memset(&out[MAX], 0x33, sizeof out[MAX]);
    size_t n = names_other_names(text, given_first, out, MAX, plain, sizeof plain);
    CHECK(n <= MAX);
    CHECK(out[MAX].name[0] == 0x33); /* nothing written past max */
    CHECK(terminated(plain, sizeof plain));
    for (size_t i = 0; i < n; i++) {
        CHECK(out[i].kind >= 0 && out[i].kind < NAMES_OTHER_NKINDS);
        CHECK(names_other_kinds[out[i].kind] != NULL);
        CHECK(terminated(out[i].name, sizeof out[i].name));
    }
    CHECK(names_other_names(text, given_first, again, MAX, plain2, sizeof plain2) == n);
    CHECK(!strcmp(plain, plain2));
    for (size_t i = 0; i < n; i++)
        CHECK(again[i].kind == out[i].kind && !strcmp(again[i].name, out[i].name));
    /* a tiny buffer for the plain name: still terminated */
    char small[3];
    names_other_names(text, given_first, out, 1, small, sizeof small);
    CHECK(terminated(small, sizeof small));
}

typedef struct walk {
    long calls, stop_at;
} walk;

static int each_spelling(void *ctx, const char *spelling, const char *remark)
{
    walk *w = ctx;
    CHECK(spelling && remark);
    (void)strlen(spelling);
    const char *kind = spellings_kind(remark);
    int known = 0;
    for (int i = 0; i < STORE_ALIAS_NKINDS; i++)
        known |= kind && !strcmp(kind, store_alias_kinds[i]);
    CHECK(known);
    return ++w->calls == w->stop_at ? 7 : 0;
}

static void spellings(const char *text)
{
    walk all = {0, -1};
    CHECK(spellings_each(text, each_spelling, &all) == 0);
    if (all.calls > 0) {
        walk first = {0, 1};
        CHECK(spellings_each(text, each_spelling, &first) == 7);
        CHECK(first.calls == 1);
    }
    walk again = {0, -1};
    spellings_each(text, each_spelling, &again);
    CHECK(again.calls == all.calls);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size < 1)
        return 0;
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, bytes + 1, size - 1);
    text[size - 1] = '\0';
    switch (bytes[0] % 4) {
    case 0: fate(text); break;
    case 1: other_names(text, 0); break;
    case 2: other_names(text, 1); break;
    default: spellings(text); break;
    }
    free(text);
    return 0;
}
