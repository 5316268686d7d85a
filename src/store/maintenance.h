/*
 * maintenance.h — keeping a store whole: an online backup, a restore from
 * one, and a check of everything the store promises about itself.
 *
 * Backup and restore go through SQLite's online backup API, so they are
 * safe while other processes (an import, the web server) read or write the
 * same database: a backup is one consistent snapshot, a restore one
 * transaction that readers see before or after, never between.
 *
 * Library code: never prints, never exits; errors go to a kt_error.
 */
#ifndef KT_STORE_MAINTENANCE_H
#define KT_STORE_MAINTENANCE_H

#include <stdint.h>

#include "store/store.h"
#include "util/error.h"

typedef struct store_backup_result {
    int64_t pages;       /* database pages copied */
    int64_t bytes;       /* size of the backup file */
    int64_t sources, records; /* what the backup holds */
    int schema_version;
} store_backup_result;

/* Copies the open store into a new file at dest: one consistent snapshot,
 * taken while other connections go on writing. The copy is written beside
 * dest under a temporary name, verified (PRAGMA quick_check and the
 * kartoteka identity), flushed to disk and only then given its name, so
 * dest is either a whole, checked database or absent.
 * Errors: KT_ERR_EXISTS when dest exists (a backup never overwrites),
 * KT_ERR_INPUT when dest is the store's own file or a directory, KT_ERR for
 * I/O and database failures (nothing is left behind). res may be NULL. */
int store_backup(store *st, const char *dest, store_backup_result *res, kt_error *err);

/* Replaces the contents of the database at db_path with the backup at
 * backup_path, in one transaction (other connections see the old contents
 * or the new, never a mix). The backup is verified first (an SQLite file
 * with the kartoteka identity, a schema version this build knows, PRAGMA
 * quick_check "ok"); db_path is created when it does not exist, and must
 * otherwise be a kartoteka database or empty. Errors: KT_ERR_INPUT (the
 * backup is not a sound kartoteka database; db_path is foreign), KT_ERR
 * (I/O, database busy beyond the busy timeout). */
int store_restore(const char *backup_path, const char *db_path, store_backup_result *res,
                  kt_error *err);

/* One problem store_check found. `check` names the check ("integrity",
 * "foreign_keys", "raw_rows", "links", "sources", "identity", or a hook's
 * name); table/id/record_key say which row, where known (NULL / 0). */
typedef struct store_finding {
    const char *check;
    const char *table;
    int64_t id;
    const char *record_key;
    const char *problem;
} store_finding;

/* Receives each finding (strings valid during the call only). */
typedef void (*store_finding_fn)(void *ctx, const store_finding *f);

/* A further check run by store_check inside the same read transaction, for
 * what lives above the store (the index snapshot against the records).
 * Reports through report(ctx, ...) and returns KT_OK, or an error status
 * with err set when it could not run at all. */
typedef struct store_check_hook {
    const char *name;
    int (*run)(store *st, void *hook_ctx, store_finding_fn report, void *ctx, kt_error *err);
    void *hook_ctx;
} store_check_hook;

typedef struct store_check_options {
    int quick;                     /* PRAGMA quick_check instead of integrity_check */
    const store_check_hook *hooks; /* run after the store's own checks */
    int nhooks;
    long max_findings;             /* stop reporting after this many; 0 = 1000 */
} store_check_options;

typedef struct store_check_result {
    long findings;        /* problems found (also those past max_findings) */
    int64_t sources, records, persons, links;
    int schema_version;
    int checks_run;       /* the store's own checks plus the hooks */
} store_check_result;

/* Checks the store in one read transaction (a consistent snapshot while an
 * import runs): the identity (application id, schema version), PRAGMA
 * integrity_check (or quick_check), PRAGMA foreign_key_check, every record
 * has its raw source row and every imported source a SHA-256 checksum,
 * links agree with record.person_id, then each hook. Findings go to cb;
 * returns KT_OK when the checks ran (whatever they found; see
 * res->findings), an error status when they could not. opt may be NULL. */
int store_check(store *st, const store_check_options *opt, store_finding_fn cb, void *ctx,
                store_check_result *res, kt_error *err);

#endif
