/*
 * attest_confusions.c — where the rules of data/rules/confusions.tsv are
 * attested in the project's own data: every Polish/Russian pair of
 * data/names/dev_persons.tsv (surnames, first given names) and of
 * data/names/given_names.tsv (each Polish form against each Russian form)
 * is aligned, with the rules' costs, between its closest readings, and
 * every rule the cheapest alignment uses is counted with its first
 * examples. `make attest-confusions` prints: a TAB b TAB pairs TAB examples
 * (b "-" for a letter added or dropped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names/names.h"
#include "util/tsv.h"

#define EXAMPLES 3
#define RULES_MAX 256
#define SWAP_COST 0.5f

static float sub[128][128], del[128];

typedef struct use {
    char a, b;   /* b 0: a added or dropped */
    int n;
    char ex[EXAMPLES][96];
} use;

static use uses[RULES_MAX];
static int nuses;

static void note(char a, char b, const char *pl, const char *ru)
{
    if (b && a > b) {
        char t = a;
        a = b;
        b = t;
    }
    int i = 0;
    while (i < nuses && !(uses[i].a == a && uses[i].b == b))
        i++;
    if (i == nuses) {
        if (nuses == RULES_MAX)
            return;
        uses[nuses++] = (use){.a = a, .b = b};
    }
    if (uses[i].n < EXAMPLES)
        snprintf(uses[i].ex[uses[i].n], sizeof uses[i].ex[0], "%s/%s", pl, ru);
    uses[i].n++;
}

/* The cheapest alignment of the closest readings of pl and ru, and the
 * rules it uses. */
static void align(const char *pl, const char *ru)
{
    names_word a, b;
    if (!names_word_read(pl, strlen(pl), &a) || !names_word_read(ru, strlen(ru), &b))
        return;
    double best = 1e9;
    int bi = 0, bj = 0;
    for (int i = 0; i < a.nread; i++)
        for (int j = 0; j < b.nread; j++) {
            double d = names_distance(a.read[i].ph, a.read[i].len, b.read[j].ph, b.read[j].len);
            if (d < best) {
                best = d;
                bi = i;
                bj = j;
            }
        }
    const char *x = a.read[bi].ph, *y = b.read[bj].ph;
    int la = a.read[bi].len, lb = b.read[bj].len;
    static float d[NAMES_PIVOT_MAX + 1][NAMES_PIVOT_MAX + 1];
    d[0][0] = 0;
    for (int i = 1; i <= la; i++)
        d[i][0] = d[i - 1][0] + del[(int)x[i - 1]];
    for (int j = 1; j <= lb; j++)
        d[0][j] = d[0][j - 1] + del[(int)y[j - 1]];
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            float m = d[i - 1][j - 1] + sub[(int)x[i - 1]][(int)y[j - 1]];
            if (d[i - 1][j] + del[(int)x[i - 1]] < m)
                m = d[i - 1][j] + del[(int)x[i - 1]];
            if (d[i][j - 1] + del[(int)y[j - 1]] < m)
                m = d[i][j - 1] + del[(int)y[j - 1]];
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] &&
                d[i - 2][j - 2] + SWAP_COST < m)
                m = d[i - 2][j - 2] + SWAP_COST;
            d[i][j] = m;
        }
    int i = la, j = lb;
    while (i > 0 || j > 0) {
        if (i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + sub[(int)x[i - 1]][(int)y[j - 1]]) {
            if (x[i - 1] != y[j - 1] && sub[(int)x[i - 1]][(int)y[j - 1]] < 1)
                note(x[i - 1], y[j - 1], pl, ru);
            i--;
            j--;
        } else if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] &&
                   d[i][j] == d[i - 2][j - 2] + SWAP_COST) {
            i -= 2;
            j -= 2;
        } else if (i > 0 && d[i][j] == d[i - 1][j] + del[(int)x[i - 1]]) {
            if (del[(int)x[i - 1]] < 1)
                note(x[i - 1], 0, pl, ru);
            i--;
        } else {
            if (del[(int)y[j - 1]] < 1)
                note(y[j - 1], 0, pl, ru);
            j--;
        }
    }
}

/* Each ';'-separated Polish form of pl against each Russian form of ru. */
static void align_forms(char *pl, const char *ru)
{
    char *sp;
    for (char *p = strtok_r(pl, ";", &sp); p; p = strtok_r(NULL, ";", &sp)) {
        char rr[512], *sv;
        snprintf(rr, sizeof rr, "%s", ru);
        for (char *t = strtok_r(rr, ";", &sv); t; t = strtok_r(NULL, ";", &sv))
            align(p, t);
    }
}

int main(void)
{
    for (int a = 0; a < 128; a++) {
        for (int b = 0; b < 128; b++)
            sub[a][b] = a == b ? 0 : 1;
        del[a] = 1;
    }
    kt_tsv c;
    kt_tsv_field f[8];
    int n;
    kt_tsv_open_embedded(&c, "data/rules/confusions.tsv", KT_TSV_COMMENTS | KT_TSV_HEADER);
    while (kt_tsv_next(&c, f, 3, &n)) {
        char buf[16];
        if (n < 3 || f[0].len != 1 || !kt_tsv_copy(f[2], buf, sizeof buf))
            continue;
        float cost = strtof(buf, NULL);
        int a = f[0].s[0] & 127, b = f[1].len ? f[1].s[0] & 127 : 0;
        if (!b)
            del[a] = cost;
        else
            sub[a][b] = sub[b][a] = cost;
    }
    kt_tsv_open_embedded(&c, "data/names/dev_persons.tsv", KT_TSV_HEADER);
    while (kt_tsv_next(&c, f, 8, &n)) {
        char pl[128], ru[128], pg[128], rg[128];
        if (n < 5)
            continue;
        kt_tsv_copy(f[1], pl, sizeof pl);
        kt_tsv_copy(f[3], ru, sizeof ru);
        kt_tsv_copy(f[2], pg, sizeof pg);
        kt_tsv_copy(f[4], rg, sizeof rg);
        pg[strcspn(pg, " ")] = '\0';   /* the first given name */
        align(pl, ru);
        if (*rg)
            align(pg, rg);
    }
    kt_tsv_open_embedded(&c, "data/names/given_names.tsv", KT_TSV_HEADER);
    while (kt_tsv_next(&c, f, 8, &n)) {
        char pl[128], ru[512];
        if (n < 3)
            continue;
        kt_tsv_copy(f[0], pl, sizeof pl);
        kt_tsv_copy(f[2], ru, sizeof ru);
        align_forms(pl, ru);
    }
    for (int i = 0; i < nuses; i++) {
        printf("%c\t%c\t%d\t", uses[i].a, uses[i].b ? uses[i].b : '-', uses[i].n);
        for (int k = 0; k < EXAMPLES && k < uses[i].n; k++)
            printf("%s%s", k ? "; " : "", uses[i].ex[k]);
        printf("\n");
    }
    return 0;
}
