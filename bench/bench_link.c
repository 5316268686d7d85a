/*
 * bench_link.c — the linkage on generated lists with known truth
 * (gen_lists.h): pairwise and cluster precision, recall and F1, pairs
 * compared, time and peak memory; and a peer in the same run: exact match
 * on the Daitch–Mokotoff code of the surname (Apache Commons Codec, on the
 * ICU Latin transliteration) plus the birth year, a key linking only where
 * each list has one record with it.
 *
 *   bench_link [--scale S] [--noise N] [--threads T] [--big N] [--no-peer]
 *              [--header]
 *
 * --big N: two lists of N records each (NKVD and memorial, nine in ten men
 * on both) instead of the realistic three.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "gen_lists.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of this process so far: on a shared machine
 * the wall time says how busy the others were as much as how long this took. */
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

typedef struct scores {
    double pp, pr, pf;   /* pairwise */
    double cp, cr, cf;   /* clusters */
} scores;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double f1(double p, double r)
{
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

/* Runs of equal (key >> shift) in sorted v: sum of C(run, 2). */
static uint64_t pairs_in_runs(const uint64_t *v, size_t n, int shift)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && (v[j] >> shift) == (v[i] >> shift))
            j++;
        uint64_t k = j - i;
        total += k * (k - 1) / 2;
        i = j;
    }
    return total;
}

/* Scores a clustering (cluster[i] per record) against the truth. */
static scores evaluate(const gen_lists *g, const uint32_t *cluster)
{
    size_t n = g->n;
    uint64_t *v = malloc((n + 1) * sizeof *v);
    scores s = {0};
    if (!v)
        return s;
    /* predicted pairs: (cluster); true positives: (cluster, person) */
    for (size_t i = 0; i < n; i++)
        v[i] = (uint64_t)cluster[i] << 32 | g->rec[i].person;
    qsort(v, n, sizeof *v, cmp_u64);
    uint64_t predicted = pairs_in_runs(v, n, 32), tp = pairs_in_runs(v, n, 0);
    /* a predicted cluster of two or more is right when it is a whole person:
     * its (cluster) run has one person, and that person has no other records */
    uint64_t *w = malloc((n + 1) * sizeof *w);
    if (!w) {
        free(v);
        return s;
    }
    for (size_t i = 0; i < n; i++)
        w[i] = (uint64_t)g->rec[i].person << 32 | cluster[i];
    qsort(w, n, sizeof *w, cmp_u64);
    uint64_t truth = pairs_in_runs(w, n, 32);
    uint64_t pred_clusters = 0, true_clusters = 0, right = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && (w[j] >> 32) == (w[i] >> 32))
            j++;
        true_clusters += j - i > 1;
        /* the person's records all in one cluster ... */
        int one = (w[i] & 0xffffffffu) == (w[j - 1] & 0xffffffffu);
        if (one && j - i > 1) {
            /* ... which holds nobody else: its size equals j - i */
            uint32_t c = (uint32_t)w[i];
            uint64_t lo = (uint64_t)c << 32, size = 0;
            size_t a = 0, b = n;
            while (a < b) {
                size_t m = (a + b) / 2;
                if (v[m] < lo)
                    a = m + 1;
                else
                    b = m;
            }
            while (a + size < n && (v[a + size] >> 32) == c)
                size++;
            right += size == j - i;
        }
        i = j;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && (v[j] >> 32) == (v[i] >> 32))
            j++;
        pred_clusters += j - i > 1;
        i = j;
    }
    s.pp = predicted ? (double)tp / (double)predicted : 1;
    s.pr = truth ? (double)tp / (double)truth : 1;
    s.pf = f1(s.pp, s.pr);
    s.cp = pred_clusters ? (double)right / (double)pred_clusters : 1;
    s.cr = true_clusters ? (double)right / (double)true_clusters : 1;
    s.cf = f1(s.cp, s.cr);
    free(v);
    free(w);
    return s;
}

