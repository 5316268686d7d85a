/*
 * schema.h — internal to the store: the list of schema migration steps.
 *
 * Step N brings a database from version N-1 to version N (PRAGMA
 * user_version). store.c applies them in order, each in its own
 * transaction. Other modules do not include this header; they ask
 * store_schema_version().
 */
#ifndef KT_STORE_SCHEMA_H
#define KT_STORE_SCHEMA_H

/* PRAGMA application_id of a kartoteka file: "KtKa" in ASCII. */
#define SCHEMA_APPLICATION_ID 0x4B744B61
#define SCHEMA_APPLICATION_ID_STR "1265912673"

typedef struct schema_step {
    int version;             /* the version this step produces */
    const char *description; /* one line, for the audit log and docs */
    const char *sql;         /* statements run inside the step's transaction */
} schema_step;

/* The newest version this build knows. */
int schema_latest(void);
/* The step that produces `version` (1..schema_latest()), or NULL. */
const schema_step *schema_step_to(int version);

#endif
