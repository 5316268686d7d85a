/*
 * othernames.c — names in brackets inside a whole name (names/othernames.h).
 *
 * One pass: words outside brackets go to the plain name and are counted;
 * each bracket is read after the plain word it follows, and its kind is
 * decided when the whole name is known (whether the word before it was the
 * surname, a given name or the final patronymic).
 */
#include "names/othernames.h"

#include <stdio.h>
#include <string.h>

#include "names/names.h"

const char *const names_other_kinds[NAMES_OTHER_NKINDS] = {
    "other surname", "other given name", "other patronymic", "whole other name"};

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copies s[0..n) trimmed, spaces squeezed, into out. */
static void put_trimmed(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        if (is_space(s[i])) {
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = 0;
        out[o++] = s[i];
    }
    out[o] = '\0';
}

size_t names_other_names(const char *whole, int given_first, names_other *out, size_t max,
                         char *plain, size_t cap)
{
    enum { MAXB = 8 };
    struct bracket {
        const char *s;
        size_t len;
        int after; /* plain words before it */
    } br[MAXB];
    size_t nb = 0, pn = 0;
    int words = 0;
    const char *last_word = NULL;
    size_t last_len = 0, prev_len = 0;
    const char *prev_word = NULL;
    plain[0] = '\0';
    for (const char *p = whole ? whole : ""; *p;) {
        if (is_space(*p)) {
            p++;
            continue;
        }
        if (*p == '(') {
            const char *close = strchr(p, ')');
            const char *e = close ? close : p + strlen(p);
            if (nb < MAXB)
                br[nb++] = (struct bracket){p + 1, (size_t)(e - p - 1), words};
            p = close ? close + 1 : e;
            continue;
        }
        const char *s = p;
        while (*p && !is_space(*p) && *p != '(')
            p++;
        size_t l = (size_t)(p - s);
        if (pn + l + 2 < cap) {
            if (pn)
                plain[pn++] = ' ';
            memcpy(plain + pn, s, l);
            pn += l;
            plain[pn] = '\0';
        }
        prev_word = last_word;
        prev_len = last_len;
        last_word = s;
        last_len = l;
        words++;
    }
    /* where the patronymic stands, if there is one (-1: none) */
    int pat = -1;
    if (words >= 3 && !given_first && names_is_patronymic(last_word, last_len))
        pat = words;
    if (words >= 3 && given_first && names_is_patronymic(prev_word, prev_len))
        pat = words - 1;
    size_t n = 0;
    for (size_t b = 0; b < nb; b++) {
        /* each comma-separated name in the bracket */
        const char *s = br[b].s, *end = br[b].s + br[b].len;
        while (s < end && n < max) {
            const char *c = memchr(s, ',', (size_t)(end - s));
            const char *e = c ? c : end;
            names_other *o = &out[n];
            put_trimmed(s, (size_t)(e - s), o->name, sizeof o->name);
            s = c ? c + 1 : end;
            if (!o->name[0])
                continue;
            int after = br[b].after;
            if (strchr(o->name, ' '))
                o->kind = NAMES_OTHER_WHOLE;
            else if (after == pat)
                o->kind = NAMES_OTHER_PATRONYMIC;
            else if (given_first ? after == words : after <= 1)
                o->kind = NAMES_OTHER_SURNAME;
            else
                o->kind = NAMES_OTHER_GIVEN;
            n++;
        }
    }
    return n;
}
