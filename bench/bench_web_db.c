/*
 * bench_web_db.c — the database and the queries for `make bench-web`:
 *
 *   bench_web_db OUT.db QUERIES.txt [N]
 *
 * OUT.db: the bundled data plus N synthetic records (bench_synthetic, half
 * Cyrillic, half Polish; default 1,000,000) in one source,
 * "bench_synthetic"; QUERIES.txt: 2,000 queries as users type them, one a
 * line, URL-encoded for the load generator: a record's surname, or surname
 * and given name, as written or folded to ASCII, a tenth with a year.
 * Synthetic people exist only here, never in the bundled database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "store/history.h"
#include "store/store.h"

#define NQUERIES 2000

static void url_encode(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || *p == '-' || *p == '.')
            fputc(*p, f);
        else
            fprintf(f, "%%%02X", *p);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_web_db OUT.db QUERIES.txt [N]\n");
        return 2;
    }
    size_t n = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000000;
    kt_error err;
    kt_error_clear(&err);
    bench_corpus c;
    if (bench_synthetic(&c, n, 1939, &err) != KT_OK) {
        fprintf(stderr, "bench_web_db: %s\n", err.message);
        return 1;
    }
    remove(argv[1]);
    store *st;
    store_source src = {.key = "bench_synthetic", .title = "synthetic names (benchmark only)",
                        .language = "ru", .script = "Cyrl",
                        .licence = "generated from the bundled name lists"};
    int rc = store_open(argv[1], 1, &st, &err);
    if (rc == KT_OK)
        rc = history_load(st, NULL, &err);
    if (rc == KT_OK)
        rc = store_begin(st, &err);
    if (rc == KT_OK)
        rc = store_source_add(st, &src, &err);
    for (size_t i = 0; rc == KT_OK && i < c.n; i++) {
        store_record r;
        bench_rec_to_store(&c.recs[i], "bench_synthetic", &r);
        r.source_id = src.id;
        char key[24];
        snprintf(key, sizeof key, "S%zu", i + 1);
        r.record_key = key;
        r.raw = r.name;
        r.raw_line = (long)i + 2;
        rc = store_record_add(st, &r, &err);
    }
    if (rc == KT_OK)
        rc = store_commit(st, &err);
    store_close(st);
    if (rc != KT_OK) {
        fprintf(stderr, "bench_web_db: %s\n", err.message);
        return 1;
    }
    FILE *q = fopen(argv[2], "w");
    if (!q) {
        perror(argv[2]);
        return 1;
    }
    uint64_t seed = 1940;
    for (int i = 0; i < NQUERIES; i++) {
        const bench_rec *r = &c.recs[bench_rand(&seed) % c.n];
        char text[256];
        int kind = (int)(bench_rand(&seed) % 10);
        if (kind < 4)
            snprintf(text, sizeof text, "%s", r->surname);
        else if (kind < 9)
            snprintf(text, sizeof text, "%s %s", r->given, r->surname);
        else
            snprintf(text, sizeof text, "%s %d", r->surname, r->year ? r->year : 1900);
        char *folded = kind % 2 ? bench_fold_ascii(text) : NULL;
        url_encode(q, folded ? folded : text);
        fputc('\n', q);
        free(folded);
    }
    fclose(q);
    bench_corpus_free(&c);
    printf("bench_web_db: %s with %zu synthetic records, %s with %d queries\n", argv[1], n,
           argv[2], NQUERIES);
    return 0;
}
