/*
 * bench_names.c — the name-search benchmark: writes the shared corpora and
 * queries for the peer harnesses, measures kartoteka's quality on them and
 * its speed at 1,000,000 records, and prints the side-by-side table.
 *
 *   bench_names gen OUT       corpus_cyr.tsv, corpus_lat.tsv, queries_quality.tsv
 *   bench_names quality OUT   results_kartoteka.tsv (top 100 ids per query)
 *   bench_names speed OUT [N] speed_kartoteka.tsv (encode, build, memory, latency)
 *   bench_names report OUT    the table: every results_*.tsv and speed_*.tsv
 *
 * Every engine's results are scored by the same code here (report), from
 * files, so the comparison is exact: same corpus, same queries, same ranks.
 * Single-threaded; times from clock_gettime(CLOCK_MONOTONIC).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "corpus.h"
#include "index/index.h"
#include "names/names.h"
#include "util/hmap.h"

/* The engine may not be in the tree yet: without it, quality and speed say
 * so and write nothing, and the report shows kartoteka's column empty. */
#ifndef HAVE_INDEX
#if __has_include("../src/index/index.c")
#define HAVE_INDEX 1
#else
#define HAVE_INDEX 0
#endif
#endif

#define TOPK 100 /* ranks kept per query; MRR counts ranks 1..TOPK */
#define MEMORIAL "tests/data/memorial/moscow_shot_1937_1941.csv"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: unlike the clock, it does not count the time
 * another process held the core, so it tells the query's own cost on a
 * busy machine. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "bench_names: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

static int build_set_scaled(bench_set *s, size_t extra)
{
    kt_error err;
    if (bench_set_build_scaled(s, MEMORIAL, extra, &err) != KT_OK) {
        char buf[2048];
        fprintf(stderr, "bench_names: %s\n", kt_error_format(&err, buf, sizeof buf));
        return -1;
    }
    return 0;
}

static int build_set(bench_set *s)
{
    return build_set_scaled(s, 0);
}

/* ---- gen ---- */

static void write_corpus(FILE *f, const bench_corpus *c)
{
    fprintf(f, "id\tsurname\tgiven\tpatronymic\tfather\tyear\tname\n");
    for (size_t i = 0; i < c->n; i++) {
        const bench_rec *r = &c->recs[i];
        fprintf(f, "%lld\t%s\t%s\t%s\t%s\t%d\t%s\n", (long long)r->id, r->surname,
                r->given, r->patronymic, r->father, r->year, r->name);
    }
}

/* queries_quality.tsv, closed. */
static void write_queries(FILE *fq, const bench_set *s)
{
    fprintf(fq, "qid\tkind\tcorpus\ttrue_id\tperson\ttext\tnote\n");
    for (size_t i = 0; i < s->nqueries; i++) {
        const bench_query *q = &s->queries[i];
        fprintf(fq, "%d\t%c\t%s\t%lld\t%s\t%s\t%s\n", q->qid, q->kind, q->corpus,
                (long long)q->true_id, q->person ? s->persons[q->person - 1].id : "M", q->text,
                q->note);
    }
    fclose(fq);
}

static int cmd_gen(const char *out)
{
    bench_set s;
    if (build_set(&s))
        return 1;
    FILE *fc = open_out(out, "corpus_cyr.tsv"), *fl = open_out(out, "corpus_lat.tsv"),
         *fq = open_out(out, "queries_quality.tsv");
    if (!fc || !fl || !fq)
        return 1;
    write_corpus(fc, &s.cyr);
    write_corpus(fl, &s.lat);
    write_queries(fq, &s);
    fclose(fc);
    fclose(fl);
    printf("corpus cyr: %zu records (%zu dev, %zu Memorial, %zu generated; "
           "%zu identical twins left out)\n",
           s.cyr.n, s.npersons, s.cyr.memorial, s.cyr.generated, s.cyr.twins);
    printf("corpus lat: %zu records (%zu dev, %zu generated; %zu identical twins "
           "left out)\n", s.lat.n, s.npersons, s.lat.generated, s.lat.twins);
    printf("queries: %zu\n", s.nqueries);
    bench_set_free(&s);
    return 0;
}

