/*
 * fuzz_query.c — libFuzzer target for the query parser and the year-of-birth
 * finder (names/query.h, names/year.h) on arbitrary bytes.
 *
 * Checks what the headers promise: the parse fills at most
 * NAMES_QUERY_MAX_WORDS NUL-terminated words, kinds are known, the year is 0
 * or plausible, the year's span lies inside the text; and the probe built
 * from the query (names_probe_text) agrees on the word count.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "names/names.h"
#include "names/query.h"
#include "names/year.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static int terminated(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, bytes, size);
    text[size] = '\0';
    size_t len = strlen(text);

    size_t span[2] = {(size_t)-1, (size_t)-1};
    int year = names_find_birth_year(text, span);
    if (year != 0) {
        CHECK(span[0] <= span[1] && span[1] <= len);
        /* The span alone states the same year. */
        char *part = strndup(text + span[0], span[1] - span[0]);
        if (part) {
            CHECK(names_find_birth_year(part, NULL) == year);
            free(part);
        }
    }
    CHECK(names_find_birth_year(text, NULL) == year);

    names_query q;
    int n = names_query_parse(text, &q);
    if (n >= 0) {
        CHECK(n == q.n_words && n <= NAMES_QUERY_MAX_WORDS);
        for (int i = 0; i < q.n_words; i++) {
            CHECK(terminated(q.words[i].text, sizeof q.words[i].text));
            CHECK(q.words[i].text[0] != '\0');
            CHECK(q.words[i].kind >= NAMES_WORD_NAME &&
                  q.words[i].kind <= NAMES_WORD_FATHER);
        }
        CHECK(terminated(q.camp, sizeof q.camp));
        CHECK(terminated(q.site, sizeof q.site));
        CHECK(terminated(q.father, sizeof q.father));
        CHECK(q.birth_year >= 0);

        names_query again;
        CHECK(names_query_parse(text, &again) == n);
        CHECK(again.birth_year == q.birth_year && again.rank == q.rank);
    }

    names_probe p;
    int pn = names_probe_text(text, &p);
    CHECK((pn < 0) == (n < 0));
    if (pn >= 0)
        CHECK(p.nwords <= NAMES_QWORDS_MAX);

    free(text);
    return 0;
}
