/*
 * history_persons.c — loads the bundled real persons (data/names/dev_persons.tsv)
 * as records of two sources, one per spelling, linked in pairs to persons.
 *
 * Each row of the file is one real human being with the Polish spelling and
 * the Russian Cyrillic spelling of the name as public sources print them.
 * The loader makes, for each row, one record in the Polish source and one
 * in the Russian source, and attaches both to one new person with the link
 * method "bundled" — the registry's first example of one person seen in
 * two scripts.
 *
 * Each spelling of the row's other_spellings column becomes an alias of the
 * person (person_alias), of the kind its remark names ("nom de guerre",
 * "maiden name", ... — store/spellings.h) or "other spelling" when the
 * remark names none, with the remark as note and the row's URLs: only
 * what the row says.
 *
 * Guarantees: the raw field of both records is the TSV line verbatim; the
 * row's URLs are kept on both records and its aliases; a malformed row
 * names file, line and column and nothing is stored; loading again
 * replaces the previous bundled persons (and only them), their aliases
 * with them; the load's alias count goes to the audit log.
 */
#include "store/history.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/history_tsv.h"
#include "store/spellings.h"

static const char *const columns[] = {
    "id", "polish_surname", "polish_given_names", "russian_surname",
    "russian_given_name", "russian_patronymic", "father_given_name_polish",
    "birth_year", "birth_place", "rank_or_occupation", "camp", "fate",
    "other_spellings", "source_urls", "russian_source_kind", "notes",
};
enum {
    F_ID, F_PL_SURNAME, F_PL_GIVEN, F_RU_SURNAME, F_RU_GIVEN, F_RU_PATRONYMIC,
    F_FATHER, F_BIRTH_YEAR, F_BIRTH_PLACE, F_RANK, F_CAMP, F_FATE, F_OTHER,
    F_URLS, F_RU_KIND, F_NOTES, F_COUNT
};

/* The column mixes ranks and occupations; a value that starts with one of
 * these words (Polish military and police ranks, as the file writes them)
 * is a rank, anything else an occupation. */
static const char *const rank_words[] = {
    "generał", "kontradmirał", "pułkownik", "podpułkownik", "major", "kapitan",
    "porucznik", "podporucznik", "chorąży", "sierżant", "kapral", "szeregowy",
    "protojerej", "officer",
};

static int is_rank(const char *v)
{
    for (size_t i = 0; i < sizeof rank_words / sizeof rank_words[0]; i++) {
        size_t n = strlen(rank_words[i]);
        if (!strncmp(v, rank_words[i], n) && !isalpha((unsigned char)v[n]))
            return 1;
    }
    return 0;
}

/* The file separates URLs with " ; "; the store's convention is " | ".
 * Returns 0 when a piece is not an http(s) URL. */
static int urls_normalise(const char *in, char *out, size_t cap, int *count)
{
    size_t n = 0;
    *count = 0;
    out[0] = '\0';
    const char *p = in;
    while (*p) {
        const char *sep = strstr(p, " ; ");
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        while (len > 0 && (*p == ' ' || *p == ';')) {
            p++;
            len--;
        }
        while (len > 0 && p[len - 1] == ' ')
            len--;
        if (len > 0) {
            if (strncmp(p, "http://", 7) && strncmp(p, "https://", 8))
                return 0;
            n += snprintf(out + n, n < cap ? cap - n : 0, "%s%.*s",
                          *count ? " | " : "", (int)len, p);
            ++*count;
        }
        if (!sep)
            break;
        p = sep + 3;
    }
    return n < cap;
}