#if HAVE_INDEX
static kt_index *build_index(const bench_corpus *c, const char *source_key)
{
    kt_index *ix = index_new();
    if (!ix)
        return NULL;
    for (size_t i = 0; i < c->n; i++) {
        store_record r;
        bench_rec_to_store(&c->recs[i], source_key, &r);
        if (index_add(ix, &r) != 0) {
            index_free(ix);
            return NULL;
        }
    }
    if (index_finish(ix) != 0) {
        index_free(ix);
        return NULL;
    }
    return ix;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* p50 / p99 / max of the dev queries (~100,000 records per corpus): the
 * latency figure every engine of the table is measured on. */
static void write_dev_latency(const char *out, const char *key, double *ms, size_t n,
                              const char *how)
{
    char name[128];
    snprintf(name, sizeof name, "quality_%s.tsv", key);
    FILE *f = open_out(out, name);
    if (!f || !n) {
        if (f)
            fclose(f);
        return;
    }
    qsort(ms, n, sizeof *ms, cmp_double);
    fprintf(f, "dev_p50\t%.3f\tms\t%zu dev queries at ~100,000 records, %s\n",
            ms[n / 2], n, how);
    fprintf(f, "dev_p99\t%.3f\tms\t\n", ms[(n * 99) / 100]);
    fprintf(f, "dev_max\t%.3f\tms\t\n", ms[n - 1]);
    fclose(f);
}
#endif

/* ---- quality (kartoteka) ---- */

/* Every quality query against the corpora, the top TOPK hits of each into
 * results_kartoteka.tsv; with extra > 0, extra synthetic records are added
 * to each corpus's index first, to see what more namesakes do. */
static int cmd_quality(const char *out, size_t extra)
{
#if HAVE_INDEX
    bench_set s;
    if (build_set_scaled(&s, extra))
        return 1;
    if (extra) {
        /* the records sought have other ids among more: their queries too */
        FILE *fq = open_out(out, "queries_quality.tsv");
        if (!fq)
            return 1;
        write_queries(fq, &s);
        printf("corpora: %zu Cyrillic, %zu Polish records\n", s.cyr.n, s.lat.n);
    }
    kt_index *cyr = build_index(&s.cyr, "bench_cyr"), *lat = build_index(&s.lat, "bench_lat");
    if (!cyr || !lat) {
        fprintf(stderr, "bench_names: index build failed\n");
        return 1;
    }
    FILE *f = open_out(out, "results_kartoteka.tsv");
    if (!f)
        return 1;
    index_hit hits[TOPK];
    double *lat_ms = calloc(s.nqueries, sizeof *lat_ms);
    if (!lat_ms)
        return 1;
    /* the reliability of the scores: every hit of the first ten, by the
     * band its score falls in, and how many of them are the record sought */
    static const double band[] = {0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99, 1.0001};
    enum { NBAND = sizeof band / sizeof *band - 1 };
    /* [0] the dev persons' queries (a)-(h), which the score's map in
     * src/index/index_query.c was read from; [1] the Memorial Poles'
     * (i)-(k), which it was not: the map checked on names it has not seen */
    long in_band[2][NBAND] = {{0}}, right[2][NBAND] = {{0}};
    for (size_t i = 0; i < s.nqueries; i++) {
        const bench_query *q = &s.queries[i];
        double t0 = now_s();
        int n = index_query(strcmp(q->corpus, "cyr") == 0 ? cyr : lat, q->text, NULL,
                            hits, TOPK);
        lat_ms[i] = (now_s() - t0) * 1e3;
        fprintf(f, "%d\t", q->qid);
        for (int k = 0; k < n; k++)
            fprintf(f, "%s%lld", k ? " " : "", (long long)hits[k].record_id);
        fprintf(f, "\n");
        int held_out = q->kind >= 'i';
        for (int k = 0; k < n && k < 10; k++)
            for (int b = 0; b < NBAND; b++)
                if (hits[k].score >= band[b] && hits[k].score < band[b + 1]) {
                    in_band[held_out][b]++;
                    right[held_out][b] += hits[k].record_id == q->true_id;
                }
    }
    fclose(f);
    FILE *r = open_out(out, "reliability_kartoteka.tsv");
    if (!r)
        return 1;
    fprintf(r, "score\tdev (a-h): hits\tthe record sought\tshare"
               "\theld out (i-k): hits\tthe record sought\tshare\n");
    for (int b = 0; b < NBAND; b++) {
        fprintf(r, "%.2f-%.2f", band[b], band[b + 1] > 1 ? 1.0 : band[b + 1]);
        for (int h = 0; h < 2; h++)
            fprintf(r, "\t%ld\t%ld\t%.3f", in_band[h][b], right[h][b],
                    in_band[h][b] ? (double)right[h][b] / (double)in_band[h][b] : 0.0);
        fprintf(r, "\n");
    }
    fclose(r);
    write_dev_latency(out, "kartoteka", lat_ms, s.nqueries,
                      "index_query, k=100, in process");
    free(lat_ms);
    index_free(cyr);
    index_free(lat);
    bench_set_free(&s);
    return 0;
#else
    (void)out;
    (void)extra;
    fprintf(stderr, "bench_names: the index (src/index/index.c) is not in the tree "
                    "yet; no kartoteka results\n");
    return 0;
#endif
}

/* ---- speed (kartoteka, synthetic 1M) ---- */

#if HAVE_INDEX
static long rss_bytes(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = 0;
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

/* Drops the code point at byte offset `at` of the first word (a clerk's
 * dropped letter) or swaps it with the next (neighbouring letters swapped). */
static void damage(const char *in, char *out, size_t cap, uint64_t *st, int swap)
{
    size_t wl = strcspn(in, " ");
    size_t starts[64], ns = 0;
    for (size_t i = 1; i < wl && ns < 64; i++) /* never the first letter */
        if (((unsigned char)in[i] & 0xC0) != 0x80)
            starts[ns++] = i;
    snprintf(out, cap, "%s", in);
    if (ns < 2)
        return;
    size_t k = (size_t)(bench_rand(st) % (ns - 1));
    size_t a = starts[k], b = starts[k + 1], e = k + 2 < ns ? starts[k + 2] : wl;
    if (swap) {
        size_t la = b - a, lb = e - b;
        char tmp[16];
        if (la > sizeof tmp)
            return;
        memcpy(tmp, in + a, la);
        memcpy(out + a, in + b, lb);
        memcpy(out + a + lb, tmp, la);
    } else {
        snprintf(out + a, cap - a, "%s", in + b);
    }
}

/* A query for the latency mix, of one of eight kinds a user types. */
static void make_query(const bench_corpus *c, const bench_set *dev, int kind,
                       uint64_t *st, char *q, size_t cap)
{
    const bench_rec *r = &c->recs[bench_rand(st) % c->n];
    int cyr = r->patronymic[0] != '\0';
    char buf[512];
    switch (kind) {
    case 0: /* as written: Polish "Given Surname", Russian "Surname Given Patr." */
        if (cyr)
            snprintf(q, cap, "%s", r->name);
        else
            snprintf(q, cap, "%s %s", r->given, r->surname);
        break;
    case 1: { /* without diacritics / without patronymic */
        snprintf(buf, sizeof buf, "%s %s", r->given, r->surname);
        char *f = bench_fold_ascii(buf);
        snprintf(q, cap, "%s", f ? f : buf);
        free(f);
        break;
    }
    case 2: /* with a year as the sources write it */
        if (cyr)
            snprintf(q, cap, "%s %s %d г.р.", r->surname, r->given, r->year);
        else
            snprintf(q, cap, "%s %s ur. %d", r->given, r->surname, r->year);
        break;
    case 3:
    case 4: /* a dropped letter, two letters swapped */
        snprintf(buf, sizeof buf, "%s %s", r->surname, r->given);
        damage(buf, q, cap, st, kind == 4);
        break;
    case 5: /* surname only */
        snprintf(q, cap, "%s", r->surname);
        break;
    default: { /* the dev pairs, across scripts */
        const bench_query *dq = &dev->queries[bench_rand(st) % dev->nqueries];
        snprintf(q, cap, "%s", dq->text);
        break;
    }
    }
}
#endif

/* Names encoded per second, a name being one record's surname and given
 * names: each word read to its pivot (names_pivot), and, for "encode", also
 * turned into its skeleton and candidate keys, as the index does. */
static void encode_rate(const bench_corpus *c, FILE *f)
{
    char ph[NAMES_PIVOT_MAX * 2], skel[NAMES_SKELETON_MAX * 2];
    uint64_t keys[NAMES_KEYS_MAX], sink = 0;
    long words = 0;
    for (int with_keys = 0; with_keys < 2; with_keys++) {
        words = 0;
        double t0 = now_s();
        for (size_t i = 0; i < c->n; i++) {
            const char *parts[2] = {c->recs[i].surname, c->recs[i].given};
            for (int k = 0; k < 2; k++) {
                const char *p = parts[k];
                while (*p) {
                    size_t len = strcspn(p, " ");
                    if (len) {
                        int n = names_pivot(p, len, ph, sizeof ph);
                        words++;
                        if (n > 0 && with_keys) {
                            int sl = names_skeleton(ph, (size_t)n, skel, sizeof skel);
                            if (sl > 0)
                                sink += (uint64_t)names_keys(skel, (size_t)sl, keys) + keys[0];
                        } else if (n > 0) {
                            sink += (uint64_t)ph[0];
                        }
                    }
                    p += len;
                    while (*p == ' ')
                        p++;
                }
            }
        }
        double t = now_s() - t0;
        fprintf(f, "%s\t%.0f\tnames/s\t%s of surname + given names of %zu records "
                "(%ld words, %.0f words/s), one thread, %.2f s\n",
                with_keys ? "encode" : "pivot", (double)c->n / t,
                with_keys ? "names_pivot + names_skeleton + names_keys"
                          : "names_pivot",
                c->n, words, (double)words / t, t);
    }
    if (sink == 42)
        fprintf(stderr, " ");
}

#if HAVE_INDEX
/* Query latency over a mix of query kinds a user types, single thread:
 * writes the p50/p99/max/mean rows and the p50/p99 of each kind. */
typedef struct slow_query {
    double ms;
    int kind;
    char text[128];
} slow_query;

static int cmp_slow(const void *a, const void *b)
{
    const slow_query *x = a, *y = b;
    return x->ms < y->ms ? 1 : x->ms > y->ms ? -1 : 0;
}

/* Query latency on ix (see docs/bench.md); with nslow > 0 the nslow
 * slowest queries are printed to stdout too, to find what the tail is. */
static int latency(const kt_index *ix, const bench_corpus *cc, const bench_set *devs, FILE *f,
                   int nslow)
{
    const bench_corpus c = *cc;
    const bench_set dev = *devs;
    /* latency: a mix of query kinds, single thread */
    enum { NQ = 8000 };
    double *lat = malloc(NQ * sizeof *lat);
    if (!lat)
        return -1;
    uint64_t st = 1940;
    index_hit hits[10];
    char q[512];
    long found = 0;
    /* per kind too, so a slow kind is seen at once */
    static const char *kind_names[8] = {"as-written", "ascii", "with-year", "dropped-letter",
                                        "swapped-letters", "surname-only", "dev-pairs",
                                        "dev-pairs"};
    double *by_kind[8];
    int nk[8] = {0};
    for (int k = 0; k < 8; k++)
        if (!(by_kind[k] = malloc(NQ * sizeof **by_kind)))
            return -1;
    slow_query *slow = nslow > 0 ? calloc(NQ, sizeof *slow) : NULL;
    double *cpu = malloc(NQ * sizeof *cpu);
    if (!cpu)
        return -1;
    for (int i = 0; i < NQ; i++) {
        make_query(&c, &dev, i % 8, &st, q, sizeof q);
        double a = now_s(), ac = cpu_s();
        int k = index_query(ix, q, NULL, hits, 10);
        lat[i] = (now_s() - a) * 1e3;
        cpu[i] = (cpu_s() - ac) * 1e3;
        found += k > 0;
        int kind = i % 8 == 7 ? 6 : i % 8;
        by_kind[kind][nk[kind]++] = lat[i];
        if (slow) {
            slow[i].ms = lat[i];
            slow[i].kind = kind;
            snprintf(slow[i].text, sizeof slow[i].text, "%.120s", q);
        }
    }
    if (slow) {
        qsort(slow, NQ, sizeof *slow, cmp_slow);
        for (int i = 0; i < nslow && i < NQ; i++)
            printf("%8.3f ms  %-15s  %s\n", slow[i].ms, kind_names[slow[i].kind], slow[i].text);
        free(slow);
    }
    fprintf(f, "by_kind\t\t\tp50/p99 ms:");
    for (int k = 0; k < 7; k++) {
        qsort(by_kind[k], (size_t)nk[k], sizeof *by_kind[k], cmp_double);
        fprintf(f, " %s %.2f/%.2f;", kind_names[k], by_kind[k][nk[k] / 2],
                by_kind[k][(nk[k] * 99) / 100]);
    }
    fprintf(f, "\n");
    for (int k = 0; k < 8; k++)
        free(by_kind[k]);
    qsort(lat, NQ, sizeof *lat, cmp_double);
    double sum = 0;
    for (int i = 0; i < NQ; i++)
        sum += lat[i];
    fprintf(f, "p50\t%.3f\tms\t%d queries, 8 kinds, k=10, %ld with hits\n",
            lat[NQ / 2], NQ, found);
    fprintf(f, "p99\t%.3f\tms\t\n", lat[(NQ * 99) / 100]);
    fprintf(f, "max\t%.3f\tms\t\n", lat[NQ - 1]);
    fprintf(f, "mean\t%.3f\tms\t\n", sum / NQ);
    qsort(cpu, NQ, sizeof *cpu, cmp_double);
    fprintf(f, "cpu_p50_p99\t%.3f / %.3f\tms\tthe same queries' CPU time (not counting waits "
            "for a core)\n", cpu[NQ / 2], cpu[(NQ * 99) / 100]);
    free(cpu);
    free(lat);
    return 0;
}
#endif

static int cmd_speed(const char *out, size_t n)
{
    bench_corpus c;
    kt_error err;
    if (bench_synthetic(&c, n, 1939, &err) != KT_OK) {
        fprintf(stderr, "bench_names: %s\n", err.message);
        return 1;
    }
    FILE *f = open_out(out, "speed_kartoteka.tsv");
    if (!f)
        return 1;
    fprintf(f, "records\t%zu\trecords\tsynthetic, half Cyrillic half Polish, %zu "
            "distinct surnames\n", c.n, bench_distinct_surnames(&c));

    /* encoding: every word of surname and given names through the engine's
     * public encoder (names_pivot, then the candidate keys), single thread */
    encode_rate(&c, f);

#if HAVE_INDEX
    bench_set dev;
    if (build_set(&dev))
        return 1;
    /* build: index_add of every record + index_finish */
    long rss0 = rss_bytes();
    double t0 = now_s();
    kt_index *ix = build_index(&c, "bench_synthetic");
    double t_build = now_s() - t0;
    long rss1 = rss_bytes();
    if (!ix) {
        fprintf(stderr, "bench_names: index build failed\n");
        return 1;
    }
    fprintf(f, "build\t%.0f\trec/s\tindex_add x %zu + index_finish, %.2f s\n",
            (double)c.n / t_build, c.n, t_build);
    fprintf(f, "bytes_per_record\t%.1f\tB\tindex_memory / n\n",
            (double)index_memory(ix) / (double)c.n);
    fprintf(f, "rss_per_record\t%.1f\tB\tresident-set growth during build / n "
            "(cross-check)\n", (double)(rss1 - rss0) / (double)c.n);

    if (latency(ix, &c, &dev, f, 0) != 0)
        return 1;
    index_free(ix);
    bench_set_free(&dev);
#else
    fprintf(stderr, "bench_names: the index (src/index/index.c) is not in the tree "
                    "yet; no build or latency figures\n");
#endif
    fclose(f);
    bench_corpus_free(&c);
    return 0;
}

#if HAVE_INDEX
/* Milliseconds of one run of `BIN search --db DB --limit 10 QUERY`, from
 * fork to exit, its output discarded; < 0 when it failed. */
static double cli_search_ms(const char *bin, const char *db, const char *query)
{
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            close(fd);
        }
        execl(bin, bin, "search", "--db", db, "--limit", "10", query, (char *)NULL);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return (now_s() - t0) * 1e3;
}

/* The index as the programs open it, at n records: a store of n synthetic
 * records; index_open with no snapshot (build + write), then with it
 * (map: what a server start costs); bytes per record; query latency on
 * the mapped index; one CLI search end to end (median of 11). */
static int cmd_snapshot(const char *out, size_t n, const char *bin)
{
    bench_corpus c;
    kt_error err;
    if (bench_synthetic(&c, n, 1939, &err) != KT_OK) {
        fprintf(stderr, "bench_names: %s\n", err.message);
        return 1;
    }
    char name[64], db[1024], snap[1100];
    snprintf(name, sizeof name, "snapshot_%zu.tsv", n);
    snprintf(db, sizeof db, "%s/store_%zu.db", out, n);
    snprintf(snap, sizeof snap, "%s%s", db, INDEX_SNAPSHOT_SUFFIX);
    FILE *f = open_out(out, name);
    if (!f)
        return 1;
    const char *suffix[] = {"", "-wal", "-shm", INDEX_SNAPSHOT_SUFFIX};
    for (int i = 0; i < 4; i++) {
        char p[1100];
        snprintf(p, sizeof p, "%s%s", db, suffix[i]);
        unlink(p);
    }
    store *st = NULL;
    store_source src = {.key = "bench_synthetic", .title = "synthetic records",
                        .language = "ru", .script = "Cyrl"};
    double t0 = now_s();
    int rc = store_open(db, 1, &st, &err);
    if (rc == KT_OK)
        rc = store_begin(st, &err);
    if (rc == KT_OK)
        rc = store_source_add(st, &src, &err);
    for (size_t i = 0; i < c.n && rc == KT_OK; i++) {
        store_record r;
        bench_rec_to_store(&c.recs[i], src.key, &r);
        r.id = 0;
        r.source_id = src.id;
        r.raw = c.recs[i].name;
        rc = store_record_add(st, &r, &err);
    }
    if (rc == KT_OK)
        rc = store_commit(st, &err);
    if (rc != KT_OK) {
        fprintf(stderr, "bench_names: store: %s\n", err.message);
        return 1;
    }
    fprintf(f, "records\t%zu\trecords\tsynthetic, %zu distinct surnames; store loaded in "
            "%.1f s\n", c.n, bench_distinct_surnames(&c), now_s() - t0);
    kt_index *ix = NULL;
    t0 = now_s();
    if (index_open(st, &ix, &err) != KT_OK || index_from_snapshot(ix)) {
        fprintf(stderr, "bench_names: index_open (build): %s\n", err.message);
        return 1;
    }
    fprintf(f, "open_build\t%.3f\ts\tindex_open without a snapshot: read the store, "
            "build, write the snapshot\n", now_s() - t0);
    index_free(ix);
    double best = 1e9;
    for (int i = 0; i < 3; i++) {
        t0 = now_s();
        if (index_open(st, &ix, &err) != KT_OK || !index_from_snapshot(ix)) {
            fprintf(stderr, "bench_names: index_open (snapshot) did not map it\n");
            return 1;
        }
        double t = now_s() - t0;
        if (t < best)
            best = t;
        if (i < 2)
            index_free(ix);
    }
    fprintf(f, "open_snapshot\t%.4f\ts\tindex_open with the snapshot (the store's state "
            "read, the file mapped), best of 3\n", best);
    t0 = now_s();
    index_prefault(ix);
    fprintf(f, "server_start\t%.4f\ts\tindex_open + index_prefault (every page of the "
            "snapshot touched once), what a server start costs\n", best + now_s() - t0);
    struct stat sb;
    stat(snap, &sb);
    fprintf(f, "bytes_per_record\t%.1f\tB\tindex_memory / n of the mapped index; the "
            "snapshot file %.1f B/record\n", (double)index_memory(ix) / (double)c.n,
            (double)sb.st_size / (double)c.n);
    bench_set dev;
    if (build_set(&dev) || latency(ix, &c, &dev, f, 0) != 0)
        return 1;
    index_free(ix);
    store_close(st);
    /* the CLI, end to end: process start, store open, snapshot mapped,
     * one query answered and printed */
    double ms[11];
    uint64_t qs = 1941;
    for (int i = 0; i < 11; i++) {
        char q[512];
        make_query(&c, &dev, i % 7, &qs, q, sizeof q);
        if ((ms[i] = cli_search_ms(bin, db, q)) < 0) {
            fprintf(stderr, "bench_names: %s search failed\n", bin);
            return 1;
        }
    }
    qsort(ms, 11, sizeof *ms, cmp_double);
    fprintf(f, "cli_search\t%.1f\tms\tkartoteka search, one query, end to end: median of 11 "
            "(min %.1f, max %.1f)\n", ms[5], ms[0], ms[10]);
    bench_set_free(&dev);
    fclose(f);
    bench_corpus_free(&c);
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", out, name);
    FILE *g = fopen(path, "r");
    char line[1024];
    while (g && fgets(line, sizeof line, g))
        fputs(line, stdout);
    if (g)
        fclose(g);
    return 0;
}

/* The latency of the index of a store left by `snapshot` (OUTDIR/store_N.db
 * and its snapshot), without building it again, and the slowest queries:
 * for looking into the tail. */
static int cmd_latency(const char *out, size_t n, int nslow)
{
    bench_corpus c;
    kt_error err;
    if (bench_synthetic(&c, n, 1939, &err) != KT_OK) {
        fprintf(stderr, "bench_names: %s\n", err.message);
        return 1;
    }
    char db[1024];
    snprintf(db, sizeof db, "%s/store_%zu.db", out, n);
    store *st = NULL;
    kt_index *ix = NULL;
    if (store_open_readonly(db, &st, &err) != KT_OK || index_open(st, &ix, &err) != KT_OK) {
        fprintf(stderr, "bench_names: %s: %s\n", db, err.message);
        return 1;
    }
    if (!index_from_snapshot(ix))
        fprintf(stderr, "bench_names: %s: no usable snapshot, the index was built\n", db);
    index_prefault(ix);
    bench_set dev;
    if (build_set(&dev) || latency(ix, &c, &dev, stdout, nslow) != 0)
        return 1;
    index_free(ix);
    store_close(st);
    bench_set_free(&dev);
    bench_corpus_free(&c);
    return 0;
}
#endif

/* ---- report ---- */

typedef struct qrow {
    int qid;
    char kind;
    char corpus[4];
    long long true_id;
    char person[16];
    char text[512];
    char note[512];
} qrow;

typedef struct engine {
    const char *key, *title;
    int have;           /* results file present */
    int *rank;          /* per query: 1..TOPK, 0 = not in the top TOPK */
    long long *top;     /* per query: the first hit, 0 = none */
    char speed[24][3][256]; /* metric, value, note */
    int nspeed;
} engine;

static int read_queries(const char *dir, qrow **out, int *n)
{
    char path[1024], line[4096];
    snprintf(path, sizeof path, "%s/queries_quality.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_names: %s: %s (run gen first)\n", path, strerror(errno));
        return -1;
    }
    int cap = 256;
    qrow *v = calloc((size_t)cap, sizeof *v);
    *n = 0;
    while (v && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "qid\t", 4) == 0)
            continue;
        if (*n == cap) {
            qrow *w = realloc(v, (size_t)(cap *= 2) * sizeof *v);
            if (!w)
                break;
            v = w;
        }
        qrow *q = &v[*n];
        memset(q, 0, sizeof *q);
        char *save = NULL, *fld[7] = {0};
        char *p = line;
        for (int i = 0; i < 7; i++) {
            fld[i] = p;
            char *t = p ? strchr(p, '\t') : NULL;
            if (t) {
                *t = '\0';
                p = t + 1;
            } else {
                p = NULL;
            }
        }
        (void)save;
        if (!fld[5])
            continue;
        q->qid = atoi(fld[0]);
        q->kind = fld[1][0];
        snprintf(q->corpus, sizeof q->corpus, "%s", fld[2]);
        q->true_id = atoll(fld[3]);
        snprintf(q->person, sizeof q->person, "%s", fld[4]);
        snprintf(q->text, sizeof q->text, "%s", fld[5]);
        snprintf(q->note, sizeof q->note, "%s", fld[6] ? fld[6] : "");
        (*n)++;
    }
    fclose(f);
    *out = v;
    return v ? 0 : -1;
}

