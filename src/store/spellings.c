/*
 * spellings.c — splits an other-spellings list into spellings and remarks
 * (spellings.h) and names the kind of alias a remark describes.
 *
 * Guarantees: no allocation; an item longer than the working buffers is
 * cut at their size, never overrun; the kind is only what the remark says,
 * by the words it contains, never guessed from the spelling itself.
 */
#include "store/spellings.h"

#include <stdio.h>
#include <string.h>

#define ITEM_MAX 1024

/* Trims spaces at both ends, in place. */
static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = '\0';
    return s;
}

/* One item: the text outside parentheses, and the remarks inside them
 * joined by "; " (nested parentheses stay in the remark). */
static void split_item(const char *item, size_t len, char *text, char *note)
{
    size_t tn = 0, nn = 0;
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        char c = item[i];
        if (c == '(') {
            if (depth++ == 0 && nn && nn + 2 < ITEM_MAX) {
                note[nn++] = ';';
                note[nn++] = ' ';
            }
        } else if (c == ')') {
            if (depth)
                depth--;
        } else if (depth) {
            if (nn + 1 < ITEM_MAX)
                note[nn++] = c;
        } else if (tn + 1 < ITEM_MAX) {
            text[tn++] = c;
        }
    }
    text[tn] = '\0';
    note[nn] = '\0';
}

int spellings_each(const char *list, spellings_fn cb, void *ctx)
{
    const char *p = list ? list : "";
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        char text[ITEM_MAX], note[ITEM_MAX];
        split_item(p, len, text, note);
        char *remark = trim(note);
        /* alternatives inside one item share its remark */
        char *save = NULL;
        for (char *alt = strtok_r(text, "=/", &save); alt; alt = strtok_r(NULL, "=/", &save)) {
            char *t = trim(alt);
            /* collapse the double spaces a cut remark leaves */
            char clean[ITEM_MAX];
            size_t w = 0;
            for (const char *r = t; *r && w + 1 < sizeof clean; r++)
                if (!(*r == ' ' && w && clean[w - 1] == ' '))
                    clean[w++] = *r;
            clean[w] = '\0';
            if (!clean[0])
                continue;
            int rc = cb(ctx, clean, remark);
            if (rc)
                return rc;
        }
        if (!semi)
            break;
        p = semi + 1;
    }
    return 0;
}

const char *spellings_kind(const char *remark)
{
    /* Tried in this order, the first phrase found wins: "nom de guerre,
     * later legal name" is a nom de guerre. */
    static const struct {
        const char *phrase, *kind;
    } kinds[] = {
        {"nom de guerre", "nom de guerre"}, {"pseudonym", "pseudonym"},
        {"birth name", "birth name"},       {"maiden name", "maiden name"},
        {"pen name", "pen name"},           {"nickname", "nickname"},
        {"married", "married name"},
    };
    if (remark)
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (strstr(remark, kinds[i].phrase))
                return kinds[i].kind;
    return "other spelling";
}
