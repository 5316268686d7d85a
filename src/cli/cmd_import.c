/*
 * cmd_import.c — `kartoteka import FILE --source KEY ...`: a CSV list into
 * the store as one source. The work is store_import_csv() (store/import.h);
 * this file reads the options, prints the outcome and picks the exit code:
 * 0 imported, 2 wrong arguments, 3 input rejected (nothing changed),
 * 4 refused (same file or key already imported), 5 no database, 1 database
 * or I/O failure.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cli/cli.h"
#include "store/encoding.h"
#include "store/import.h"
#include "store/store.h"

static void help(void)
{
    printf(
        "usage: kartoteka import FILE --source KEY [--title TEXT]\n"
        "                        [--encoding auto|utf-8|cp1250|cp1251|koi8-r]\n"
        "                        [--delimiter comma|semicolon|tab]\n"
        "                        [--column FIELD=HEADER]...\n"
        "                        [--name-order surname-first|given-first|auto]\n"
        "                        [--url URL] [--licence TEXT] [--language CODE]\n"
        "                        [--archive-ref TEXT] [--replace] [--db FILE] [--json]\n"
        "\n"
        "Imports a CSV list (RFC 4180: a header row, fields separated by commas,\n"
        "semicolons or tabs, fields in double quotes may hold separators, line breaks\n"
        "and \"\" for a quote) as a new source. Every row must have as many fields as\n"
        "the header. The whole import is one transaction: if any row is bad, nothing\n"
        "is imported, and the error names the file, the line and the column.\n"
        "\n"
        "Columns recognised by their header (without regard to case):\n"
        "  record_id, surname, given_names, patronymic, father_name, name,\n"
        "  birth_year, birth_date, birth_place, rank, occupation, camp, fate,\n"
        "  fate_date, fate_place, list_position, note, url\n"
        "  and the usual Polish, Russian and English headers for them: nazwisko,\n"
        "  imię/imiona, imię ojca, rok/data/miejsce urodzenia, stopień, zawód, obóz,\n"
        "  los, data/miejsce śmierci, uwagi; фамилия, имя, отчество, год/дата/место\n"
        "  рождения, звание, лагерь, судьба, примечание; last name, first name,\n"
        "  year/date/place of birth, date/place of death, notes, bio, link\n"
        "  A file whose columns give no name (surname, given_names or name) is\n"
        "  refused, listing its headers: map one with --column.\n"
        "  name      the whole name in one cell, split by --name-order: surname-first\n"
        "            (default) reads \"Фамилия Имя Отчество\", given-first \"Имя Фамилия\";\n"
        "            or auto (a final patronymic, or a known given name first, decides);\n"
        "            a patronymic (-ович/-евич/-ич/-овна/-евна/-ична) is recognised;\n"
        "            names in brackets are the record's other names: after the surname\n"
        "            another surname (\"Лещиньский (Ленский) Юлиан\"), after a given name\n"
        "            another given name, two words or more a whole other name; they are\n"
        "            found by search, and the row itself is kept as written\n"
        "  url       where the row can be seen (the record's source URL)\n"
        "  birth_year  must be a year (1800-2000), or the import stops at that row\n"
        "Any other column is kept in the record's raw row only. Every record keeps its\n"
        "row exactly as written in the file (decoded to UTF-8) and its line number.\n"
        "\n"
        "Year of birth: the birth_year column, else the year of birth_date, else a year\n"
        "stated in the text of note, birth_place, rank, occupation, camp or an\n"
        "unmapped column: \"род. 1884\", \"ur. 25 XII 1893\", \"1893 г.р.\", \"b. 1893\",\n"
        "\"born 1893\", or a lone date such as \"25.12.1893\". A marked year wins; dates\n"
        "marked as a death or an arrest (\"Расстрелян 17.05.1938\") and years after\n"
        "\"в\", \"w\", \"in\" (\"в 1935 г.\") do not count; two different unmarked years\n"
        "leave the year unknown.\n"
        "\n"
        "Fate: where no fate, fate_date or fate_place column says, they are read\n"
        "from the note and unmapped columns: shot (\"Расстрелян 17.05.1938\",\n"
        "\"rozstrzelany\", \"zamordowany w Katyniu\"), died (\"умер\", \"zm. 1940\"),\n"
        "released (\"освобожден\", \"zwolniony\"), missing (\"пропал без вести\",\n"
        "\"zaginął\"); the date (ISO: 1938-05-17, or the year), the place of death\n"
        "and the burial (\"Место захоронения: Бутово\" gives \"burial: Бутово\").\n"
        "\n"
        "options:\n"
        "  --source KEY          short stable key of the new source (required; letters,\n"
        "                        digits, '-' and '_')\n"
        "  --title TEXT          the source's title (default: the file name)\n"
        "  --encoding NAME       the file's encoding: auto (default: valid UTF-8 is\n"
        "                        UTF-8, else the one of cp1250 (Polish Windows),\n"
        "                        cp1251 (Russian Windows), koi8-r whose text reads\n"
        "                        most like Polish or Russian), or one of those; one\n"
        "                        that garbles the text is refused, naming the right one\n"
        "  --delimiter SEP       comma, semicolon or tab (default: the one the header\n"
        "                        line uses)\n"
        "  --column FIELD=HEADER the file's column HEADER holds FIELD (repeatable)\n"
        "  --name-order ORDER    surname-first (default), given-first or auto\n"
        "  --url URL             where the source is published\n"
        "  --licence TEXT        the source's licence\n"
        "  --language CODE       the language of the list (ru, pl, en)\n"
        "  --archive-ref TEXT    the archive reference or publication\n"
        "  --replace             replace an earlier import of the same file (same\n"
        "                        SHA-256, any key) or of the same key, in the same\n"
        "                        transaction; its title stays unless --title is given\n"
        "  --db FILE             the database, made by 'kartoteka init' (default\n"
        "                        $KARTOTEKA_DB, else ./" CLI_DEFAULT_DB ")\n"
        "  --json                print the outcome as JSON\n"
        "\n"
        "The same file (by its SHA-256) cannot be imported twice, nor a key reused,\n"
        "without --replace. Every import is written to the audit log.\n"
        "\n"
        "exit codes: 0 imported; 1 database or file system failure; 2 wrong arguments;\n"
        "3 input rejected (nothing changed); 4 refused: already imported; 5 no\n"
        "database (run 'kartoteka init' first)\n"
        "\n"
        "A progress line is shown on a terminal (stderr) while a long import runs.\n"
        "\n"
        "example (Memorial's list of people shot in Moscow: NAME \"Фамилия Имя\n"
        "Отчество\", BIO \"род. 1884, ... Рассстрелян 17.05.1938. ...\", LINK):\n"
        "  kartoteka init\n"
        "  kartoteka import moscow_shot_1937_1941.csv --source memorial_moscow \\\n"
        "      --title \"Расстрелянные в Москве 1937-1941\" --language ru\n");
}

/* The value of an option given as "--opt VALUE" or "--opt=VALUE", or NULL
 * when argv[*i] is not that option. Sets *missing when the value is absent. */
