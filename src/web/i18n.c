/*
 * i18n.c — which language a page speaks: Polish or English. The choice is
 * the user's first (?lang=pl|en, then remembered in the "lang" cookie),
 * else the browser's (Accept-Language, by q-value), else English. The page
 * text itself is in web/i18n.js; the server only chooses.
 */
#include "web/web_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *known(const char *tag, size_t n)
{
    if (n >= 2 && !strncasecmp(tag, "pl", 2) && (n == 2 || tag[2] == '-'))
        return "pl";
    if (n >= 2 && !strncasecmp(tag, "en", 2) && (n == 2 || tag[2] == '-'))
        return "en";
    return NULL;
}

/* The value of cookie `name` in a Cookie header, length in *n. */
static const char *cookie_value(const char *cookies, const char *name, size_t *n)
{
    size_t len = strlen(name);
    for (const char *p = cookies; p && *p;) {
        p += strspn(p, " ;");
        size_t k = strcspn(p, ";");
        if (k > len && !strncmp(p, name, len) && p[len] == '=') {
            *n = k - len - 1;
            return p + len + 1;
        }
        p += k;
    }
    return NULL;
}

/* "pl-PL,pl;q=0.9,en;q=0.8": the known language with the highest q. */
static const char *from_accept(const char *accept)
{
    const char *best = NULL;
    double best_q = 0;
    for (const char *p = accept; p && *p;) {
        p += strspn(p, " ,");
        size_t item = strcspn(p, ",");
        size_t tag = strcspn(p, ";, ");
        if (tag > item)
            tag = item;
        double q = 1;
        const char *qs = p + tag;
        while (qs < p + item && (*qs == ' ' || *qs == ';'))
            qs++;
        if (qs + 2 <= p + item && !strncmp(qs, "q=", 2))
            q = strtod(qs + 2, NULL);
        const char *lang = known(p, tag);
        if (lang && q > best_q) {
            best = lang;
            best_q = q;
        }
        p += item;
    }
    return best;
}

const char *web_language(const web_request *req, int *from_arg)
{
    *from_arg = 0;
    const char *a = req->arg ? req->arg(req->arg_ctx, "lang") : NULL;
    const char *lang = a ? known(a, strlen(a)) : NULL;
    if (lang) {
        *from_arg = 1;
        return lang;
    }
    size_t n = 0;
    const char *c = cookie_value(req->cookie, "lang", &n);
    if (c && (lang = known(c, n)))
        return lang;
    lang = from_accept(req->accept_language);
    return lang ? lang : "en";
}