/* Prints up to n records split from their man and n wrongly joined. */
static void debug_misses(const gen_lists *g, const link_set *set, const link_result *res,
                         int n)
{
    int fn = 0, fp = 0;
    for (size_t i = 0; i < g->n && (fn < n || fp < n); i++)
        for (size_t j = i + 1; j < g->n && j < i + 20000; j++) {
            int same = g->rec[i].person == g->rec[j].person;
            int joined = res->cluster[i] == res->cluster[j];
            if (same == joined || (same ? fn >= n : fp >= n))
                continue;
            char why[1024];
            link_explain(set, &res->model, (uint32_t)i, (uint32_t)j, why, sizeof why);
            fprintf(stderr, "%s: %s %s %s %d %s | %s %s %s %d %s\n%s\n\n",
                    same ? "MISSED" : "WRONG", g->rec[i].surname, g->rec[i].given,
                    g->rec[i].father, g->rec[i].year, g->rec[i].rank, g->rec[j].surname,
                    g->rec[j].given, g->rec[j].father, g->rec[j].year, g->rec[j].rank, why);
            if (same)
                fn++;
            else
                fp++;
        }
}

/* ---- the peer --------------------------------------------------------------- */

static uint32_t find(uint32_t *p, uint32_t i)
{
    while (p[i] != i)
        i = p[i] = p[p[i]];
    return i;
}

/* Runs the Daitch–Mokotoff peer; 0, or -1 when its tools are missing. */
static int run_peer(const gen_lists *g, uint32_t *cluster, double *seconds)
{
    const char *dir = getenv("BENCH_OUT") ? getenv("BENCH_OUT") : "bench/out";
    const char *classes = getenv("PEER_CLASSES") ? getenv("PEER_CLASSES") : "build/bench";
    const char *jar = getenv("COMMONS_CODEC_JAR") ? getenv("COMMONS_CODEC_JAR")
                                                  : "/usr/share/java/commons-codec.jar";
    char in[512], lat[512], codes[512], cmd[4096];
    snprintf(in, sizeof in, "%s/link_surnames.txt", dir);
    snprintf(lat, sizeof lat, "%s/link_surnames.lat.txt", dir);
    snprintf(codes, sizeof codes, "%s/link_surnames.dm.txt", dir);
    FILE *f = fopen(in, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < g->n; i++)
        fprintf(f, "%s\n", g->rec[i].surname);
    fclose(f);
    double t0 = now();
    snprintf(cmd, sizeof cmd, "uconv -x 'Any-Latin; Latin-ASCII' < '%s' | tr -d \"'\\\"\" > '%s'"
             " && java -cp '%s:%s' LinkPeer '%s' '%s'", in, lat, jar, classes, lat, codes);
    if (system(cmd) != 0)
        return -1;
    f = fopen(codes, "r");
    if (!f)
        return -1;
    /* key = (code, year) per record; link where every list has one record */
    size_t cap = g->n * 2 + 16, n = 0;
    struct key { uint64_t k; uint32_t rec; } *keys = malloc(cap * sizeof *keys);
    char line[1024];
    size_t rec = 0;
    while (keys && fgets(line, sizeof line, f) && rec < g->n) {
        line[strcspn(line, "\n")] = '\0';
        int year = g->rec[rec].year;
        for (char *tok = strtok(line, ","); tok && year; tok = strtok(NULL, ",")) {
            if (n == cap) {
                cap *= 2;
                void *grown = realloc(keys, cap * sizeof *keys);
                if (!grown)
                    break;
                keys = grown;
            }
            uint64_t code = strtoull(tok, NULL, 10);
            keys[n++] = (struct key){code * 4096 + (uint64_t)year, (uint32_t)rec};
        }
        rec++;
    }
    fclose(f);
    if (!keys)
        return -1;
    uint64_t *v = malloc((n + 1) * sizeof *v);
    for (size_t i = 0; v && i < n; i++)
        v[i] = keys[i].k;
    for (uint32_t i = 0; i < g->n; i++)
        cluster[i] = i;
    /* sort keys by k via index pairs packed: k is < 2^40, rec < 2^24 */
    for (size_t i = 0; v && i < n; i++)
        v[i] = keys[i].k << 24 | keys[i].rec;
    if (v)
        qsort(v, n, sizeof *v, cmp_u64);
    for (size_t i = 0; v && i < n;) {
        size_t j = i + 1;
        while (j < n && (v[j] >> 24) == (v[i] >> 24))
            j++;
        int count[GEN_NLISTS] = {0};
        for (size_t k = i; k < j; k++)
            count[g->rec[v[k] & 0xffffff].list]++;
        int unique = 1;
        for (int l = 0; l < GEN_NLISTS; l++)
            unique &= count[l] <= 1;
        if (unique)
            for (size_t k = i + 1; k < j; k++) {
                uint32_t a = find(cluster, (uint32_t)(v[i] & 0xffffff));
                uint32_t b = find(cluster, (uint32_t)(v[k] & 0xffffff));
                if (a != b)
                    cluster[a > b ? a : b] = a < b ? a : b;
            }
        i = j;
    }
    for (uint32_t i = 0; i < g->n; i++)
        cluster[i] = find(cluster, i);
    free(v);
    free(keys);
    *seconds = now() - t0;
    return 0;
}

