/*
 * assets.c — the pages: one HTML shell (web/index.html) for every page
 * path, and its script, style and vendored libraries under /static/, all
 * embedded in the binary from web/ (util/embedded.h), so the server needs
 * no files and no network. The shell is served in the chosen language
 * (<html lang=...>), which the script reads. An address that is no page
 * (and not under /static/ or /api/) gets the shell too, with status 404:
 * the script says there is no such page and offers the search.
 */
#include "web/web_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/embedded.h"

/* Paths the page script draws (web/app.js routes on them). */
static int page_path(const char *p)
{
    static const char *const pages[] = {"/", "/figures", "/events", "/places",
                                        "/sources", "/documents", "/persons",
                                        "/search", "/record"};
    static const char *const prefixes[] = {"/record/", "/person/", "/place/", "/figures/"};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (!strcmp(p, pages[i]))
            return 1;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (!strncmp(p, prefixes[i], strlen(prefixes[i])) && p[strlen(prefixes[i])] &&
            !strchr(p + strlen(prefixes[i]), '/'))
            return 1;
    return 0;
}

static const char *content_type(const char *path)
{
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".txt", "text/plain; charset=utf-8"},
        {".md", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

static void not_found(web_response *res, const char *path)
{
    static const char text[] = "404 not found\n";
    (void)path;
    res->status = 404;
    res->body = text;
    res->len = sizeof text - 1;
    res->content_type = "text/plain; charset=utf-8";
}

/* The shell with {{LANG}} replaced. */
static void shell(const kt_blob *b, const char *lang, web_response *res)
{
    const char *mark = strstr(b->data, "{{LANG}}");
    if (!mark) {
        res->body = b->data;
        res->len = b->len;
    } else {
        size_t pre = (size_t)(mark - b->data), n = b->len - 8 + 2;
        char *out = malloc(n + 1);
        if (!out) {
            res->status = 500;
            return;
        }
        memcpy(out, b->data, pre);
        memcpy(out + pre, lang, 2);
        memcpy(out + pre + 2, mark + 8, b->len - pre - 8);
        out[n] = '\0';
        res->body = out;
        res->len = n;
        res->owned = 1;
    }
    res->status = 200;
    res->content_type = "text/html; charset=utf-8";
    res->content_language = lang;
}

void web_assets(web_app *app, const web_request *req, web_response *res)
{
    (void)app;
    if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
        static const char text[] = "405 method not allowed\n";
        res->status = 405;
        res->body = text;
        res->len = sizeof text - 1;
        res->content_type = "text/plain; charset=utf-8";
        return;
    }
    int page = page_path(req->path);
    if (page || strncmp(req->path, "/static/", 8)) {
        const kt_blob *b = kt_embedded("web/index.html");
        if (!b) {
            not_found(res, req->path);
            return;
        }
        int from_arg;
        const char *lang = web_language(req, &from_arg);
        shell(b, lang, res);
        if (from_arg)
            snprintf(res->set_cookie, sizeof res->set_cookie,
                     "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax", lang);
        res->cache_control = "no-cache";
        if (!page && res->status == 200)
            res->status = 404;
        else
            web_set_etag(res);
        return;
    }
    char path[300];
    if (strstr(req->path, "..") ||
        snprintf(path, sizeof path, "web/%s", req->path + 8) >= (int)sizeof path) {
        not_found(res, req->path);
        return;
    }
    const kt_blob *b = kt_embedded(path);
    if (!b) {
        not_found(res, req->path);
        return;
    }
    res->status = 200;
    res->body = b->data;
    res->len = b->len;
    res->content_type = content_type(path);
    res->cache_control = "no-cache";
    web_set_etag(res);
}
