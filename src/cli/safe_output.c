/*
 * safe_output.c — standard output and standard error that a record cannot
 * use to drive the terminal.
 *
 * Records are stored and shown as their sources give them, and a list may
 * hold anything: an ESC sequence in a surname would clear the screen, set
 * the window title or worse when `kartoteka records` prints it. So every
 * byte the commands write passes through a filter that turns C0 control
 * characters (below U+0020) other than line feed and tab into U+FFFD, one
 * column wide like most of them. JSON output is not changed by that:
 * jansson writes every C0 character as \uXXXX. On a terminal the filter
 * also replaces DEL and the C1 range U+0080–U+009F, which some terminals
 * obey as ESC sequences; into a pipe or a file those pass, so that JSON,
 * which jansson writes with them as they are, stays exact there.
 * The data in the store is untouched.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

typedef struct safe_stream {
    int fd;
    int terminal;   /* also DEL and C1 */
    int pending_c2; /* the last byte written was 0xC2: a C1 control may follow */
} safe_stream;

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static ssize_t safe_write(void *cookie, const char *buf, size_t n)
{
    safe_stream *s = cookie;
    char out[4096];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)buf[i];
        if (o + 8 > sizeof out) {
            if (write_all(s->fd, out, o))
                return -1;
            o = 0;
        }
        if (s->pending_c2) {
            s->pending_c2 = 0;
            if (b >= 0x80 && b <= 0x9F) { /* U+0080..U+009F */
                for (size_t k = 0; k < 3; k++)
                    out[o++] = replacement[k];
                continue;
            }
            out[o++] = (char)0xC2;
        }
        if (b == 0xC2 && s->terminal) {
            s->pending_c2 = 1;
        } else if ((b < 0x20 && b != '\n' && b != '\t') || (b == 0x7F && s->terminal)) {
            for (size_t k = 0; k < 3; k++)
                out[o++] = replacement[k];
        } else {
            out[o++] = (char)b;
        }
    }
    if (o && write_all(s->fd, out, o))
        return -1;
    return (ssize_t)n;
}

static int safe_close(void *cookie)
{
    safe_stream *s = cookie;
    int rc = 0;
    if (s->pending_c2) /* a lone 0xC2 at the very end: not ours to drop */
        rc = write_all(s->fd, "\xC2", 1);
    s->pending_c2 = 0;
    return rc;
}

/* The two streams' state lives as long as the process (stdout and stderr
 * are flushed at exit, not closed). */
static safe_stream streams[2];

/* A filtering stream over fd (in streams[which]), or NULL (then the plain
 * stream stays). */
static FILE *safe_stream_open(int which, int fd, int unbuffered)
{
    safe_stream *s = &streams[which];
    s->fd = fd;
    s->pending_c2 = 0;
    s->terminal = isatty(fd);
    FILE *f = fopencookie(s, "w", (cookie_io_functions_t){.write = safe_write,
                                                           .close = safe_close});
    if (!f)
        return NULL;
    setvbuf(f, NULL, unbuffered ? _IONBF : s->terminal ? _IOLBF : _IOFBF, BUFSIZ);
    return f;
}

void cli_safe_output(void)
{
    fflush(stdout);
    fflush(stderr);
    /* glibc lets stdout and stderr be set like any variable. */
    FILE *out = safe_stream_open(0, STDOUT_FILENO, 0);
    if (out)
        stdout = out;
    FILE *err = safe_stream_open(1, STDERR_FILENO, 1);
    if (err)
        stderr = err;
}