int main(int argc, char **argv)
{
    double scale = 1, noise = 1;
    int threads = 2, peer = 1, header = 0;
    long big = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--scale") && i + 1 < argc)
            scale = atof(argv[++i]);
        else if (!strcmp(argv[i], "--noise") && i + 1 < argc)
            noise = atof(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--big") && i + 1 < argc)
            big = atol(argv[++i]);
        else if (!strcmp(argv[i], "--no-peer"))
            peer = 0;
        else if (!strcmp(argv[i], "--header"))
            header = 1;
        else {
            fprintf(stderr, "usage: bench_link [--scale S] [--noise N] [--threads T]"
                            " [--big N] [--no-peer] [--header]\n");
            return 2;
        }
    }
    gen_options o;
    gen_options_realistic(&o, scale, noise);
    if (big > 0) {
        memset(o.size, 0, sizeof o.size);
        o.size[GEN_NKVD] = (size_t)big;
        o.size[GEN_MEMORIAL] = (size_t)big;
        o.exhumed_unlisted = 0;
        o.persons = (size_t)big * 10 / 9;
    }
    gen_lists g;
    if (gen_lists_make(&o, &g) != 0) {
        fprintf(stderr, "bench_link: cannot generate (run from the project root)\n");
        return 1;
    }
    link_input *in = gen_lists_inputs(&g);
    double t0 = now(), c0 = cpu_seconds();
    link_set *set = in ? link_set_build(in, g.n, threads) : NULL;
    double t1 = now();
    free(in);
    if (!set) {
        fprintf(stderr, "bench_link: out of memory\n");
        return 1;
    }
    link_options opt;
    link_options_default(&opt);
    opt.threads = threads;
    link_result res;
    kt_error err;
    if (link_compute(set, &opt, NULL, 0, &res, &err) != KT_OK) {
        fprintf(stderr, "bench_link: %s\n", err.message);
        return 1;
    }
    double t2 = now(), c2 = cpu_seconds();
    double mem = peak_mib();
    if (getenv("BENCH_LINK_DEBUG"))
        debug_misses(&g, set, &res, atoi(getenv("BENCH_LINK_DEBUG")));
    scores s = evaluate(&g, res.cluster);
    char lists[64] = "";
    for (int l = 0; l < GEN_NLISTS; l++)
        if (o.size[l])
            snprintf(lists + strlen(lists), sizeof lists - strlen(lists), "%s%s%zu",
                     *lists ? "+" : "", gen_list_name(l), o.size[l]);
    if (header)
        printf("| lists | noise | compared | pair P | pair R | pair F1 | cluster P |"
               " cluster R | cluster F1 | read s | link s | cpu s | peak MiB | peer pair P |"
               " peer pair R | peer pair F1 | peer cluster F1 |\n"
               "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    printf("| %s | %.2f | %llu | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.1f | %.1f |"
           " %.1f | %.0f |", lists, noise, (unsigned long long)res.compared, s.pp, s.pr, s.pf,
           s.cp, s.cr, s.cf, t1 - t0, t2 - t1, c2 - c0, mem);
    link_result_free(&res);
    link_set_free(set);
    uint32_t *pc = peer ? malloc((g.n + 1) * sizeof *pc) : NULL;
    double ps = 0;
    if (pc && run_peer(&g, pc, &ps) == 0) {
        scores q = evaluate(&g, pc);
        printf(" %.4f | %.4f | %.4f | %.4f |\n", q.pp, q.pr, q.pf, q.cf);
    } else {
        printf(" - | - | - | - |\n");
    }
    free(pc);
    gen_lists_free(&g);
    return 0;
}
