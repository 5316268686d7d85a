/*
 * import.h — importing a CSV list into the store as one new source.
 *
 * The whole import is one transaction: every row becomes a record (parsed
 * fields plus its raw row, verbatim), or nothing changes at all. A bad row
 * stops it with the file, the line and the column in the error.
 *
 * Recognised columns (header names compared without case): record_id,
 * surname, given_names, patronymic, father_name, name, birth_year,
 * birth_date, birth_place, rank, occupation, camp, fate, fate_date,
 * fate_place, list_position, note, url — and the headers Polish, Russian
 * and English lists use for them (nazwisko, imię, фамилия, имя, отчество,
 * rok urodzenia, год рождения, last name, first name, uwagi, примечание,
 * link, ...). Other headers can be mapped to a field (FIELD=HEADER); any
 * other column is kept in the raw row only. A file whose columns give no
 * name (surname, given_names or name) is refused, naming its headers.
 *
 * The separator is read from the header line unless given; the encoding
 * is told from the text unless given (store/encoding.h). A whole name's
 * bracketed names become the record's other names (store/record_alias.h);
 * the fate, its date and place are read from the text (names/fate.h) where
 * no column gives them; a url column gives the record's source_urls.
 *
 * A file is known by the SHA-256 of its bytes: importing the same bytes
 * again, under any key, is refused (KT_ERR_EXISTS) unless `replace` is set,
 * which replaces the earlier source in the same transaction (keeping its
 * title, reference, URL and licence unless a new title is given); so is a
 * key already taken by another file.
 */
#ifndef KT_STORE_IMPORT_H
#define KT_STORE_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct store_import_column {
    const char *field;  /* one of the recognised field names */
    const char *header; /* the header in the file that holds it */
} store_import_column;

typedef struct store_import_options {
    const char *source_key;    /* required */
    const char *title;         /* NULL: the file's base name */
    const char *encoding;      /* NULL or "auto": told from the text */
    char delimiter;            /* ',', ';', '\t', or 0: read from the header */
    const store_import_column *columns; /* extra header mappings */
    size_t ncolumns;
    int given_first;           /* the name column reads "Given Surname" (1),
                                  "Surname Given" (0), or either, decided per
                                  name (-1: names_split_whole's rule) */
    int replace;               /* replace an earlier import of this file/key */
    /* what the source is (NULL: kept from a replaced source, else none) */
    const char *url, *licence, *language, *reference;
    /* called every 256 rows with the rows read and the bytes of the
     * decoded text read so far out of total (a progress line) */
    void (*progress)(void *ctx, long rows, size_t done, size_t total);
    void *progress_ctx;
} store_import_options;

typedef struct store_import_result {
    long records;          /* records imported */
    long with_year;        /* of them, with a year of birth */
    long with_fate;        /* of them, with a fate */
    long other_names;      /* other names read from brackets */
    const char *encoding;  /* the encoding read ("cp1250"), static */
    int encoding_detected; /* 1 when told from the text, not given */
    char delimiter;        /* the separator read */
    int64_t source_id;
    char checksum[65];     /* SHA-256 of the file's bytes, hex */
    char replaced[256];    /* key of the source replaced, "" when none */
    long replaced_records; /* records it had */
} store_import_result;

/* Whether key may name a source: 1-64 letters, digits, '-' and '_'. */
int store_import_key_valid(const char *key);

/* The i-th field a column can hold (from 0), NULL past the last. */
const char *store_import_field(int i);
/* Whether `field` is a field a column can be mapped to. */
int store_import_field_known(const char *field);
/* "record_id, surname, ..." for help and usage messages. */
const char *store_import_field_list(void);

/* Imports the CSV file at path. Errors: KT_ERR_INPUT (bad file, row, or
 * options; nothing changed), KT_ERR_EXISTS (same file or key already there;
 * err names the earlier source), KT_ERR for I/O and database failures. */
int store_import_csv(store *st, const char *path, const store_import_options *opt,
                     store_import_result *res, kt_error *err);

/* The same for bytes already in memory; `file` names them in errors and in
 * the source's file_name. */
int store_import_csv_data(store *st, const char *data, size_t len, const char *file,
                          const store_import_options *opt, store_import_result *res,
                          kt_error *err);

/* Splits a whole name written in one cell into surname, given names and
 * patronymic (written into the caller's buffers, each `cap` bytes; empty when
 * absent). surname-first reads "Фамилия Имя Отчество", given-first "Имя
 * Отчество Фамилия"; a patronymic is recognised only as a Cyrillic word
 * ending in -ович/-евич/-ич/-овна/-евна/-ична after the given name(s). */
void store_import_split_name(const char *name, int given_first, char *surname,
                             char *given, char *patronymic, size_t cap);

#endif
