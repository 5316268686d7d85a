/*
 * features.c — each record's features as the comparison reads them: the
 * surname's readings (and the parts of a double surname), the given-name
 * classes or initial, the father's classes from a patronymic or a genitive,
 * year and full date of birth, birth place, rank and camp; and the
 * surnames' frequencies for the term-frequency adjustment.
 *
 * The records are read in parallel (the name engine is thread-safe once
 * loaded); each thread writes only its own slice of the array.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "link/set.h"
#include "names/camp.h"
#include "names/rank.h"

size_t link_set_size(const link_set *s)
{
    return s->n;
}

/* "s. Jana", "syn Józefa", "c. Jana": the father's name without the word
 * that says "son of". */
static const char *father_word(const char *f)
{
    static const char *const lead[] = {"s. ", "s.", "syn ", "c. ", "сын "};
    if (!f)
        return NULL;
    while (*f == ' ')
        f++;
    for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++)
        if (!strncmp(f, lead[i], strlen(lead[i])))
            return f + strlen(lead[i]);
    return f;
}

/* ISO "1893-12-25" or "25.12.1893" to 18931225; 0 for anything less. */
static int32_t full_date(const char *d)
{
    int y, m, day;
    char tail;
    if (!d)
        return 0;
    if (sscanf(d, "%4d-%2d-%2d%c", &y, &m, &day, &tail) == 3 ||
        sscanf(d, "%2d.%2d.%4d%c", &day, &m, &y, &tail) == 3)
        if (y > 1700 && y < 2100 && m >= 1 && m <= 12 && day >= 1 && day <= 31)
            return y * 10000 + m * 100 + day;
    return 0;
}

/* The skeleton hash of the first word of a text (a place), 0 when none. */
static uint64_t place_key(const char *text)
{
    if (!text || !*text)
        return 0;
    size_t n = strcspn(text, " ,;(");
    char ph[NAMES_PIVOT_MAX + 1], sk[NAMES_SKELETON_MAX + 1];
    int len = names_pivot(text, n, ph, sizeof ph);
    if (len <= 0)
        return 0;
    int sl = names_skeleton(ph, (size_t)len, sk, sizeof sk);
    return sl > 0 ? names_hash(sk, (size_t)sl) | 1 : 0;
}

static int has_given_class(const names_word *w)
{
    uint16_t cls[NAMES_CLASSES_MAX];
    return names_word_classes(w, NAMES_FORM_GIVEN, cls) > 0;
}

/* Reads one record; parts of a double surname go to parts[0..2]. */
static void read_record(const link_input *in, link_feat *f, names_word *parts, int *nparts)
{
    names_person *p = malloc(sizeof *p);
    memset(f, 0, sizeof *f);
    f->id = in->id;
    f->person_id = in->person_id;
    f->source = (uint8_t)in->source;
    f->fixed = (uint8_t)(in->fixed != 0);
    f->part = -1;
    f->year = (int16_t)in->birth_year;
    f->date = full_date(in->birth_date);
    f->place = place_key(in->birth_place);
    const char *camp = in->camp && *in->camp ? names_camp_of(in->camp) : NULL;
    f->camp = camp ? names_hash(camp, strlen(camp)) | 1 : 0;
    *nparts = 0;
    if (!p)
        return;
    /* a rank glued on or written before the surname: "Hptm.Kowalski" */
    const char *surname = in->surname;
    size_t rank_len = 0;
    int rank = surname && *surname ? names_rank_match(surname, &rank_len) : 0;
    if (rank && surname[rank_len + strspn(surname + rank_len, " ")])
        surname += rank_len + strspn(surname + rank_len, " ");
    else
        rank = 0;
    names_person_from_fields(p, surname, in->given, in->patronymic,
                             father_word(in->father), in->whole, in->birth_year, in->rank);
    f->rank = (int16_t)(p->rank ? p->rank : rank);
    /* Swapped order: a "surname" that is a known given name beside a
     * "given name" that is none ("Jan Kowalski" in the surname column). */
    int swap = p->nsurname == 1 && p->ngiven == 1 && p->given_ncls[0] == 0 &&
               p->given[0].len > 1 && has_given_class(&p->surname_whole);
    const names_word *sur = swap ? &p->given[0] : &p->surname_whole;
    f->surname = *sur;
    if (sur->nread > 0) {
        char sk[NAMES_SKELETON_MAX + 1];
        int sl = names_skeleton(sur->read[0].ph, sur->read[0].len, sk, sizeof sk);
        f->surname_hash = names_hash(sk, (size_t)(sl > 0 ? sl : 0));
    }
    if (!swap && p->nsurname > 1) {
        for (int i = 0; i < p->nsurname && i < 3; i++)
            parts[i] = p->surname[i];
        *nparts = p->nsurname < 3 ? p->nsurname : 3;
    }
    /* given names: every class of every given name, the initials */
    int ng = swap ? 1 : p->ngiven;
    for (int g = 0; g < ng; g++) {
        const names_word *w = swap ? &p->surname_whole : &p->given[g];
        uint16_t cls[NAMES_CLASSES_MAX];
        int nc = swap ? names_word_classes(w, NAMES_FORM_GIVEN, cls) : p->given_ncls[g];
        if (!swap)
            memcpy(cls, p->given_cls[g], sizeof cls);
        if (w->nread == 0)
            continue;
        f->has_given = 1;
        if (w->len == 1 && g == 0) {
            f->given_initial = 1;
            f->given_initials |= names_initial_bit(w->read[0].ph[0]);
            continue;
        }
        for (int c = 0; c < nc && f->given_ncls < LINK_CLS_MAX; c++) {
            f->given_cls[f->given_ncls++] = cls[c];
            f->given_initials |= names_class_initials(cls[c]);
        }
        if (g == 0)
            f->given_first = f->given_ncls;
        if (nc == 0) {
            f->given_initials |= names_initial_bit(w->read[0].ph[0]);
            if (g == 0)
                f->given_hash = names_hash(w->read[0].ph, w->read[0].len) | 1;
        }
    }
    if (f->given_ncls > 0)
        f->given_initial = 0;
    if (p->has_father && p->father.nread > 0) {
        f->has_father = 1;
        f->father_ncls = (uint8_t)p->father_ncls;
        memcpy(f->father_cls, p->father_cls, sizeof f->father_cls);
    }
    free(p);
}

