/*
 * leftover.h — the temporary files a writer makes beside its target (a
 * database being created, a backup being copied, an index snapshot being
 * written) and renames or removes when it is done. A writer killed on the
 * way (SIGKILL, a power cut) leaves its file behind for ever; so the name
 * carries the writer's process id, and the next writer of the same kind
 * (or `kartoteka check`) removes the files of the same target whose
 * writer is gone, never those of a writer still running.
 *
 * The names, for a target T and a writer with process id PID:
 *   KT_LEFTOVER_INIT      T.init-PID-XXXXXX     (mkstemp fills XXXXXX)
 *   KT_LEFTOVER_BACKUP    T.partial-PID-XXXXXX
 *   KT_LEFTOVER_SNAPSHOT  T.tmp.PID
 * each possibly followed by an SQLite side file's suffix (-journal, -wal,
 * -shm) of the temporary database. Nothing else is ever removed: not
 * another target's files, not a name that differs from the pattern in
 * one character, not a directory or a symbolic link.
 *
 * A writer is gone when kill(PID, 0) fails with ESRCH. A running process
 * that has since taken the same id keeps the file (the safe mistake);
 * processes of another host or PID namespace writing into the same
 * directory are not told apart (the registry is one machine's).
 */
#ifndef KT_LEFTOVER_H
#define KT_LEFTOVER_H

#include <stddef.h>

#include "util/error.h"

typedef enum kt_leftover_kind {
    KT_LEFTOVER_INIT,     /* a database being created (kartoteka init) */
    KT_LEFTOVER_BACKUP,   /* a backup being copied */
    KT_LEFTOVER_SNAPSHOT, /* an index snapshot being written */
} kt_leftover_kind;

/* The temporary name a writer of this kind, in this process, uses beside
 * target: for INIT and BACKUP a template for mkstemp (ending in XXXXXX).
 * 0, or -1 when it does not fit in cap bytes. */
int kt_leftover_name(kt_leftover_kind kind, const char *target, char *out, size_t cap);

/* One file a writer left. */
typedef struct kt_leftover {
    kt_leftover_kind kind;
    const char *path;  /* as found: target's directory + the name */
    long pid;          /* its writer */
    int running;       /* the writer still runs: the file was kept */
    int removed;       /* the writer is gone and the file was removed */
    int error;         /* the writer is gone but the removal failed: errno */
} kt_leftover;

/* Receives each leftover found (l->path valid during the call only). */
typedef void (*kt_leftover_fn)(void *ctx, const kt_leftover *l);

/* Looks in target's directory for the files of kind's pattern for target,
 * removes those whose writer is gone and passes each one found to fn (may
 * be NULL). Returns how many were found, or -1 with err set when the
 * directory cannot be read (a directory that does not exist holds none). */
int kt_leftovers_sweep(kt_leftover_kind kind, const char *target, kt_leftover_fn fn,
                       void *ctx, kt_error *err);

/* One line saying what happened to l, for a message: "removed a partial
 * backup left by process 4242: /srv/b.db.partial-4242-Ab12Cd", "kept ...
 * being written by process N (still running): FILE", "cannot remove ...:
 * REASON". Returns out. */
const char *kt_leftover_describe(const kt_leftover *l, char *out, size_t cap);

#endif
