/*
 * cache.c — answers to /api/search kept for the next identical request:
 * people look for the same names again and again, and an answer costs the
 * name engine's full comparison of every candidate. Direct-mapped (a new
 * answer replaces whatever sat in its slot), with one lock per stripe of
 * slots, and a generation number: after a write the index changes, the
 * generation moves on, and every older answer is a miss.
 */
#include "web/web_internal.h"

#include <stdlib.h>
#include <string.h>

#define STRIPES 64

typedef struct cache_slot {
    char *key;
    char *body;
    size_t len;
    char etag[24];
    unsigned long generation;
} cache_slot;

struct web_cache {
    size_t nslots;
    cache_slot *slots;
    pthread_mutex_t locks[STRIPES];
    unsigned long generation; /* read and moved under every lock */
};

web_cache *web_cache_new(size_t nslots)
{
    web_cache *c = calloc(1, sizeof *c);
    if (!c || !(c->slots = calloc(nslots ? nslots : 1, sizeof *c->slots))) {
        free(c);
        return NULL;
    }
    c->nslots = nslots ? nslots : 1;
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&c->locks[i], NULL);
    return c;
}

void web_cache_free(web_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nslots; i++) {
        free(c->slots[i].key);
        free(c->slots[i].body);
    }
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_destroy(&c->locks[i]);
    free(c->slots);
    free(c);
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

int web_cache_get(web_cache *c, const char *key, web_response *res)
{
    if (!c)
        return 0;
    uint64_t h = hash(key);
    size_t i = h % c->nslots;
    pthread_mutex_t *lock = &c->locks[i % STRIPES];
    int hit = 0;
    pthread_mutex_lock(lock);
    cache_slot *s = &c->slots[i];
    if (s->key && s->generation == c->generation && !strcmp(s->key, key)) {
        char *body = malloc(s->len + 1);
        if (body) {
            memcpy(body, s->body, s->len + 1);
            res->status = 200;
            res->body = body;
            res->len = s->len;
            res->owned = 1;
            res->content_type = "application/json; charset=utf-8";
            memcpy(res->etag, s->etag, sizeof res->etag);
            hit = 1;
        }
    }
    pthread_mutex_unlock(lock);
    return hit;
}

void web_cache_put(web_cache *c, const char *key, const web_response *res)
{
    if (!c || res->status != 200)
        return;
    char *k = strdup(key), *b = malloc(res->len + 1);
    if (!k || !b) {
        free(k);
        free(b);
        return;
    }
    memcpy(b, res->body, res->len);
    b[res->len] = '\0';
    size_t i = hash(key) % c->nslots;
    pthread_mutex_t *lock = &c->locks[i % STRIPES];
    pthread_mutex_lock(lock);
    cache_slot *s = &c->slots[i];
    free(s->key);
    free(s->body);
    s->key = k;
    s->body = b;
    s->len = res->len;
    memcpy(s->etag, res->etag, sizeof s->etag);
    s->generation = c->generation;
    pthread_mutex_unlock(lock);
}

void web_cache_clear(web_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_lock(&c->locks[i]);
    c->generation++;
    for (int i = STRIPES - 1; i >= 0; i--)
        pthread_mutex_unlock(&c->locks[i]);
}