static int add_sources(store *st, int64_t *pl, int64_t *ru, const char *path,
                       kt_error *err)
{
    const char *keys[] = {HISTORY_PERSONS_PL, HISTORY_PERSONS_RU};
    for (int i = 0; i < 2; i++) {
        store_source old;
        int rc = store_source_get(st, keys[i], &old, err);
        if (rc == KT_OK)
            rc = store_source_delete(st, old.id, err);
        else if (rc == KT_ERR_NOTFOUND)
            rc = KT_OK;
        if (rc != KT_OK)
            return rc;
    }
    store_source spl = {
        .key = HISTORY_PERSONS_PL,
        .title = "Polish prisoners of war and NKVD prisoners: names in Polish spelling",
        .reference = "Polish encyclopaedia articles, memorial and historical pages; "
                     "the URLs of each person are on the record",
        .language = "pl", .script = "Latn",
        .licence = "facts compiled for kartoteka from public sources",
        .file_name = path,
    };
    store_source sru = {
        .key = HISTORY_PERSONS_RU,
        .title = "The same persons: names in Russian Cyrillic spelling",
        .reference = "Russian encyclopaedia articles and their mirrors, memorial "
                     "pages; the URLs and the kind of source are on each record",
        .language = "ru", .script = "Cyrl",
        .licence = "facts compiled for kartoteka from public sources",
        .file_name = path,
    };
    int rc = store_source_add(st, &spl, err);
    if (rc == KT_OK)
        rc = store_source_add(st, &sru, err);
    *pl = spl.id;
    *ru = sru.id;
    return rc;
}

typedef struct alias_ctx {
    store *st;
    int64_t person;
    const char *urls;
    kt_error *err;
    int added;
} alias_ctx;

static int add_alias(void *ctx, const char *spelling, const char *remark)
{
    alias_ctx *c = ctx;
    store_alias a = {
        .person_id = c->person, .name = spelling, .kind = spellings_kind(remark),
        .note = remark, .source_urls = c->urls,
    };
    int rc = store_alias_add(c->st, &a, c->err);
    if (rc == KT_OK)
        c->added++;
    return rc;
}

static int load_row(store *st, const htsv *t, int64_t pl, int64_t ru,
                    const char *path, int *aliases, kt_error *err)
{
    char *const *f = t->field;
    static const int required[] = {F_ID, F_PL_SURNAME, F_RU_SURNAME, F_URLS};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!*f[required[i]]) {
            kt_error_at(err, path, t->line, columns[required[i]], "value missing");
            return KT_ERR_INPUT;
        }
    int year = 0;
    if (*f[F_BIRTH_YEAR]) {
        char *end;
        long y = strtol(f[F_BIRTH_YEAR], &end, 10);
        if (*end || y < 1800 || y > 1945) {
            kt_error_at(err, path, t->line, "birth_year", "'%s' is not a birth year",
                        f[F_BIRTH_YEAR]);
            return KT_ERR_INPUT;
        }
        year = (int)y;
    }
    char urls[4096];
    int nurls;
    if (!urls_normalise(f[F_URLS], urls, sizeof urls, &nurls) || nurls == 0) {
        kt_error_at(err, path, t->line, "source_urls",
                    "expected http(s) URLs separated by ' ; '");
        return KT_ERR_INPUT;
    }
    int rank = is_rank(f[F_RANK]);

    char note_pl[2048] = "", note_ru[2048] = "";
    if (*f[F_OTHER])
        snprintf(note_pl, sizeof note_pl, "Also written: %s.%s%s", f[F_OTHER],
                 *f[F_NOTES] ? " " : "", f[F_NOTES]);
    else
        snprintf(note_pl, sizeof note_pl, "%s", f[F_NOTES]);
    snprintf(note_ru, sizeof note_ru, "%s%s%s%s",
             *f[F_RU_KIND] ? "Cyrillic form as given by: " : "", f[F_RU_KIND],
             *f[F_RU_KIND] && *f[F_NOTES] ? ". " : "", f[F_NOTES]);

    store_record r = {
        .source_id = pl, .record_key = f[F_ID], .surname = f[F_PL_SURNAME],
        .given_names = f[F_PL_GIVEN], .father_name = f[F_FATHER], .birth_year = year,
        .birth_place = f[F_BIRTH_PLACE], .rank = rank ? f[F_RANK] : NULL,
        .occupation = rank ? NULL : f[F_RANK], .camp = f[F_CAMP], .fate = f[F_FATE],
        .note = note_pl, .raw = t->raw, .raw_line = t->line, .source_urls = urls,
    };
    int rc = store_record_add(st, &r, err);
    if (rc != KT_OK)
        return rc;
    int64_t rec_pl = r.id;
    r.source_id = ru;
    r.surname = f[F_RU_SURNAME];
    r.given_names = f[F_RU_GIVEN];
    r.patronymic = f[F_RU_PATRONYMIC];
    r.father_name = NULL; /* the Russian form carries it as the patronymic */
    r.note = note_ru;
    if ((rc = store_record_add(st, &r, err)) != KT_OK)
        return rc;
    int64_t rec_ru = r.id;

    char label[512];
    snprintf(label, sizeof label, "%s%s%s", f[F_PL_GIVEN], *f[F_PL_GIVEN] ? " " : "",
             f[F_PL_SURNAME]);
    if (year)
        snprintf(label + strlen(label), sizeof label - strlen(label), " (%d)", year);
    int64_t person;
    if ((rc = store_person_add(st, label, &person, err)) != KT_OK)
        return rc;
    char why[256];
    snprintf(why, sizeof why, "row %s of %s gives both spellings of one person",
             f[F_ID], path);
    if ((rc = store_link_add(st, person, rec_pl, "bundled", 1.0, "kartoteka init",
                             why, err)) != KT_OK ||
        (rc = store_link_add(st, person, rec_ru, "bundled", 1.0, "kartoteka init",
                             why, err)) != KT_OK)
        return rc;
    alias_ctx ac = {st, person, urls, err, 0};
    if ((rc = spellings_each(f[F_OTHER], add_alias, &ac)) != KT_OK)
        return rc;
    *aliases += ac.added;
    return KT_OK;
}

