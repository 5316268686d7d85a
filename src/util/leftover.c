/*
 * leftover.c — the names of writers' temporary files and the sweep of
 * those a killed writer left (util/leftover.h).
 *
 * Invariant: a file is removed only when its whole name parses as the
 * pattern of the kind for the target (the target's name, the infix, a
 * process id written as the writer writes it, the random part where the
 * kind has one, at most one SQLite suffix), it is a regular file (lstat:
 * a symbolic link is not followed), and its writer is gone (ESRCH).
 */
#include "util/leftover.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RANDOM_LEN 6 /* mkstemp's XXXXXX */

static const struct {
    const char *infix;
    int random; /* "-XXXXXX" after the process id */
    const char *what;
} kinds[] = {
    [KT_LEFTOVER_INIT] = {".init-", 1, "an unfinished new database"},
    [KT_LEFTOVER_BACKUP] = {".partial-", 1, "a partial backup"},
    [KT_LEFTOVER_SNAPSHOT] = {".tmp.", 0, "an unfinished index snapshot"},
};

/* The suffixes SQLite gives the side files of a database. */
static const char *const side_suffixes[] = {"", "-journal", "-wal", "-shm"};

int kt_leftover_name(kt_leftover_kind kind, const char *target, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s%s%ld%s", target, kinds[kind].infix, (long)getpid(),
                     kinds[kind].random ? "-XXXXXX" : "");
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}

/* The process id at the start of s, as "%ld" writes one (no sign, no
 * leading zero, within a pid_t); its length in *len. 0 when there is none. */
static long parse_pid(const char *s, size_t *len)
{
    size_t n = 0;
    long v = 0;
    while (isdigit((unsigned char)s[n])) {
        if (n == 0 && s[n] == '0')
            return 0;
        v = v * 10 + (s[n] - '0');
        if (v > INT_MAX)
            return 0;
        n++;
    }
    *len = n;
    return v;
}

/* Whether name (in target's directory) is kind's file for the target
 * whose last path part is base; its writer's id in *pid. */
static int matches(kt_leftover_kind kind, const char *base, const char *name, long *pid)
{
    size_t blen = strlen(base), ilen = strlen(kinds[kind].infix);
    if (strncmp(name, base, blen) != 0 || strncmp(name + blen, kinds[kind].infix, ilen) != 0)
        return 0;
    const char *p = name + blen + ilen;
    size_t n;
    if (!(*pid = parse_pid(p, &n)))
        return 0;
    p += n;
    if (kinds[kind].random) {
        if (*p++ != '-')
            return 0;
        for (int i = 0; i < RANDOM_LEN; i++, p++)
            if (!isalnum((unsigned char)*p))
                return 0;
    }
    for (size_t i = 0; i < sizeof side_suffixes / sizeof *side_suffixes; i++)
        if (strcmp(p, side_suffixes[i]) == 0)
            return 1;
    return 0;
}

static int writer_gone(long pid)
{
    return kill((pid_t)pid, 0) == -1 && errno == ESRCH;
}

int kt_leftovers_sweep(kt_leftover_kind kind, const char *target, kt_leftover_fn fn,
                       void *ctx, kt_error *err)
{
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    char dir[4096];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (snprintf(dir, sizeof dir, "%.*s", slash == target ? 1 : (int)(slash - target),
                      target) >= (int)sizeof dir) {
        kt_error_set(err, "%s: path too long", target);
        return -1;
    }
    if (!*base)
        return 0;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        kt_error_set(err, "cannot read the directory %s: %s", dir, strerror(errno));
        return -1;
    }
    int found = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long pid;
        if (!matches(kind, base, e->d_name, &pid))
            continue;
        char path[4096 + 256];
        snprintf(path, sizeof path, "%s%s%s", slash ? dir : "",
                 slash && slash != target ? "/" : "", e->d_name);
        struct stat sb;
        if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        kt_leftover l = {.kind = kind, .path = path, .pid = pid};
        if (!writer_gone(pid))
            l.running = 1;
        else if (unlink(path) == 0)
            l.removed = 1;
        else if (errno == ENOENT)
            continue; /* removed meanwhile, by another sweep */
        else
            l.error = errno;
        found++;
        if (fn)
            fn(ctx, &l);
    }
    closedir(d);
    return found;
}

const char *kt_leftover_describe(const kt_leftover *l, char *out, size_t cap)
{
    const char *what = kinds[l->kind].what;
    if (l->running)
        snprintf(out, cap, "kept %s being written by process %ld (still running): %s", what,
                 l->pid, l->path);
    else if (l->removed)
        snprintf(out, cap, "removed %s left by process %ld: %s", what, l->pid, l->path);
    else
        snprintf(out, cap, "cannot remove %s left by process %ld: %s: %s", what, l->pid,
                 l->path, strerror(l->error));
    return out;
}