static void read_results(const char *dir, engine *e, const qrow *q, int nq)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/results_%s.tsv", dir, e->key);
    e->rank = calloc((size_t)nq + 1, sizeof *e->rank);
    e->top = calloc((size_t)nq + 1, sizeof *e->top);
    FILE *f = fopen(path, "r");
    if (!f || !e->rank || !e->top) {
        if (f)
            fclose(f);
        return;
    }
    e->have = 1;
    size_t cap = 1 << 16;
    char *line = malloc(cap);
    while (line && fgets(line, (int)cap, f)) {
        if (line[0] == '#')
            continue;
        int qid = atoi(line);
        if (qid < 1 || qid > nq)
            continue;
        const qrow *qq = &q[qid - 1];
        char *p = strchr(line, '\t');
        int r = 0;
        while (p && *p) {
            char *end;
            long long id = strtoll(p + 1, &end, 10);
            if (end == p + 1)
                break;
            r++;
            if (r == 1)
                e->top[qid] = id;
            if (id == qq->true_id && !e->rank[qid]) {
                e->rank[qid] = r;
            }
            if (r >= TOPK)
                break;
            p = end;
        }
    }
    free(line);
    fclose(f);
}

static void read_speed(const char *dir, const char *prefix, engine *e)
{
    char path[1024], line[1024];
    snprintf(path, sizeof path, "%s/%s_%s.tsv", dir, prefix, e->key);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    while (e->nspeed < 24 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *a = line, *b = strchr(a, '\t');
        if (!b)
            continue;
        *b++ = '\0';
        char *c = strchr(b, '\t');
        if (c)
            *c++ = '\0';
        char *d = c ? strchr(c, '\t') : NULL;
        if (d)
            *d++ = '\0';
        snprintf(e->speed[e->nspeed][0], 256, "%.255s", a);
        snprintf(e->speed[e->nspeed][1], 256, "%.255s", b);
        snprintf(e->speed[e->nspeed][2], 256, "%.255s", d ? d : "");
        e->nspeed++;
    }
    fclose(f);
}

