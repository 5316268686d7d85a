/*
 * guard.h — what server.c asks of guard.c (not a public header): the
 * server's open connections, counted, and each one's time to send its
 * request's head.
 *
 * A connection has `timeout` seconds from its start, and again from the
 * end of each request, to send the whole head of its next request (the
 * request line and headers). One that has not — a slow client trickling
 * its header bytes, or one that sends nothing — is closed by a watchdog
 * thread, whatever bytes still trickle in: libmicrohttpd's own timeout
 * counts from the last byte received, so one byte every few seconds
 * would keep a connection for ever. A request's body is not on this
 * clock (an upload may take long); libmicrohttpd's idle timeout and the
 * body cap bound it.
 */
#ifndef KT_WEB_GUARD_H
#define KT_WEB_GUARD_H

#include <microhttpd.h>

typedef struct web_guard web_guard;

/* Starts the watchdog; NULL when out of memory or threads. */
web_guard *web_guard_new(unsigned timeout);
/* Stops the watchdog and frees; after the daemon has stopped. */
void web_guard_free(web_guard *g);
/* For MHD_OPTION_NOTIFY_CONNECTION, with g as its argument. */
void web_guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                      enum MHD_ConnectionNotificationCode toe);
/* A request's head is in: its connection is off the clock. Returns the
 * number of connections open. */
unsigned web_guard_head_in(web_guard *g, struct MHD_Connection *c);
/* The request is answered: the connection's clock starts again. */
void web_guard_done(web_guard *g, struct MHD_Connection *c);

#endif
