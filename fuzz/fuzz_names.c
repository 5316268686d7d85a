/*
 * fuzz_names.c — libFuzzer target for the name engine's public functions
 * (names/names.h) on two arbitrary names.
 *
 * The input is split at line breaks: name A, name B, then optional given
 * name, patronymic, father and whole-name fields for a record. Each name is
 * normalised, read in every orthography, reduced to its pivot, skeleton and
 * keys, looked up as a given name and a father's name; the two are compared
 * (distance, bounded distance, surname similarity with its explanation) and
 * A is compared as a query with a record built from B and the fields.
 * Checks what the header promises: lengths within their caps, NUL-terminated
 * outputs, a bounded distance equal to the full one when within its bound,
 * similarity and score in 0..1.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "names/names.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static int terminated(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

/* Everything the engine does with one name on its own. */
static void one_name(const char *s, size_t len, names_word *w)
{
    char norm[256];
    int n = names_normalize(s, len, norm, sizeof norm);
    CHECK(n >= -1 && n < (int)sizeof norm);
    if (n >= 0) {
        CHECK(norm[n] == '\0');
        names_ortho o[NAMES_ORTHO_COUNT];
        int no = names_orthographies(norm, (size_t)n, o, NAMES_ORTHO_COUNT);
        CHECK(no >= 0 && no <= NAMES_ORTHO_COUNT);
        for (int i = 0; i < no; i++)
            CHECK(o[i] >= 0 && o[i] < NAMES_ORTHO_COUNT);
        for (int k = 0; k < NAMES_ORTHO_COUNT; k++) {
            names_reading r;
            int pl = names_read_as((names_ortho)k, norm, (size_t)n, &r);
            CHECK(pl >= 0 && pl <= NAMES_PIVOT_MAX);
        }
        /* A small output buffer must be refused or filled, never overrun. */
        char tiny[4];
        int tn = names_normalize(s, len, tiny, sizeof tiny);
        CHECK(tn == -1 || (tn < (int)sizeof tiny && tiny[tn] == '\0'));
    }

    int nr = names_word_read(s, len, w);
    CHECK(nr >= 0 && nr <= NAMES_READINGS_MAX && nr == w->nread);
    CHECK(terminated(w->text, sizeof w->text));
    for (int i = 0; i < nr; i++) {
        const names_reading *r = &w->read[i];
        CHECK(r->len <= NAMES_PIVOT_MAX && r->ph[r->len] == '\0');
        for (int j = 0; j < r->len; j++)
            CHECK((size_t)r->src_off[j] + r->src_len[j] <= w->len);
        char skel[NAMES_SKELETON_MAX + 1];
        int sl = names_skeleton(r->ph, r->len, skel, sizeof skel);
        CHECK(sl >= 0 && sl <= NAMES_SKELETON_MAX);
        uint64_t keys[NAMES_KEYS_MAX];
        int nk = names_keys(skel, (size_t)sl, keys);
        CHECK(nk >= 0 && nk <= NAMES_KEYS_MAX);
    }

    char piv[NAMES_PIVOT_MAX + 1];
    int pl = names_pivot(s, len, piv, sizeof piv);
    CHECK(pl >= -1 && pl <= NAMES_PIVOT_MAX);
    if (pl >= 0)
        CHECK(piv[pl] == '\0');
    /* The pivot is the first reading's, and a name is at distance 0 from
     * itself. */
    if (nr > 0) {
        CHECK(pl == w->read[0].len && !memcmp(piv, w->read[0].ph, (size_t)pl));
        CHECK(names_distance(w->read[0].ph, w->read[0].len, w->read[0].ph, w->read[0].len) == 0);
    }
    /* Normalising what normalisation wrote changes nothing. */
    if (n >= 0) {
        char again[256];
        int n2 = names_normalize(norm, (size_t)n, again, sizeof again);
        CHECK(n2 == n && !memcmp(again, norm, (size_t)n));
    }
    (void)names_hash(s, len);

    uint16_t cls[NAMES_CLASSES_MAX];
    int nc = names_given_classes(s, len, NAMES_FORM_ANY, cls);
    CHECK(nc >= 0 && nc <= NAMES_CLASSES_MAX);
    for (int i = 0; i < nc; i++) {
        CHECK(cls[i] < names_class_count());
        (void)names_class_initials(cls[i]);
        CHECK(names_class_label(cls[i]) != NULL);
    }
    nc = names_word_classes(w, NAMES_FORM_GIVEN, cls);
    CHECK(nc >= 0 && nc <= NAMES_CLASSES_MAX);
    nc = names_father_classes(s, len, cls);
    CHECK(nc >= 0 && nc <= NAMES_CLASSES_MAX);
    nc = names_word_father_classes(w, cls);
    CHECK(nc >= 0 && nc <= NAMES_CLASSES_MAX);
    (void)names_is_patronymic(s, len);

    names_split sp;
    names_split_whole(s, &sp);
    size_t whole = strlen(s);
    if (sp.surname_len)
        CHECK(sp.surname >= s && sp.surname + sp.surname_len <= s + whole);
    if (sp.given_len)
        CHECK(sp.given >= s && sp.given + sp.given_len <= s + whole);
    if (sp.patronymic_len)
        CHECK(sp.patronymic >= s && sp.patronymic + sp.patronymic_len <= s + whole);
}