static int speed_value(const engine *e, const char *metric, double *v)
{
    for (int i = 0; i < e->nspeed; i++)
        if (strcmp(e->speed[i][0], metric) == 0) {
            *v = atof(e->speed[i][1]);
            return 1;
        }
    return 0;
}

/* recall@1, recall@10, MRR of one engine over one query kind. */
static int metrics(const engine *e, const qrow *q, int nq, char kind, double m[3])
{
    int n = 0, r1 = 0, r10 = 0;
    double rr = 0;
    for (int i = 0; i < nq; i++) {
        if (q[i].kind != kind)
            continue;
        n++;
        int r = e->rank[q[i].qid];
        r1 += r == 1;
        r10 += r >= 1 && r <= 10;
        rr += r ? 1.0 / r : 0.0;
    }
    if (!n)
        return 0;
    m[0] = (double)r1 / n;
    m[1] = (double)r10 / n;
    m[2] = rr / n;
    return n;
}

#define NENG 5

static void print_row(const char *metric, const char *target, const engine *e,
                      const double *v, const int *have, int higher_better,
                      const char *fmt)
{
    printf("| %-36s | %-8s |", metric, target);
    double best = 0;
    int have_best = 0;
    for (int i = 0; i < NENG; i++) {
        if (have[i]) {
            char cell[32];
            snprintf(cell, sizeof cell, fmt, v[i]);
            printf(" %12s |", cell);
        } else {
            printf(" %12s |", "-");
        }
        if (i > 0 && have[i] &&
            (!have_best || (higher_better ? v[i] > best : v[i] < best))) {
            best = v[i];
            have_best = 1;
        }
    }
    if (have[0] && have_best && best != 0)
        printf(" %8.2f |\n", v[0] / best);
    else
        printf(" %8s |\n", "-");
    (void)e;
}