typedef struct build_job {
    const link_input *in;
    link_feat *rec;
    names_word (*parts)[3];
    int *nparts;
    size_t base, from, to;   /* parts[i - base] is record i's */
} build_job;

static void *build_slice(void *arg)
{
    build_job *j = arg;
    for (size_t i = j->from; i < j->to; i++)
        read_record(&j->in[i], &j->rec[i], j->parts[i - j->base], &j->nparts[i]);
    return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Surname frequencies: sorted distinct hashes with their counts. */
static int count_surnames(link_set *s)
{
    uint64_t *h = malloc((s->n + 1) * sizeof *h);
    if (!h)
        return -1;
    for (size_t i = 0; i < s->n; i++)
        h[i] = s->rec[i].surname_hash;
    qsort(h, s->n, sizeof *h, cmp_u64);
    s->tf_hash = h;
    s->tf_count = malloc((s->n + 1) * sizeof *s->tf_count);
    if (!s->tf_count)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (k > 0 && h[k - 1] == h[i]) {
            s->tf_count[k - 1]++;
            continue;
        }
        h[k] = h[i];
        s->tf_count[k++] = 1;
    }
    s->ntf = k;
    return 0;
}

double link_set_tf(const link_set *s, uint32_t i)
{
    uint64_t h = s->rec[i].surname_hash;
    size_t lo = 0, hi = s->ntf;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->tf_hash[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t c = lo < s->ntf && s->tf_hash[lo] == h ? s->tf_count[lo] : 1;
    return s->n ? (double)c / (double)s->n : 1.0;
}

link_set *link_set_build(const link_input *in, size_t n, int threads)
{
    link_set *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->n = n;
    s->rec = calloc(n + 1, sizeof *s->rec);
    names_word (*parts)[3] = NULL;
    int *nparts = calloc(n + 1, sizeof *nparts);
    /* parts are rare; a scratch array of three per record would be 2 KB a
     * record, so they are read in chunks */
    size_t chunk = 65536;
    parts = malloc(chunk * sizeof *parts);
    if (!s->rec || !nparts || !parts)
        goto fail;
    if (threads < 1)
        threads = 1;
    if (threads > 16)
        threads = 16;
    names_pivot("a", 1, (char[8]){0}, 8); /* load the tables before the threads */
    names_given_class("jan");
    for (size_t base = 0; base < n; base += chunk) {
        size_t end = base + chunk < n ? base + chunk : n;
        pthread_t tid[16];
        build_job job[16];
        int started = 0;
        for (int t = 0; t < threads; t++) {
            size_t from = base + (end - base) * (size_t)t / (size_t)threads;
            size_t to = base + (end - base) * (size_t)(t + 1) / (size_t)threads;
            job[t] = (build_job){in, s->rec, parts, nparts, base, from, to};
            if (t == threads - 1 ||
                pthread_create(&tid[t], NULL, build_slice, &job[t]) != 0)
                build_slice(&job[t]);
            else
                started |= 1 << t;
        }
        for (int t = 0; t < threads; t++)
            if (started & (1 << t))
                pthread_join(tid[t], NULL);
        for (size_t i = base; i < end; i++) {
            if (nparts[i] <= 1)
                continue;
            names_word *grown = realloc(s->parts, (s->nparts + (size_t)nparts[i]) *
                                                  sizeof *grown);
            if (!grown)
                goto fail;
            s->parts = grown;
            s->rec[i].part = (int32_t)s->nparts;
            s->rec[i].nparts = (uint8_t)nparts[i];
            for (int k = 0; k < nparts[i]; k++)
                s->parts[s->nparts++] = parts[i - base][k];
        }
    }
    free(parts);
    free(nparts);
    if (count_surnames(s) != 0) {
        link_set_free(s);
        return NULL;
    }
    return s;
fail:
    free(parts);
    free(nparts);
    link_set_free(s);
    return NULL;
}

void link_set_free(link_set *s)
{
    if (!s)
        return;
    free(s->rec);
    free(s->parts);
    free(s->tf_hash);
    free(s->tf_count);
    free(s);
}
