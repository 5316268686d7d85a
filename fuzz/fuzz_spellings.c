/*
 * fuzz_spellings.c — libFuzzer target for the reader of a list of other
 * spellings ("A; B (remark); C = D (remark); E / F (remark)") and the alias
 * kind a remark names (store/spellings.h), on arbitrary bytes.
 *
 * Checks what the header promises: every spelling and remark handed over
 * is a string, every remark's kind one of the kinds the store accepts
 * (store_alias_kinds), any text read as a remark too; a callback's
 * non-zero return stops the walk and is what spellings_each returns; the
 * same list read twice gives as many spellings. (The fate reader and a
 * whole name's bracketed other names are fuzz_fate's.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/spellings.h"
#include "store/store.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

typedef struct walk {
    long calls, stop_at;
} walk;

static int known_kind(const char *kind)
{
    for (int i = 0; i < STORE_ALIAS_NKINDS; i++)
        if (kind && !strcmp(kind, store_alias_kinds[i]))
            return 1;
    return 0;
}

static int each_spelling(void *ctx, const char *spelling, const char *remark)
{
    walk *w = ctx;
    CHECK(spelling && remark);
    (void)strlen(spelling);
    CHECK(known_kind(spellings_kind(remark)));
    return ++w->calls == w->stop_at ? 7 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, bytes, size);
    text[size] = '\0';
    CHECK(known_kind(spellings_kind(text)));
    walk all = {0, -1};
    CHECK(spellings_each(text, each_spelling, &all) == 0);
    if (all.calls > 0) {
        walk first = {0, 1};
        CHECK(spellings_each(text, each_spelling, &first) == 7);
        CHECK(first.calls == 1);
    }
    walk again = {0, -1};
    CHECK(spellings_each(text, each_spelling, &again) == 0);
    CHECK(again.calls == all.calls);
    free(text);
    return 0;
}