/* The names of a corpus file by id (index 0 unused), for the miss list. */
typedef struct names_by_id {
    char **name;
    size_t n;
} names_by_id;

static void load_names(const char *dir, const char *script, names_by_id *out)
{
    char path[1024], line[4096];
    snprintf(path, sizeof path, "%s/corpus_%s.tsv", dir, script);
    out->name = NULL;
    out->n = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    size_t cap = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        long long id = atoll(line);
        const char *name = strrchr(line, '\t');
        if (id < 1 || !name)
            continue;
        if ((size_t)id >= cap) {
            size_t ncap = cap ? cap * 2 : 1 << 17;
            while (ncap <= (size_t)id)
                ncap *= 2;
            char **v = realloc(out->name, ncap * sizeof *v);
            if (!v)
                break;
            memset(v + cap, 0, (ncap - cap) * sizeof *v);
            out->name = v;
            cap = ncap;
        }
        out->name[id] = strdup(name + 1);
        if ((size_t)id >= out->n)
            out->n = (size_t)id + 1;
    }
    fclose(f);
}

static const char *name_of(const names_by_id *nb, long long id)
{
    return id > 0 && (size_t)id < nb->n && nb->name[id] ? nb->name[id] : "?";
}

/* Prints s left-aligned in `width` columns, counting code points, not bytes. */
static void print_padded(const char *s, int width)
{
    int cols = 0;
    for (const char *p = s; *p; p++)
        cols += ((unsigned char)*p & 0xC0) != 0x80;
    printf("%s%*s", s, width > cols ? width - cols : 0, "");
}

