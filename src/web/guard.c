/*
 * guard.c — the server's connections, each on the clock until its
 * request's head is in (guard.h). A list under a mutex; the watchdog
 * looks at it five times a second and shuts down the socket of each
 * connection past its time, which libmicrohttpd then sees as closed by
 * the client and cleans up itself.
 *
 * An entry leaves the list when libmicrohttpd says the connection is
 * closed (MHD_CONNECTION_NOTIFY_CLOSED), which it does before it closes
 * the socket; the watchdog shuts a socket down only with the mutex held
 * and its entry in the list, so never a socket number already given to
 * another connection.
 */
#include "web/guard.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

typedef struct guarded {
    struct guarded *prev, *next;
    int fd;
    int on_clock;        /* waiting for a request's head */
    int shut;            /* shut down by the watchdog */
    struct timespec since; /* on the clock since */
} guarded;

struct web_guard {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    int stop;
    unsigned timeout;
    unsigned open;
    guarded head; /* list sentinel */
};

static double seconds_since(const struct timespec *t, const struct timespec *now)
{
    return (double)(now->tv_sec - t->tv_sec) + (double)(now->tv_nsec - t->tv_nsec) / 1e9;
}

static void *watch(void *arg)
{
    web_guard *g = arg;
    pthread_mutex_lock(&g->lock);
    while (!g->stop) {
        struct timespec now, until;
        clock_gettime(CLOCK_MONOTONIC, &now);
        for (guarded *e = g->head.next; e != &g->head; e = e->next)
            if (e->on_clock && !e->shut && seconds_since(&e->since, &now) >= g->timeout) {
                shutdown(e->fd, SHUT_RDWR);
                e->shut = 1;
            }
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&g->wake, &g->lock, &until);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

web_guard *web_guard_new(unsigned timeout)
{
    web_guard *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->timeout = timeout;
    g->head.next = g->head.prev = &g->head;
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->wake, NULL);
    if (pthread_create(&g->thread, NULL, watch, g) != 0) {
        pthread_mutex_destroy(&g->lock);
        pthread_cond_destroy(&g->wake);
        free(g);
        return NULL;
    }
    return g;
}

void web_guard_free(web_guard *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    g->stop = 1;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->thread, NULL);
    while (g->head.next != &g->head) { /* none left once the daemon stopped */
        guarded *e = g->head.next;
        g->head.next = e->next;
        free(e);
    }
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->wake);
    free(g);
}

void web_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                      enum MHD_ConnectionNotificationCode toe)
{
    web_guard *g = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        guarded *e = info ? calloc(1, sizeof *e) : NULL;
        if (!e)
            return; /* not watched: libmicrohttpd's own timeout still holds */
        e->fd = info->connect_fd;
        e->on_clock = 1;
        clock_gettime(CLOCK_MONOTONIC, &e->since);
        pthread_mutex_lock(&g->lock);
        e->next = g->head.next;
        e->prev = &g->head;
        g->head.next->prev = e;
        g->head.next = e;
        g->open++;
        pthread_mutex_unlock(&g->lock);
        *socket_context = e;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        guarded *e = *socket_context;
        pthread_mutex_lock(&g->lock);
        e->prev->next = e->next;
        e->next->prev = e->prev;
        g->open--;
        pthread_mutex_unlock(&g->lock);
        free(e);
        *socket_context = NULL;
    }
}

static guarded *entry_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

unsigned web_guard_head_in(web_guard *g, struct MHD_Connection *c)
{
    guarded *e = entry_of(c);
    pthread_mutex_lock(&g->lock);
    if (e)
        e->on_clock = 0;
    unsigned open = g->open;
    pthread_mutex_unlock(&g->lock);
    return open;
}

void web_guard_done(web_guard *g, struct MHD_Connection *c)
{
    guarded *e = entry_of(c);
    if (!e)
        return;
    pthread_mutex_lock(&g->lock);
    e->on_clock = 1;
    clock_gettime(CLOCK_MONOTONIC, &e->since);
    pthread_mutex_unlock(&g->lock);
}
