/*
 * store.h — the registry's store: one SQLite file (foreign keys on, WAL),
 * schema with a version and forward migrations, transactions, an audit log.
 *
 * Data model (see docs/ and PRODUCT.md): sources; records (parsed fields plus
 * the raw source row verbatim); persons and the links from records to persons
 * with their provenance; places; events; figures; documents; audit log.
 *
 * Library code: never prints, never exits; errors go to a kt_error.
 */
#ifndef KT_STORE_H
#define KT_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "util/error.h"

typedef struct store store;

/* Opens (creating when `create` is set) the database at path and brings its
 * schema to the current version. A file that is not a kartoteka database, or
 * one from a newer version, is refused. */
int store_open(const char *path, int create, store **out, kt_error *err);
/* Opens an existing database for reading only: nothing can be written
 * through it (SQLite refuses), and a file in a read-only directory or on
 * read-only media is read as it stands. A file at an older schema version
 * is first migrated when it is writable, and refused when it is not. */
int store_open_readonly(const char *path, store **out, kt_error *err);
int store_is_readonly(store *st);
/* How long a connection waits for another's write lock before giving up. */
#define STORE_BUSY_TIMEOUT_MS 5000
void store_close(store *st);
sqlite3 *store_db(store *st); /* for modules that run their own SQL */
int store_schema_version(store *st);
int store_schema_latest(void);   /* the version store_open migrates to */
const char *store_path(store *st);

/* Creates a new database at path with only the first `version` migration
 * steps applied. For tests of migration from older files. */
int store_create_at_version(const char *path, int version, kt_error *err);

/* 1 when the file at path is a kartoteka database or empty (so that
 * replacing it loses nothing foreign), 0 otherwise. Reads the header only. */
int store_file_replaceable(const char *path);

/* Transactions: an import or a load is one transaction. Calls nest: an
 * inner begin/commit is a savepoint inside the outer transaction, and an
 * inner rollback undoes only the inner part. */
int store_begin(store *st, kt_error *err);
int store_commit(store *st, kt_error *err);
void store_rollback(store *st);

/* Appends to the audit log (inside the caller's transaction, if any). */
int store_audit(store *st, const char *action, const char *object,
                const char *detail, kt_error *err);

typedef struct store_source {
    int64_t id;
    const char *key;      /* stable short key, e.g. "memorial_moscow" */
    const char *title;
    const char *reference;/* archive reference or publication */
    const char *date;
    const char *language; /* e.g. "ru", "pl" */
    const char *script;   /* "Cyrl", "Latn" */
    const char *licence;
    const char *url;
    const char *file_name;/* imported file, for the record */
    const char *checksum; /* sha-256 hex of the imported bytes, or NULL */
    const char *imported_at; /* set by the store (UTC ISO 8601); ignored by add */
} store_source;

/* One record as the source gives it. Unknown text fields are NULL or "".
 * birth_year 0 = unknown. `raw` is the source row exactly as it stood in the
 * file (decoded to UTF-8, without the line terminator); raw_line its first
 * line in the file. */
typedef struct store_record {
    int64_t id;
    int64_t source_id;
    const char *source_key;
    int64_t person_id;    /* 0 = not linked to a person */
    const char *record_key; /* the source's own id of the row, if any */
    const char *surname;
    const char *given_names;
    const char *patronymic;
    const char *father_name;
    const char *name;     /* whole name as written, when the source gives one */
    int birth_year;
    const char *birth_date;
    const char *birth_place;
    const char *rank;
    const char *occupation;
    const char *camp;
    const char *fate;
    const char *fate_date;
    const char *fate_place;
    const char *list_position;
    const char *note;
    const char *raw;
    long raw_line;
    const char *source_urls; /* where this row can be seen, " | "-separated */
} store_record;

/* Looks a source up by key; KT_ERR_NOTFOUND when absent. Strings in *out
 * stay valid until the next store call. */
int store_source_get(store *st, const char *key, store_source *out, kt_error *err);
/* Inserts a source (id filled in); KT_ERR_EXISTS when the key is taken. */
int store_source_add(store *st, store_source *src, kt_error *err);
/* Deletes a source and all its records (used by import --replace). */
int store_source_delete(store *st, int64_t source_id, kt_error *err);
/* The source already imported with this checksum, if any (KT_ERR_NOTFOUND). */
int store_source_by_checksum(store *st, const char *checksum, store_source *out,
                             kt_error *err);

/* Calls cb for each source in key order, with its number of records and
 * of those linked to a person. Strings valid during the call only. */
typedef int (*store_source_fn)(void *ctx, const store_source *src, int64_t records,
                               int64_t linked);
int store_sources_each(store *st, store_source_fn cb, void *ctx, kt_error *err);

int store_record_add(store *st, store_record *rec, kt_error *err); /* id filled */

/* Persons and links. method: "bundled", "auto", "review"; weight may be 0. */
int store_person_add(store *st, const char *label, int64_t *person_id, kt_error *err);
int store_link_add(store *st, int64_t person_id, int64_t record_id,
                   const char *method, double weight, const char *by,
                   const char *why, kt_error *err);

/* Another name a person is known by (schema step 3). kind is one of
 * STORE_ALIAS_KINDS; note is the source's remark, source_urls where the
 * name is attested (" | "-separated); both may be NULL. */
typedef struct store_alias {
    int64_t id;
    int64_t person_id;
    const char *name;
    const char *kind;
    const char *note;
    const char *source_urls;
} store_alias;

/* The kinds of alias the store accepts, in the order the schema lists them. */
#define STORE_ALIAS_NKINDS 8
extern const char *const store_alias_kinds[STORE_ALIAS_NKINDS];

/* Adds an alias to a person (id filled in). KT_ERR_INPUT for an empty name
 * or a kind not in store_alias_kinds, KT_ERR_NOTFOUND when the person does
 * not exist. */
int store_alias_add(store *st, store_alias *alias, kt_error *err);
/* Calls cb for each alias (of one person when person_id > 0, else of all),
 * in id order. Strings valid during the call only; a non-zero return from
 * cb stops the walk and is returned. */
typedef int (*store_alias_fn)(void *ctx, const store_alias *alias);
int store_aliases_each(store *st, int64_t person_id, store_alias_fn cb, void *ctx,
                       kt_error *err);

/* Calls cb for each record (of one source when source_key is non-NULL), in
 * id order. Strings in rec are valid during the call only. A non-zero return
 * from cb stops the walk and is returned. */
typedef int (*store_record_fn)(void *ctx, const store_record *rec);
int store_records_each(store *st, const char *source_key, store_record_fn cb,
                       void *ctx, kt_error *err);
/* One record by id (strings valid until the next store call). */
int store_record_get(store *st, int64_t id, store_record *out, kt_error *err);
/* The records whose list's own key (record_key) is record_key, of one
 * source when source_key is non-NULL: in id order, the first `skip` passed
 * over, the next cap ids into ids; their number in all (skipped or not)
 * into *n, which may exceed skip + cap (none is 0, and KT_OK). A key is
 * the list's, so two lists, or one careless list, may give the same key
 * to several records. KT_ERR_NOTFOUND when source_key names no source. */
int store_record_ids_by_key(store *st, const char *source_key, const char *record_key,
                            size_t skip, int64_t *ids, size_t cap, size_t *n, kt_error *err);

/* Rows in a table of the store; -1 when the table does not exist. */
int64_t store_count(store *st, const char *table);

#endif