static int cmd_report(const char *dir)
{
    qrow *q;
    int nq;
    if (read_queries(dir, &q, &nq))
        return 1;
    engine e[NENG] = {
        {.key = "kartoteka", .title = "kartoteka"},
        {.key = "bmpm", .title = "BMPM"},
        {.key = "dm", .title = "DM"},
        {.key = "pgtrgm", .title = "pg_trgm"},
        {.key = "icujw", .title = "ICU+JW"},
    };
    for (int i = 0; i < NENG; i++) {
        read_results(dir, &e[i], q, nq);
        read_speed(dir, "speed", &e[i]);
        read_speed(dir, "quality", &e[i]);
    }

    names_by_id nb_cyr, nb_lat;
    load_names(dir, "cyr", &nb_cyr);
    load_names(dir, "lat", &nb_lat);

    /* every query whose true record is not first, kartoteka first; the
     * peers' (c) misses are only counted */
    for (int i = 0; i < NENG; i++) {
        if (!e[i].have)
            continue;
        int shown = 0;
        for (int k = 0; k < nq; k++) {
            int r = e[i].rank[q[k].qid];
            if (r == 1)
                continue;
            if (i > 0 && q[k].kind == 'c')
                continue; /* peers' (c) misses: only counted */
            if (!shown++)
                printf("\n%s: queries whose true record is not first "
                       "(rank 0 = not in the top %d)\n", e[i].title, TOPK);
            const names_by_id *nb = strcmp(q[k].corpus, "cyr") == 0 ? &nb_cyr : &nb_lat;
            printf("  %c %-5s ", q[k].kind, q[k].person);
            print_padded(q[k].text, 38);
            printf(" rank %3d  top hit ", r);
            const char *top = e[i].top[q[k].qid] ? name_of(nb, e[i].top[q[k].qid])
                                                  : "(no hits)";
            if (q[k].note[0]) {
                print_padded(top, 36);
                printf(" -- %s\n", q[k].note);
            } else {
                printf("%s\n", top);
            }
        }
    }

    printf("\n| %-36s | %-8s | %12s | %12s | %12s | %12s | %12s | %8s |\n", "metric",
           "target", "kartoteka", "BMPM", "DM", "pg_trgm", "ICU+JW", "ratio");
    printf("|--------------------------------------|----------|--------------|"
           "--------------|--------------|--------------|--------------|----------|\n");
    struct {
        const char *metric, *label, *target, *fmt;
        int higher;
    } speed_rows[] = {
        {"pivot", "encode names/s/core (pivot)", ">= 1e6", "%.0f", 1},
        {"encode", "encode names/s/core (pivot+keys)", ">= 1e6", "%.0f", 1},
        {"build", "index build rec/s", ">= 5e5", "%.0f", 1},
        {"bytes_per_record", "index bytes/record", "<= 200", "%.1f", 0},
        {"p50", "query p50 ms, 1M mix", "", "%.3f", 0},
        {"p99", "query p99 ms, 1M mix", "< 2", "%.3f", 0},
        {"max", "query max ms, 1M mix", "", "%.3f", 0},
        {"dev_p50", "query p50 ms, dev queries 100k", "", "%.3f", 0},
        {"dev_p99", "query p99 ms, dev queries 100k", "", "%.3f", 0},
        {"dev_max", "query max ms, dev queries 100k", "", "%.3f", 0},
    };
    for (size_t r = 0; r < sizeof speed_rows / sizeof *speed_rows; r++) {
        double v[NENG];
        int have[NENG];
        for (int i = 0; i < NENG; i++)
            have[i] = speed_value(&e[i], speed_rows[r].metric, &v[i]);
        print_row(speed_rows[r].label, speed_rows[r].target, e, v, have,
                  speed_rows[r].higher, speed_rows[r].fmt);
    }
    const char *kinds = "abdcefghijk";
    const char *kind_label[] = {"(a) Polish", "(b) ASCII", "(d) Cyrillic",
                                "(c) other", "(e) slip", "(f) misread",
                                "(g) initial", "(h) part/none", "(i) Memorial slip",
                                "(j) Memorial Pole", "(k) M. Pole damaged"};
    for (int k = 0; k < 11; k++) {
        double m[NENG][3];
        int have[NENG], n = 0;
        for (int i = 0; i < NENG; i++) {
            have[i] = e[i].have;
            int c = e[i].have ? metrics(&e[i], q, nq, kinds[k], m[i]) : 0;
            if (c)
                n = c;
        }
        const char *names[3] = {"recall@1", "recall@10", "MRR"};
        const char *targets[3] = {">= 0.97", ">= 0.995", ""};
        const char *damaged[3] = {">= 0.95", ">= 0.99", ""};
        const char *initial[3] = {">= 0.97", ">= 0.97", ""};
        for (int j = 0; j < 3; j++) {
            char label[64];
            double v[NENG];
            snprintf(label, sizeof label, "%s %s n=%d", kind_label[k], names[j], n);
            for (int i = 0; i < NENG; i++)
                v[i] = have[i] ? m[i][j] : 0;
            const char *t = kinds[k] == 'c' || kinds[k] == 'h' ? "report"
                            : kinds[k] == 'e' || kinds[k] == 'f' || kinds[k] == 'i' ||
                                      kinds[k] == 'k' ? damaged[j]
                            : kinds[k] == 'g' ? initial[j] : targets[j];
            print_row(label, t, e, v, have, 1, "%.3f");
        }
    }
    printf("\nratio = kartoteka / best peer (for times and bytes lower is better, "
           "so there < 1 is a win).\n");
    for (int i = 0; i < NENG; i++)
        for (int s = 0; s < e[i].nspeed; s++)
            if (e[i].speed[s][2][0])
                printf("  %s %s%s%s: %s\n", e[i].title, e[i].speed[s][0],
                       e[i].speed[s][1][0] ? " = " : "", e[i].speed[s][1],
                       e[i].speed[s][2]);
    for (int i = 0; i < NENG; i++) {
        free(e[i].rank);
        free(e[i].top);
    }
    for (size_t i = 0; i < nb_cyr.n; i++)
        free(nb_cyr.name[i]);
    for (size_t i = 0; i < nb_lat.n; i++)
        free(nb_lat.name[i]);
    free(nb_cyr.name);
    free(nb_lat.name);
    free(q);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_names gen|quality|speed|report OUTDIR [N]\n"
                        "       (quality OUTDIR N: with N synthetic distractors added)\n"
                        "       bench_names snapshot OUTDIR N KARTOTEKA_BIN\n"
                        "       bench_names latency OUTDIR N [SLOWEST]   (on snapshot's store)\n");
        return 2;
    }
    mkdir(argv[2], 0777);
    if (strcmp(argv[1], "gen") == 0)
        return cmd_gen(argv[2]);
    if (strcmp(argv[1], "quality") == 0)
        return cmd_quality(argv[2], argc > 3 ? (size_t)atol(argv[3]) : 0);
    if (strcmp(argv[1], "speed") == 0)
        return cmd_speed(argv[2], argc > 3 ? (size_t)atol(argv[3]) : 1000000);
#if HAVE_INDEX
    if (strcmp(argv[1], "snapshot") == 0 && argc > 4)
        return cmd_snapshot(argv[2], (size_t)atol(argv[3]), argv[4]);
    if (strcmp(argv[1], "latency") == 0 && argc > 3)
        return cmd_latency(argv[2], (size_t)atol(argv[3]), argc > 4 ? atoi(argv[4]) : 20);
#endif
    if (strcmp(argv[1], "report") == 0)
        return cmd_report(argv[2]);
    fprintf(stderr, "bench_names: unknown mode %s\n", argv[1]);
    return 2;
}