static void distances(const char *a, size_t la, const char *b, size_t lb)
{
    static const double bounds[] = {0, 0.5, 1.5, 3};
    double full = names_distance(a, la, b, lb);
    CHECK(full >= 0 && !isnan(full));
    for (size_t i = 0; i < sizeof bounds / sizeof *bounds; i++) {
        double w = names_distance_within(a, la, b, lb, bounds[i]);
        CHECK(full <= bounds[i] ? w == full : w > bounds[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size > 4096)
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, bytes, size);
    buf[size] = '\0';

    /* Fields at line breaks: A, B, given, patronymic, father, whole. */
    char *field[6] = {buf, "", NULL, NULL, NULL, NULL};
    char *p = buf;
    for (int i = 1; i < 6; i++) {
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        field[i] = p = nl + 1;
    }
    const char *a = field[0], *b = field[1];

    static names_word wa, wb;
    one_name(a, strlen(a), &wa);
    one_name(b, strlen(b), &wb);

    for (int i = 0; i < wa.nread; i++)
        for (int j = 0; j < wb.nread; j++)
            distances(wa.read[i].ph, wa.read[i].len, wb.read[j].ph, wb.read[j].len);
    distances(a, strlen(a), b, strlen(b));

    char why[NAMES_WHY_LEN];
    /* A word that reads is its own exact match. */
    if (wa.nread > 0)
        CHECK(names_surname_similarity(&wa, &wa, why, sizeof why) == 1);
    double sim = names_surname_similarity(&wa, &wb, why, sizeof why);
    CHECK(sim >= 0 && sim <= 1);
    CHECK(terminated(why, sizeof why));
    CHECK(names_surname_weight(sim) >= 0 && names_surname_weight(sim) <= 1);

    static names_person rec;
    names_person_from_fields(&rec, b, field[2], field[3], field[4], field[5],
                             (int)(size % 200) + 1800, field[2]);
    CHECK(rec.nsurname >= 0 && rec.nsurname <= NAMES_PARTS_MAX);
    CHECK(rec.ngiven >= 0 && rec.ngiven <= NAMES_GIVEN_MAX);
    static names_result res;
    double score = names_compare_text(a, &rec, &res);
    CHECK(score >= 0 && score <= 1);
    if (score > 0 || res.nwhy > 0) {
        CHECK(res.nwhy >= 0 && res.nwhy <= NAMES_WHY_MAX);
        for (int i = 0; i < res.nwhy; i++)
            CHECK(terminated(res.why[i], NAMES_WHY_LEN));
    }

    /* Whole-name record: B read as one string. */
    names_person_from_fields(&rec, NULL, NULL, NULL, NULL, b, 0, NULL);
    score = names_compare_text(a, &rec, &res);
    CHECK(score >= 0 && score <= 1);

    free(buf);
    return 0;
}
