/*
 * schema.c — the store's schema as an ordered list of forward migrations.
 *
 * Guarantees:
 *  - schema_steps[i] takes a database from version i to version i+1; the
 *    array is append-only: a step, once released, is never edited, because
 *    files in the field were built by it. A change is a new step.
 *  - Each step runs in one transaction together with the bump of
 *    PRAGMA user_version, so a file is always at exactly one version.
 *  - Version 1 also stamps PRAGMA application_id, which is how a kartoteka
 *    file is told apart from any other SQLite file.
 */
#include "store/schema.h"

#include <stddef.h>

/* Timestamps are UTC ISO 8601 text: sortable and readable in the CLI. */
#define NOW "(strftime('%Y-%m-%dT%H:%M:%SZ','now'))"

static const schema_step schema_steps[] = {
    {1, "base tables: sources, records, persons and links, history, audit log",
     "PRAGMA application_id = " SCHEMA_APPLICATION_ID_STR ";\n"
     "CREATE TABLE source (\n"
     "  id          INTEGER PRIMARY KEY,\n"
     "  key         TEXT NOT NULL UNIQUE,\n"
     "  title       TEXT NOT NULL DEFAULT '',\n"
     "  reference   TEXT,\n"
     "  date        TEXT,\n"
     "  language    TEXT,\n"
     "  script      TEXT,\n"
     "  licence     TEXT,\n"
     "  url         TEXT,\n"
     "  file_name   TEXT,\n"
     "  checksum    TEXT,\n"
     "  imported_at TEXT NOT NULL DEFAULT " NOW "\n"
     ");\n"
     "CREATE INDEX source_checksum ON source(checksum);\n"
     "CREATE TABLE person (\n"
     "  id         INTEGER PRIMARY KEY,\n"
     "  label      TEXT NOT NULL DEFAULT '',\n"
     "  created_at TEXT NOT NULL DEFAULT " NOW "\n"
     ");\n"
     "CREATE TABLE record (\n"
     "  id            INTEGER PRIMARY KEY,\n"
     "  source_id     INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,\n"
     "  record_key    TEXT,\n"
     "  person_id     INTEGER REFERENCES person(id) ON DELETE SET NULL,\n"
     "  surname       TEXT,\n"
     "  given_names   TEXT,\n"
     "  patronymic    TEXT,\n"
     "  father_name   TEXT,\n"
     "  name          TEXT,\n"
     "  birth_year    INTEGER NOT NULL DEFAULT 0,\n"
     "  birth_date    TEXT,\n"
     "  birth_place   TEXT,\n"
     "  rank          TEXT,\n"
     "  occupation    TEXT,\n"
     "  camp          TEXT,\n"
     "  fate          TEXT,\n"
     "  fate_date     TEXT,\n"
     "  fate_place    TEXT,\n"
     "  list_position TEXT,\n"
     "  note          TEXT,\n"
     "  raw           TEXT NOT NULL,\n"
     "  raw_line      INTEGER NOT NULL DEFAULT 0\n"
     ");\n"
     "CREATE INDEX record_source ON record(source_id);\n"
     "CREATE INDEX record_surname ON record(surname);\n"
     /* The link table is the provenance of record.person_id: who or what
      * attached the record to the person, how sure, and why. */
     "CREATE TABLE person_record (\n"
     "  id         INTEGER PRIMARY KEY,\n"
     "  person_id  INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,\n"
     "  record_id  INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,\n"
     "  method     TEXT NOT NULL CHECK (method IN ('bundled','auto','review')),\n"
     "  weight     REAL NOT NULL DEFAULT 0,\n"
     "  by         TEXT,\n"
     "  why        TEXT,\n"
     "  created_at TEXT NOT NULL DEFAULT " NOW ",\n"
     "  UNIQUE (person_id, record_id)\n"
     ");\n"
     "CREATE INDEX person_record_record ON person_record(record_id);\n"
     "CREATE TABLE place (\n"
     "  id          TEXT PRIMARY KEY,\n"
     "  name_en     TEXT NOT NULL,\n"
     "  name_pl     TEXT,\n"
     "  name_ru     TEXT,\n"
     "  kind        TEXT NOT NULL,\n"
     "  latitude    REAL,\n"
     "  longitude   REAL,\n"
     "  coord_note  TEXT,\n"
     "  opened      TEXT,\n"
     "  closed      TEXT,\n"
     "  description TEXT,\n"
     "  source_urls TEXT NOT NULL\n"
     ");\n"
     "CREATE TABLE event (\n"
     "  id          TEXT PRIMARY KEY,\n"
     "  date_start  TEXT NOT NULL,\n"
     "  date_end    TEXT,\n"
     "  title       TEXT NOT NULL,\n"
     "  description TEXT,\n"
     "  source_urls TEXT NOT NULL\n"
     ");\n"
     "CREATE INDEX event_date ON event(date_start);\n"
     "CREATE TABLE event_place (\n"
     "  event_id TEXT NOT NULL REFERENCES event(id) ON DELETE CASCADE,\n"
     "  place_id TEXT NOT NULL REFERENCES place(id) ON DELETE CASCADE,\n"
     "  position INTEGER NOT NULL DEFAULT 0,\n"
     "  PRIMARY KEY (event_id, place_id)\n"
     ");\n"
     "CREATE INDEX event_place_place ON event_place(place_id);\n"
     "CREATE TABLE figure (\n"
     "  id          TEXT PRIMARY KEY,\n"
     "  quantity    TEXT NOT NULL,\n"
     "  value_low   INTEGER,\n"
     "  value_high  INTEGER,\n"
     "  as_of       TEXT,\n"
     "  claimant    TEXT NOT NULL,\n"
     "  basis       TEXT,\n"
     "  note        TEXT,\n"
     "  source_urls TEXT NOT NULL,\n"
     "  CHECK (value_low IS NOT NULL OR value_high IS NOT NULL)\n"
     ");\n"
     "CREATE INDEX figure_quantity ON figure(quantity);\n"
     "CREATE TABLE document (\n"
     "  id                     TEXT PRIMARY KEY,\n"
     "  date                   TEXT,\n"
     "  title                  TEXT NOT NULL,\n"
     "  author                 TEXT,\n"
     "  signatories            TEXT,\n"
     "  archive_or_publication TEXT,\n"
     "  summary                TEXT,\n"
     "  source_urls            TEXT NOT NULL\n"
     ");\n"
     "CREATE TABLE audit_log (\n"
     "  id     INTEGER PRIMARY KEY,\n"
     "  at     TEXT NOT NULL DEFAULT " NOW ",\n"
     "  action TEXT NOT NULL,\n"
     "  object TEXT,\n"
     "  detail TEXT\n"
     ");\n"},
    /* Version 2: records carry the URLs where their row can be seen (the
     * bundled persons have them; an imported list has one URL for the whole
     * source, which lives on the source). Person pages and the linkage look
     * records up by person and filter by birth year, so both get indexes:
     * without record_person, ON DELETE SET NULL of a person scans every
     * record. */
    {2, "record.source_urls; indexes on record.person_id and record.birth_year",
     "ALTER TABLE record ADD COLUMN source_urls TEXT;\n"
     "CREATE INDEX record_person ON record(person_id);\n"
     "CREATE INDEX record_birth_year ON record(birth_year);\n"},
    /* Version 3: the other names a person is known by — a nom de guerre, a
     * birth or maiden name, a pen name — which no spelling rule derives
     * from the records' names. They belong to the person, not to a record,
     * and carry their kind, the source's remark and the URLs that say so.
     * The kinds are a closed list so that a search can say what it found. */
    {3, "person_alias: a person's other names with their kind and source",
     "CREATE TABLE person_alias (\n"
     "  id          INTEGER PRIMARY KEY,\n"
     "  person_id   INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,\n"
     "  name        TEXT NOT NULL CHECK (name <> ''),\n"
     "  kind        TEXT NOT NULL CHECK (kind IN ('nom de guerre','pseudonym',\n"
     "                'birth name','maiden name','married name','pen name',\n"
     "                'nickname','other spelling')),\n"
     "  note        TEXT,\n"
     "  source_urls TEXT,\n"
     "  created_at  TEXT NOT NULL DEFAULT " NOW "\n"
     ");\n"
     "CREATE INDEX person_alias_person ON person_alias(person_id);\n"},
    /* Version 4: the other names a list gives in the record itself, in
     * brackets ("Лещиньский (Ленский) Юлиан"): they belong to the record
     * (the source says them), go with it when its source is replaced, and
     * their kind says which part of the name they stand for. */
    {4, "record_alias: a record's other names, as its source writes them",
     "CREATE TABLE record_alias (\n"
     "  id        INTEGER PRIMARY KEY,\n"
     "  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,\n"
     "  name      TEXT NOT NULL CHECK (name <> ''),\n"
     "  kind      TEXT NOT NULL CHECK (kind IN ('other surname','other given name',\n"
     "              'other patronymic','whole other name'))\n"
     ");\n"
     "CREATE INDEX record_alias_record ON record_alias(record_id);\n"},
    /* Version 5: record linkage. A human decision on a pair of records
     * (accept: one man; reject: two men) outlives every later run of the
     * linkage. The doubtful pairs of the last run wait for review. Every run
     * (a linkage, a review decision) keeps the links it replaced and the
     * persons it made or removed, so that undo restores them exactly. */
    {5, "record linkage: review decisions, doubtful pairs, link runs for undo",
     "CREATE TABLE link_decision (\n"
     "  record_a   INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,\n"
     "  record_b   INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,\n"
     "  decision   TEXT NOT NULL CHECK (decision IN ('accept','reject')),\n"
     "  by         TEXT,\n"
     "  why        TEXT,\n"
     "  created_at TEXT NOT NULL DEFAULT " NOW ",\n"
     "  PRIMARY KEY (record_a, record_b),\n"
     "  CHECK (record_a < record_b)\n"
     ");\n"
     "CREATE TABLE link_pair (\n"
     "  record_a   INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,\n"
     "  record_b   INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,\n"
     "  weight     REAL NOT NULL,\n"
     "  why        TEXT,\n"
     "  PRIMARY KEY (record_a, record_b),\n"
     "  CHECK (record_a < record_b)\n"
     ");\n"
     "CREATE TABLE link_run (\n"
     "  id          INTEGER PRIMARY KEY,\n"
     "  kind        TEXT NOT NULL CHECK (kind IN ('link','accept','reject')),\n"
     "  by          TEXT,\n"
     "  detail      TEXT,\n"
     "  at          TEXT NOT NULL DEFAULT " NOW ",\n"
     "  undone_at   TEXT,\n"
     "  record_a    INTEGER,\n"
     "  record_b    INTEGER,\n"
     "  prev_decision TEXT,\n"
     "  prev_by     TEXT,\n"
     "  prev_why    TEXT,\n"
     "  prev_at     TEXT\n"
     ");\n"
     "CREATE TABLE link_run_record (\n"
     "  run_id     INTEGER NOT NULL REFERENCES link_run(id) ON DELETE CASCADE,\n"
     "  record_id  INTEGER NOT NULL,\n"
     "  person_id  INTEGER,\n"
     "  method     TEXT,\n"
     "  weight     REAL,\n"
     "  by         TEXT,\n"
     "  why        TEXT,\n"
     "  created_at TEXT,\n"
     "  PRIMARY KEY (run_id, record_id)\n"
     ");\n"
     "CREATE TABLE link_run_person (\n"
     "  run_id     INTEGER NOT NULL REFERENCES link_run(id) ON DELETE CASCADE,\n"
     "  person_id  INTEGER NOT NULL,\n"
     "  action     TEXT NOT NULL CHECK (action IN ('created','deleted')),\n"
     "  label      TEXT,\n"
     "  created_at TEXT,\n"
     "  PRIMARY KEY (run_id, person_id)\n"
     ");\n"},
    /* Version 6: what each contested quantity counts, in words, in English
     * and Polish (data/history/quantities.tsv), so that a listing shows a
     * title rather than the machine key. Loaded with the figures; every
     * quantity the figures count has one. */
    {6, "quantity: the contested quantities' titles in English and Polish",
     "CREATE TABLE quantity (\n"
     "  quantity TEXT PRIMARY KEY,\n"
     "  title_en TEXT NOT NULL CHECK (title_en <> ''),\n"
     "  title_pl TEXT NOT NULL CHECK (title_pl <> '')\n"
     ");\n"},
    /* Version 7: the lists' own keys indexed, so that a record is found by
     * the key people and other tools hold (kartoteka show --source S KEY,
     * /api/records?key=). */
    {7, "index on the lists' own record keys, to find a record by its key",
     "CREATE INDEX record_key ON record(record_key);\n"},
};

int schema_latest(void)
{
    return (int)(sizeof schema_steps / sizeof schema_steps[0]);
}

const schema_step *schema_step_to(int version)
{
    if (version < 1 || version > schema_latest())
        return NULL;
    return &schema_steps[version - 1];
}