static const char *option(int argc, char **argv, int *i, const char *name, int *missing)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n))
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

/* --delimiter comma|semicolon|tab (or the character itself); 0 if neither. */
static char delimiter_of(const char *v)
{
    if (!strcmp(v, "comma") || !strcmp(v, ","))
        return ',';
    if (!strcmp(v, "semicolon") || !strcmp(v, ";"))
        return ';';
    if (!strcmp(v, "tab") || !strcmp(v, "\t") || !strcmp(v, "\\t"))
        return '\t';
    return 0;
}

static void print_json_error(const kt_error *err, int code)
{
    json_t *o = json_pack("{s:{s:s, s:s?, s:I, s:s?, s:i}}", "error", "message",
                          err->message, "file", err->file[0] ? err->file : NULL, "line",
                          (json_int_t)err->line, "column",
                          err->field[0] ? err->field : NULL, "exit", code);
    cli_print_json(o, JSON_COMPACT);
}

int cmd_import(int argc, char **argv)
{
    const char *cmd = argv[0], *file = NULL, *db = cli_default_db();
    store_import_options opt;
    memset(&opt, 0, sizeof opt);
    int json = 0;
    store_import_column *cols = calloc((size_t)argc, sizeof *cols);
    if (!cols) {
        fprintf(stderr, "kartoteka %s: out of memory\n", cmd);
        return CLI_EXIT_ERROR;
    }
    int rc = CLI_EXIT_OK;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int missing = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            help();
            free(cols);
            return CLI_EXIT_OK;
        } else if ((v = option(argc, argv, &i, "--source", &missing))) {
            opt.source_key = v;
        } else if ((v = option(argc, argv, &i, "--title", &missing))) {
            opt.title = v;
        } else if ((v = option(argc, argv, &i, "--encoding", &missing))) {
            opt.encoding = strcasecmp(v, "auto") ? store_encoding_canonical(v) : NULL;
            if (strcasecmp(v, "auto") && !opt.encoding) {
                rc = cli_usage_error(cmd, "unknown encoding '%s' (supported: auto, %s)", v,
                                     store_encoding_list());
                goto out;
            }
        } else if ((v = option(argc, argv, &i, "--delimiter", &missing))) {
            opt.delimiter = delimiter_of(v);
            if (!opt.delimiter) {
                rc = cli_usage_error(cmd, "--delimiter is comma, semicolon or tab, not '%s'",
                                     v);
                goto out;
            }
        } else if ((v = option(argc, argv, &i, "--url", &missing))) {
            opt.url = v;
        } else if ((v = option(argc, argv, &i, "--licence", &missing)) ||
                   (v = option(argc, argv, &i, "--license", &missing))) {
            opt.licence = v;
        } else if ((v = option(argc, argv, &i, "--language", &missing))) {
            opt.language = v;
        } else if ((v = option(argc, argv, &i, "--archive-ref", &missing))) {
            opt.reference = v;
        } else if ((v = option(argc, argv, &i, "--column", &missing))) {
            const char *eq = strchr(v, '=');
            if (!eq || eq == v || !eq[1]) {
                rc = cli_usage_error(cmd, "--column wants FIELD=HEADER, not '%s'", v);
                goto out;
            }
            char *field = strndup(v, (size_t)(eq - v));
            if (!field || !store_import_field_known(field)) {
                rc = cli_usage_error(cmd, "--column: unknown field '%s' (fields: %s)",
                                     field ? field : v, store_import_field_list());
                free(field);
                goto out;
            }
            cols[opt.ncolumns].field = field;
            cols[opt.ncolumns].header = eq + 1;
            opt.ncolumns++;
        } else if ((v = option(argc, argv, &i, "--name-order", &missing))) {
            if (!strcmp(v, "surname-first")) {
                opt.given_first = 0;
            } else if (!strcmp(v, "given-first")) {
                opt.given_first = 1;
            } else if (!strcmp(v, "auto")) {
                opt.given_first = -1;
            } else {
                rc = cli_usage_error(cmd, "--name-order is surname-first, given-first or auto, not '%s'",
                                     v);
                goto out;
            }
        } else if ((v = option(argc, argv, &i, "--db", &missing))) {
            db = v;
        } else if (!strcmp(a, "--replace")) {
            opt.replace = 1;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (missing) {
            rc = cli_usage_error(cmd, "%s needs a value", a);
            goto out;
        } else if (a[0] == '-' && a[1]) {
            rc = cli_usage_error(cmd, "unknown option '%s'", a);
            goto out;
        } else if (file) {
            rc = cli_usage_error(cmd, "one FILE at a time ('%s' and '%s')", file, a);
            goto out;
        } else {
            file = a;
        }
    }
    if (!file) {
        rc = cli_usage_error(cmd, "which FILE? (kartoteka import FILE --source KEY)");
        goto out;
    }
    if (!opt.source_key || !*opt.source_key) {
        rc = cli_usage_error(cmd, "--source KEY is required (a short key for the new source)");
        goto out;
    }
    if (!store_import_key_valid(opt.source_key)) {
        rc = cli_usage_error(cmd, "--source '%s': a key is 1-64 letters, digits, '-' and '_'",
                             opt.source_key);
        goto out;
    }
    opt.columns = cols;

    kt_error err;
    kt_error_clear(&err);
    store *st = NULL;
    /* Not created here: a registry starts with `kartoteka init`, which loads
     * the bundled data and refuses to overwrite an existing file. */
    int status = store_open(db, 0, &st, &err);
    store_import_result res;
    memset(&res, 0, sizeof res);
    cli_progress progress;
    cli_progress_start(&progress, "importing", "rows");
    opt.progress = cli_progress_rows;
    opt.progress_ctx = &progress;
    if (status == KT_OK) {
        status = store_import_csv(st, file, &opt, &res, &err);
        store_close(st);
    }
    cli_progress_end(&progress);
    rc = cli_exit_for(status);
    if (status != KT_OK) {
        cli_print_error(&err);
        if (json)
            print_json_error(&err, rc);
        goto out;
    }
    if (json) {
        char sep[2] = {res.delimiter, '\0'};
        json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:b, s:s, s:s, s:s?, "
                              "s:I}",
                              "file", file, "source", opt.source_key, "source_id",
                              (json_int_t)res.source_id, "records", (json_int_t)res.records,
                              "with_year", (json_int_t)res.with_year, "with_fate",
                              (json_int_t)res.with_fate, "other_names",
                              (json_int_t)res.other_names, "encoding", res.encoding,
                              "encoding_detected", res.encoding_detected, "delimiter", sep,
                              "sha256", res.checksum, "replaced",
                              res.replaced[0] ? res.replaced : NULL, "replaced_records",
                              (json_int_t)res.replaced_records);
        cli_print_json(o, JSON_COMPACT);
    } else {
        if (res.replaced[0])
            printf("replaced source %s (%ld records)\n", res.replaced, res.replaced_records);
        printf("imported %ld records from %s into source %s (%ld with a year of birth, "
               "%ld with a fate, %ld other names from brackets)\n",
               res.records, file, opt.source_key, res.with_year, res.with_fate,
               res.other_names);
        printf("read as %s (%s), fields separated by %s\n", res.encoding,
               res.encoding_detected ? "told from the text" : "as given",
               res.delimiter == ';' ? "semicolons" : res.delimiter == '\t' ? "tabs" : "commas");
    }
out:
    for (size_t c = 0; c < opt.ncolumns; c++)
        free((char *)cols[c].field);
    free(cols);
    return rc;
}