int history_load_persons(store *st, const char *path, const char *data, size_t len,
                         kt_error *err)
{
    htsv t;
    int rc = KT_OK, persons = 0, aliases = 0, header = 1, r;
    int64_t pl = 0, ru = 0;
    if (store_begin(st, err) != KT_OK)
        return KT_ERR;
    if ((rc = add_sources(st, &pl, &ru, path, err)) != KT_OK) {
        store_rollback(st);
        return rc;
    }
    htsv_init(&t, data, len);
    while ((r = htsv_next(&t)) == 1) {
        if (t.n != F_COUNT) {
            kt_error_at(err, path, t.line, NULL, "%d columns, expected %d", t.n, F_COUNT);
            rc = KT_ERR_INPUT;
            break;
        }
        if (header) {
            header = 0;
            for (int i = 0; i < F_COUNT && rc == KT_OK; i++)
                if (strcmp(t.field[i], columns[i])) {
                    kt_error_at(err, path, t.line, t.field[i],
                                "header: expected column '%s'", columns[i]);
                    rc = KT_ERR_INPUT;
                }
            if (rc != KT_OK)
                break;
            continue;
        }
        if ((rc = load_row(st, &t, pl, ru, path, &aliases, err)) != KT_OK) {
            if (err && !err->file[0]) {
                char msg[sizeof err->message];
                snprintf(msg, sizeof msg, "%s", err->message);
                kt_error_at(err, path, t.line, NULL, "%s", msg);
            }
            break;
        }
        persons++;
    }
    if (r < 0) {
        kt_error_set(err, "out of memory reading %s", path);
        rc = KT_ERR_NOMEM;
    }
    htsv_free(&t);
    if (rc == KT_OK) {
        char detail[96];
        snprintf(detail, sizeof detail, "%d aliases of %d persons", aliases, persons);
        rc = store_audit(st, "aliases_load", path, detail, err);
    }
    if (rc != KT_OK) {
        store_rollback(st);
        return rc;
    }
    if (store_commit(st, err) != KT_OK)
        return KT_ERR;
    return persons;
}
