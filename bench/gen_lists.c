/*
 * gen_lists.c — synthetic lists with known truth (see gen_lists.h).
 *
 * Surnames: the 712 Polish surnames of data/names/polish_surnames.txt
 * (Zipf-weighted) for a quarter of the men, the rest made from their stems,
 * syllables and the usual endings (-ski, -wski, -cki, -czyk, -ak, -ek,
 * -owicz, ...), so that the names have the long tail of real Polish ones
 * and a million men have realistic namesakes without all being Kowalski.
 * Given names and their Russian forms, genitives and patronymics: the table
 * below, from NAMES.md and the NKVD lists' habits (Jan → Ян or Иван,
 * Józef → Иосиф or Юзеф, Michał → Михаил).
 * Deterministic: a 64-bit xorshift seeded from the options.
 */
#include "gen_lists.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- randomness ---------------------------------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r)
{
    uint64_t x = r->s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return r->s = x;
}

static double unif(rng *r)
{
    return (double)(next(r) >> 11) / 9007199254740992.0;
}

static int chance(rng *r, double p)
{
    return unif(r) < p;
}

static size_t below(rng *r, size_t n)
{
    return n ? (size_t)(next(r) % n) : 0;
}

/* Zipf-like: index i with weight 1/(i+k). */
static size_t zipf(rng *r, size_t n, double k)
{
    double u = unif(r);
    /* inverse of the integral of 1/(x+k): n*(...) */
    double v = k * (pow(1 + (double)n / k, u) - 1);
    size_t i = (size_t)v;
    return i < n ? i : n - 1;
}

/* ---- tables -------------------------------------------------------------- */

typedef struct given_name {
    const char *pl, *gen;        /* nominative, genitive ("s. Jana") */
    const char *ru[2];           /* Russian forms, most common first */
    const char *patr[2];         /* patronymics from those */
} given_name;

static const given_name given[] = {
    {"Jan", "Jana", {"Ян", "Иван"}, {"Янович", "Иванович"}},
    {"Józef", "Józefa", {"Иосиф", "Юзеф"}, {"Иосифович", "Юзефович"}},
    {"Stanisław", "Stanisława", {"Станислав", NULL}, {"Станиславович", NULL}},
    {"Władysław", "Władysława", {"Владислав", NULL}, {"Владиславович", NULL}},
    {"Kazimierz", "Kazimierza", {"Казимир", NULL}, {"Казимирович", NULL}},
    {"Franciszek", "Franciszka", {"Франц", "Францишек"}, {"Францевич", "Францишкович"}},
    {"Stefan", "Stefana", {"Стефан", "Степан"}, {"Стефанович", "Степанович"}},
    {"Wojciech", "Wojciecha", {"Войцех", NULL}, {"Войцехович", NULL}},
    {"Piotr", "Piotra", {"Петр", NULL}, {"Петрович", NULL}},
    {"Antoni", "Antoniego", {"Антон", "Антоний"}, {"Антонович", "Антониевич"}},
    {"Tadeusz", "Tadeusza", {"Тадеуш", NULL}, {"Тадеушевич", NULL}},
    {"Henryk", "Henryka", {"Генрих", "Генрик"}, {"Генрихович", "Генрикович"}},
    {"Zygmunt", "Zygmunta", {"Зигмунд", NULL}, {"Зигмундович", NULL}},
    {"Aleksander", "Aleksandra", {"Александр", NULL}, {"Александрович", NULL}},
    {"Edward", "Edwarda", {"Эдуард", "Эдвард"}, {"Эдуардович", "Эдвардович"}},
    {"Bolesław", "Bolesława", {"Болеслав", NULL}, {"Болеславович", NULL}},
    {"Czesław", "Czesława", {"Чеслав", NULL}, {"Чеславович", NULL}},
    {"Mieczysław", "Mieczysława", {"Мечислав", NULL}, {"Мечиславович", NULL}},
    {"Marian", "Mariana", {"Мариан", "Марьян"}, {"Марианович", "Марьянович"}},
    {"Michał", "Michała", {"Михаил", "Михал"}, {"Михайлович", "Михалович"}},
    {"Andrzej", "Andrzeja", {"Андрей", NULL}, {"Андреевич", NULL}},
    {"Jerzy", "Jerzego", {"Юрий", "Ежи"}, {"Юрьевич", NULL}},
    {"Ludwik", "Ludwika", {"Людвиг", "Людвик"}, {"Людвигович", "Людвикович"}},
    {"Feliks", "Feliksa", {"Феликс", NULL}, {"Феликсович", NULL}},
    {"Leon", "Leona", {"Леон", NULL}, {"Леонович", NULL}},
    {"Adam", "Adama", {"Адам", NULL}, {"Адамович", NULL}},
    {"Karol", "Karola", {"Карл", "Кароль"}, {"Карлович", "Каролевич"}},
    {"Wacław", "Wacława", {"Вацлав", NULL}, {"Вацлавович", NULL}},
    {"Zbigniew", "Zbigniewa", {"Збигнев", NULL}, {"Збигневич", NULL}},
    {"Eugeniusz", "Eugeniusza", {"Евгений", NULL}, {"Евгеньевич", NULL}},
    {"Bronisław", "Bronisława", {"Бронислав", NULL}, {"Брониславович", NULL}},
    {"Ignacy", "Ignacego", {"Игнатий", NULL}, {"Игнатьевич", NULL}},
    {"Witold", "Witolda", {"Витольд", NULL}, {"Витольдович", NULL}},
    {"Roman", "Romana", {"Роман", NULL}, {"Романович", NULL}},
    {"Tomasz", "Tomasza", {"Томаш", "Фома"}, {"Томашевич", "Фомич"}},
    {"Wiktor", "Wiktora", {"Виктор", NULL}, {"Викторович", NULL}},
    {"Leopold", "Leopolda", {"Леопольд", NULL}, {"Леопольдович", NULL}},
    {"Julian", "Juliana", {"Юлиан", NULL}, {"Юлианович", NULL}},
    {"Walenty", "Walentego", {"Валентин", NULL}, {"Валентинович", NULL}},
    {"Edmund", "Edmunda", {"Эдмунд", NULL}, {"Эдмундович", NULL}},
    {"Konstanty", "Konstantego", {"Константин", NULL}, {"Константинович", NULL}},
    {"Mikołaj", "Mikołaja", {"Николай", NULL}, {"Николаевич", NULL}},
    {"Grzegorz", "Grzegorza", {"Григорий", "Гжегож"}, {"Григорьевич", NULL}},
    {"Wincenty", "Wincentego", {"Викентий", "Винцент"}, {"Викентьевич", "Винцентович"}},
    {"Bogdan", "Bogdana", {"Богдан", NULL}, {"Богданович", NULL}},
    {"Marcin", "Marcina", {"Мартин", "Марцин"}, {"Мартинович", NULL}},
    {"Leonard", "Leonarda", {"Леонард", NULL}, {"Леонардович", NULL}},
    {"Ryszard", "Ryszarda", {"Ричард", "Рышард"}, {"Ричардович", NULL}},
};
#define NGIVEN (sizeof given / sizeof given[0])

typedef struct place {
    const char *pl, *ru;
} place;

static const place places[] = {
    {"Warszawa", "Варшава"}, {"Kraków", "Краков"}, {"Lwów", "Львов"},
    {"Wilno", "Вильно"}, {"Poznań", "Познань"}, {"Łódź", "Лодзь"},
    {"Lublin", "Люблин"}, {"Radom", "Радом"}, {"Kielce", "Кельце"},
    {"Tarnów", "Тарнов"}, {"Przemyśl", "Перемышль"}, {"Stanisławów", "Станиславов"},
    {"Tarnopol", "Тарнополь"}, {"Białystok", "Белосток"}, {"Grodno", "Гродно"},
    {"Brześć", "Брест"}, {"Płock", "Плоцк"}, {"Częstochowa", "Ченстохов"},
    {"Sandomierz", "Сандомир"}, {"Rzeszów", "Жешув"}, {"Siedlce", "Седльце"},
    {"Łomża", "Ломжа"}, {"Kalisz", "Калиш"}, {"Toruń", "Торунь"},
};
#define NPLACES (sizeof places / sizeof places[0])

typedef struct rank_forms {
    const char *pl, *ru, *de;
} rank_forms;

static const rank_forms ranks[] = {
    {"ppor.", "подпоручик", "Ltn."}, {"por.", "поручик", "Oblt."},
    {"kpt.", "капитан", "Hptm."}, {"mjr", "майор", "Major"},
    {"ppłk", "подполковник", "Obstlt."}, {"płk", "полковник", "Oberst"},
    {"st. post.", "старший постерунковый", NULL}, {"przod.", "пшодовник", NULL},
    {"sierż.", "сержант", NULL}, {"kpr.", "капрал", NULL},
};
#define NRANKS (sizeof ranks / sizeof ranks[0])

static const char *const endings[] = {
    "ski", "wski", "owski", "ewski", "cki", "niak", "czyk", "czak", "ak", "ek",
    "ik", "owicz", "ewicz", "ński", "ko", "uk", "ała", "ny", "iec", "ka",
};
#define NENDINGS (sizeof endings / sizeof endings[0])

/* ---- UTF-8 text as code points ---------------------------------------------- */

#define MAXCP 64

static int decode(const char *s, uint32_t *cp, int max)
{
    int n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n < max) {
        uint32_t c = *p;
        int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
        c &= extra ? (0x3fu >> extra) : 0x7fu;
        p++;
        for (int k = 0; k < extra && (*p & 0xc0) == 0x80; k++)
            c = c << 6 | (*p++ & 0x3f);
        cp[n++] = c;
    }
    return n;
}

static size_t encode(const uint32_t *cp, int n, char *out, size_t cap)
{
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        uint32_t c = cp[i];
        char b[4];
        int len;
        if (c < 0x80) {
            b[0] = (char)c;
            len = 1;
        } else if (c < 0x800) {
            b[0] = (char)(0xc0 | c >> 6);
            b[1] = (char)(0x80 | (c & 0x3f));
            len = 2;
        } else {
            b[0] = (char)(0xe0 | c >> 12);
            b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
            b[2] = (char)(0x80 | (c & 0x3f));
            len = 3;
        }
        if (k + (size_t)len + 1 > cap)
            break;
        memcpy(out + k, b, (size_t)len);
        k += (size_t)len;
    }
    out[k] = '\0';
    return k;
}

/* Lower case of the Polish and Russian letters used here. */
static uint32_t lower(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0x410 && c <= 0x42f)
        return c + 32;
    switch (c) {
    case 0x104: case 0x106: case 0x118: case 0x141: case 0x143: case 0x15a:
    case 0x179: case 0x17b:
        return c + 1;
    case 0xd3:
        return 0xf3;
    default:
        return c;
    }
}

static uint32_t upper(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c >= 0x430 && c <= 0x44f)
        return c - 32;
    switch (c) {
    case 0x105: case 0x107: case 0x119: case 0x142: case 0x144: case 0x15b:
    case 0x17a: case 0x17c:
        return c - 1;
    case 0xf3:
        return 0xd3;
    default:
        return c;
    }
}

/* Copies src into dst (cap bytes), cut at a character boundary. */
static void set_text(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
            n--;
    }
    memmove(dst, src, n);
    dst[n] = '\0';
}

/* ---- Polish → Russian Cyrillic, as clerks wrote it (NAMES.md tables) ------- */

typedef struct out_text {
    char s[128];
    size_t n;
} out_text;

static void put(out_text *o, const char *t)
{
    size_t l = strlen(t);
    if (o->n + l < sizeof o->s) {
        memcpy(o->s + o->n, t, l);
        o->n += l;
        o->s[o->n] = '\0';
    }
}

static int is_vowel(uint32_t c)
{
    return (c && c < 0x80 && strchr("aeiouy", (int)c)) || c == 0xf3 || c == 0x105 ||
           c == 0x119;
}

/* The soft (iotated) Cyrillic vowel for a Polish vowel after i. */
static const char *soft(uint32_t v)
{
    switch (v) {
    case 'a': return "я";
    case 'e': return "е";
    case 'o': return "ё";
    case 'u': return "ю";
    case 0xf3: return "ю";
    case 0x105: return "ён";
    case 0x119: return "ен";
    default: return "и";
    }
}

static void to_cyrillic(const char *polish, rng *r, char *out, size_t cap)
{
    uint32_t c[MAXCP + 4] = {0};
    int n = decode(polish, c, MAXCP);
    for (int i = 0; i < n; i++)
        c[i] = lower(c[i]);
    out_text o = {{0}, 0};
    for (int i = 0; i < n;) {
        uint32_t a = c[i], b = c[i + 1], d = c[i + 2];
        if (a == '-') { put(&o, "-"); i++; continue; }
        /* endings first: -ski -cki -ska */
        if (i + 3 == n && a == 's' && b == 'k' && d == 'i') { put(&o, "ский"); i += 3; continue; }
        if (i + 3 == n && a == 'c' && b == 'k' && d == 'i') { put(&o, "цкий"); i += 3; continue; }
        if (a == 's' && b == 'z' && d == 'c' && c[i + 3] == 'z') {
            put(&o, chance(r, 0.85) ? "щ" : "шч"); i += 4; continue;
        }
        if (a == 's' && b == 'z') { put(&o, "ш"); i += 2; continue; }
        if (a == 'c' && b == 'z') { put(&o, "ч"); i += 2; continue; }
        if (a == 'r' && b == 'z') {
            uint32_t prev = i ? c[i - 1] : 0;
            int voiceless = prev == 'p' || prev == 't' || prev == 'k';
            double x = unif(r);
            put(&o, voiceless ? (x < 0.6 ? "ш" : "рж") : (x < 0.7 ? "ж" : "рж"));
            i += 2;
            continue;
        }
        if (a == 'c' && b == 'h') { put(&o, "х"); i += 2; continue; }
        if (a == 'd' && b == 'z' && d == 'i' && is_vowel(c[i + 3])) {
            put(&o, "дз"); put(&o, soft(c[i + 3])); i += 4; continue;
        }
        if (a == 'd' && (b == 0x17a)) { put(&o, "дзь"); i += 2; continue; }
        if (a == 'd' && (b == 0x17c)) { put(&o, "дж"); i += 2; continue; }
        if (a == 'd' && b == 'z') { put(&o, "дз"); i += 2; continue; }
        /* consonant + i + vowel: softness on the vowel */
        if ((a == 'c' || a == 's' || a == 'z' || a == 'n') && b == 'i' && is_vowel(d)) {
            put(&o, a == 'c' ? "ц" : a == 's' ? "с" : a == 'z' ? "з" : "н");
            put(&o, soft(d));
            i += 3;
            continue;
        }
        if (a == 'i' && is_vowel(b) && i > 0) {
            put(&o, soft(b)); i += 2; continue;
        }
        if (a == 'j' && is_vowel(b)) {
            put(&o, b == 'a' ? "я" : b == 'e' ? "е" : b == 'u' ? "ю" : b == 'o' ? "йо" : "й");
            i += (b == 'a' || b == 'e' || b == 'u' || b == 'o') ? 2 : 1;
            continue;
        }
        if (a == 'e' && i == 0) { put(&o, chance(r, 0.7) ? "э" : "е"); i++; continue; }
        if (a == 'y') {
            uint32_t prev = i ? c[i - 1] : 0;
            put(&o, (prev == 'z' || prev == 0x17c) && chance(r, 0.5) ? "и" : "ы");
            i++;
            continue;
        }
        if (a == 'l') {
            put(&o, !is_vowel(b) && chance(r, 0.6) ? "ль" : "л"); i++; continue;
        }
        if (a == 0x142) { put(&o, chance(r, 0.12) ? "в" : "л"); i++; continue; }
        if (a == 0x144) { put(&o, chance(r, 0.5) ? "нь" : "н"); i++; continue; }
        if (a == 0x107) { put(&o, chance(r, 0.6) ? "ць" : "ч"); i++; continue; }
        if (a == 0x15b) { put(&o, chance(r, 0.5) ? "сь" : "с"); i++; continue; }
        if (a == 0x17a) { put(&o, "зь"); i++; continue; }
        if (a == 0x105) { put(&o, b == 'b' || b == 'p' ? "ом" : "он"); i++; continue; }
        if (a == 0x119) {
            put(&o, b == 'b' || b == 'p' ? "ем" : chance(r, 0.8) ? "ен" : "е"); i++; continue;
        }
        if (a == 'h') { put(&o, chance(r, 0.6) ? "г" : "х"); i++; continue; }
        if (a == 'o' && i > 0 && chance(r, 0.03)) { put(&o, "а"); i++; continue; }
        static const struct { uint32_t pl; const char *ru; } one[] = {
            {'a', "а"}, {'b', "б"}, {'c', "ц"}, {'d', "д"}, {'e', "е"}, {'f', "ф"},
            {'g', "г"}, {'i', "и"}, {'j', "й"}, {'k', "к"}, {'m', "м"}, {'n', "н"},
            {'o', "о"}, {'p', "п"}, {'r', "р"}, {'s', "с"}, {'t', "т"}, {'u', "у"},
            {'w', "в"}, {'z', "з"}, {0xf3, "у"}, {0x17c, "ж"}, {'x', "кс"}, {'v', "в"},
        };
        const char *t = "";
        for (size_t k = 0; k < sizeof one / sizeof one[0]; k++)
            if (one[k].pl == a)
                t = one[k].ru;
        put(&o, t);
        i++;
    }
    /* capital letters at the start and after a hyphen */
    uint32_t cp[MAXCP + 4];
    int m = decode(o.s, cp, MAXCP);
    for (int i = 0; i < m; i++)
        if (i == 0 || cp[i - 1] == '-')
            cp[i] = upper(cp[i]);
    encode(cp, m, out, cap);
}

/* Polish letters without their diacritics, as a German clerk typed them. */
static void strip(const char *in, char *out, size_t cap)
{
    uint32_t c[MAXCP + 4];
    int n = decode(in, c, MAXCP);
    for (int i = 0; i < n; i++) {
        switch (c[i]) {
        case 0x105: c[i] = 'a'; break;
        case 0x104: c[i] = 'A'; break;
        case 0x107: c[i] = 'c'; break;
        case 0x106: c[i] = 'C'; break;
        case 0x119: c[i] = 'e'; break;
        case 0x118: c[i] = 'E'; break;
        case 0x142: c[i] = 'l'; break;
        case 0x141: c[i] = 'L'; break;
        case 0x144: c[i] = 'n'; break;
        case 0x143: c[i] = 'N'; break;
        case 0xf3: c[i] = 'o'; break;
        case 0xd3: c[i] = 'O'; break;
        case 0x15b: c[i] = 's'; break;
        case 0x15a: c[i] = 'S'; break;
        case 0x17a: case 0x17c: c[i] = 'z'; break;
        case 0x179: case 0x17b: c[i] = 'Z'; break;
        default: break;
        }
    }
    encode(c, n, out, cap);
}

/* ---- clerks' errors ---------------------------------------------------------- */

/* A dropped letter, two letters swapped, or a vowel confused, somewhere
 * after the first letter. */
static void typo(char *s, size_t cap, rng *r, double noise)
{
    uint32_t c[MAXCP + 4];
    int n = decode(s, c, MAXCP);
    if (n < 4)
        return;
    if (chance(r, 0.04 * noise)) {          /* dropped */
        int i = 1 + (int)below(r, (size_t)n - 1);
        memmove(c + i, c + i + 1, (size_t)(n - i - 1) * sizeof *c);
        n--;
    }
    if (chance(r, 0.03 * noise)) {          /* swapped neighbours */
        int i = 1 + (int)below(r, (size_t)n - 2);
        uint32_t t = c[i];
        c[i] = c[i + 1];
        c[i + 1] = t;
    }
    if (chance(r, 0.06 * noise)) {          /* vowel confusion o/a, e/i, y/i */
        int i = 1 + (int)below(r, (size_t)n - 1);
        static const uint32_t pairs[][2] = {
            {'o', 'a'}, {'a', 'o'}, {'e', 'i'}, {'i', 'e'}, {'y', 'i'},
            {0x43e, 0x430}, {0x430, 0x43e}, {0x435, 0x438}, {0x438, 0x435}, {0x44b, 0x438},
        };
        for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
            if (c[i] == pairs[k][0]) {
                c[i] = pairs[k][1];
                break;
            }
    }
    encode(c, n, s, cap);
}

/* The German reader's misreadings of handwriting: n/u, m/rn, c/e, l/t. */
static void misread(char *s, size_t cap, rng *r, double noise)
{
    if (!chance(r, 0.12 * noise))
        return;
    size_t n = strlen(s);
    if (n < 3)
        return;
    size_t i = 1 + below(r, n - 1);
    char t[128];
    switch (s[i]) {
    case 'n': s[i] = 'u'; break;
    case 'u': s[i] = 'n'; break;
    case 'c': s[i] = 'e'; break;
    case 'e': s[i] = 'c'; break;
    case 'l': s[i] = 't'; break;
    case 't': s[i] = 'l'; break;
    case 'm':
        if (n + 2 < cap && n + 2 < sizeof t) {
            snprintf(t, sizeof t, "%.*srn%s", (int)i, s, s + i + 1);
            set_text(s, cap, t);
        }
        break;
    default:
        break;
    }
}

/* ---- the population ----------------------------------------------------------- */

typedef struct man {
    char surname[56];
    uint16_t given1, given2;     /* given2 = NGIVEN: none */
    uint16_t father;
    int year, month, day;
    uint16_t place, rank;
} man;

typedef struct surnames {
    char **v;
    size_t n;
} surnames;

static int load_surnames(surnames *sn)
{
    FILE *f = fopen("data/names/polish_surnames.txt", "r");
    if (!f)
        return -1;
    char line[128];
    size_t cap = 1024;
    sn->v = malloc(cap * sizeof *sn->v);
    sn->n = 0;
    while (sn->v && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line || *line == '#')
            continue;
        if (sn->n == cap)
            break;
        sn->v[sn->n++] = strdup(line);
    }
    fclose(f);
    return sn->v && sn->n ? 0 : -1;
}

static void free_surnames(surnames *sn)
{
    for (size_t i = 0; i < sn->n; i++)
        free(sn->v[i]);
    free(sn->v);
}

/* A surname, in a long-tailed distribution like the Polish one (the most
 * common name about 0.5 %, the thousand most common about a quarter of all
 * men): a listed one (Zipf), a stem of one with another ending, or a stem,
 * a syllable and an ending. */
static void make_surname(const surnames *sn, rng *r, char *out, size_t cap)
{
    static const char *const middle[] = {
        "ar", "el", "ow", "an", "ic", "ur", "ol", "ik", "ad", "om",
        "ier", "ach", "usz", "ew", "aj", "ot", "yl", "in", "ec", "as",
    };
    double u = unif(r);
    if (u < 0.25) {
        snprintf(out, cap, "%s", sn->v[zipf(r, sn->n, 40)]);
        return;
    }
    /* the stem: up to a consonant, three letters at least */
    const char *other = sn->v[below(r, sn->n)];
    size_t stem = strlen(other);
    if (stem > 6)
        stem = 3 + below(r, stem - 5);
    while (stem > 3 && strchr("aeiouy", other[stem - 1]))
        stem--;
    while (stem > 1 && ((unsigned char)other[stem] & 0xc0) == 0x80)
        stem--; /* never inside a letter */
    if (stem > 4 && ((unsigned char)other[4] & 0xc0) == 0x80)
        stem = 3;
    if (u < 0.65)
        snprintf(out, cap, "%.*s%s", (int)stem, other, endings[below(r, NENDINGS)]);
    else
        snprintf(out, cap, "%.*s%s%s", (int)(stem < 4 ? stem : 4), other,
                 middle[below(r, sizeof middle / sizeof middle[0])],
                 endings[below(r, NENDINGS)]);
}

static void make_man(const surnames *sn, rng *r, man *m)
{
    char a[56], b[56];
    make_surname(sn, r, a, sizeof a);
    if (chance(r, 0.03)) {
        make_surname(sn, r, b, sizeof b);
        snprintf(m->surname, sizeof m->surname, "%.27s-%.27s", a, b);
    } else {
        snprintf(m->surname, sizeof m->surname, "%s", a);
    }
    m->given1 = (uint16_t)zipf(r, NGIVEN, 3);
    m->given2 = chance(r, 0.2) ? (uint16_t)zipf(r, NGIVEN, 3) : (uint16_t)NGIVEN;
    if (m->given2 == m->given1)
        m->given2 = (uint16_t)NGIVEN;
    m->father = (uint16_t)zipf(r, NGIVEN, 3);
    m->year = 1880 + (int)below(r, 22) + (int)below(r, 20); /* peaks near 1900 */
    m->month = 1 + (int)below(r, 12);
    m->day = 1 + (int)below(r, 28);
    m->place = (uint16_t)below(r, NPLACES);
    m->rank = (uint16_t)zipf(r, NRANKS, 2);
}

/* ---- the lists -------------------------------------------------------------------- */

static int noisy_year(const man *m, rng *r, double noise)
{
    if (chance(r, 0.03 * noise))
        return 0;
    if (chance(r, 0.08 * noise))
        return m->year + (chance(r, 0.5) ? 1 : -1);
    return m->year;
}

/* The surname as a list writes it: a double surname may lose its second part. */
static void list_surname(const man *m, rng *r, double noise, char *out, size_t cap)
{
    snprintf(out, cap, "%s", m->surname);
    char *dash = strchr(out, '-');
    if (dash && chance(r, 0.5 * (noise > 1 ? 1 : noise) + 0.1))
        *dash = '\0';
}

static void write_nkvd(const man *m, rng *r, double noise, gen_record *g)
{
    char pl[64];
    list_surname(m, r, noise, pl, sizeof pl);
    to_cyrillic(pl, r, g->surname, sizeof g->surname);
    typo(g->surname, sizeof g->surname, r, noise);
    const given_name *gv = &given[m->given1], *fa = &given[m->father];
    int alt = gv->ru[1] && chance(r, 0.3);
    snprintf(g->given, sizeof g->given, "%s", gv->ru[alt]);
    int falt = fa->patr[1] && chance(r, 0.3);
    if (!chance(r, 0.05 * noise))
        snprintf(g->father, sizeof g->father, "%s", fa->patr[falt]);
    typo(g->father, sizeof g->father, r, noise * 0.5);
    g->year = noisy_year(m, r, noise);
    if (chance(r, 0.6))
        snprintf(g->rank, sizeof g->rank, "%s", ranks[m->rank].ru);
    if (chance(r, 0.03 * noise)) { /* name order swapped by the clerk */
        char t[64];
        snprintf(t, sizeof t, "%s", g->surname);
        set_text(g->surname, sizeof g->surname, g->given);
        set_text(g->given, sizeof g->given, t);
    }
}

static void write_exhumed(const man *m, rng *r, double noise, gen_record *g)
{
    char pl[64];
    list_surname(m, r, noise, pl, sizeof pl);
    strip(pl, g->surname, sizeof g->surname);
    misread(g->surname, sizeof g->surname, r, noise);
    typo(g->surname, sizeof g->surname, r, noise);
    char gv[48];
    strip(given[m->given1].pl, gv, sizeof gv);
    if (chance(r, 0.25 * (noise > 1 ? 1 : noise) + 0.05))
        snprintf(g->given, sizeof g->given, "%c.", gv[0]);
    else
        snprintf(g->given, sizeof g->given, "%s", gv);
    g->year = chance(r, 0.6) ? 0 : noisy_year(m, r, noise);
    const char *rk = ranks[m->rank].de ? ranks[m->rank].de : NULL;
    if (rk && chance(r, 0.3)) { /* the rank glued on: "Hptm.Kowalski" */
        char t[128];
        snprintf(t, sizeof t, "%s%s%s", rk, rk[strlen(rk) - 1] == '.' ? "" : " ",
                 g->surname);
        set_text(g->surname, sizeof g->surname, t);
    } else if (rk && chance(r, 0.5)) {
        snprintf(g->rank, sizeof g->rank, "%s", rk);
    }
}

static void write_memorial(const man *m, rng *r, double noise, gen_record *g)
{
    list_surname(m, r, noise * 0.3, g->surname, sizeof g->surname);
    typo(g->surname, sizeof g->surname, r, noise * 0.4);
    if (m->given2 < NGIVEN)
        snprintf(g->given, sizeof g->given, "%s %s", given[m->given1].pl, given[m->given2].pl);
    else
        snprintf(g->given, sizeof g->given, "%s", given[m->given1].pl);
    if (!chance(r, 0.1 * noise))
        snprintf(g->father, sizeof g->father, "s. %s", given[m->father].gen);
    int year = noisy_year(m, r, noise * 0.3);
    g->year = year;
    if (year && chance(r, 0.8))
        snprintf(g->date, sizeof g->date, "%02d.%02d.%d", m->day, m->month, year);
    if (chance(r, 0.7))
        snprintf(g->place, sizeof g->place, "%s", places[m->place].pl);
    snprintf(g->rank, sizeof g->rank, "%s", ranks[m->rank].pl);
}

void gen_options_realistic(gen_options *o, double scale, double noise)
{
    memset(o, 0, sizeof *o);
    o->size[GEN_NKVD] = (size_t)(4400 * scale);
    o->size[GEN_EXHUMED] = (size_t)(2800 * scale);
    o->exhumed_unlisted = (size_t)(67 * scale);
    o->size[GEN_MEMORIAL] = (size_t)(4000 * scale);
    o->persons = (size_t)(5000 * scale);
    o->noise = noise;
    o->seed = 1940;
}

const char *gen_list_name(int list)
{
    static const char *const name[GEN_NLISTS] = {"nkvd", "exhumed", "memorial"};
    return list >= 0 && list < GEN_NLISTS ? name[list] : "";
}

int gen_lists_make(const gen_options *o, gen_lists *out)
{
    memset(out, 0, sizeof *out);
    surnames sn;
    if (load_surnames(&sn) != 0)
        return -1;
    rng r = {o->seed * 0x9E3779B97F4A7C15ull + 1};
    man *men = malloc((o->persons + 1) * sizeof *men);
    size_t total = o->size[0] + o->size[1] + o->size[2];
    out->rec = calloc(total + 1, sizeof *out->rec);
    uint32_t *order = malloc((o->persons + 1) * sizeof *order);
    if (!men || !out->rec || !order) {
        free(men);
        free(order);
        free_surnames(&sn);
        gen_lists_free(out);
        return -1;
    }
    for (size_t i = 0; i < o->persons; i++)
        make_man(&sn, &r, &men[i]);
    for (int list = 0; list < GEN_NLISTS; list++) {
        size_t want = o->size[list];
        if (!want)
            continue;
        /* which men: the NKVD list is the first men; the exhumed are mostly
         * NKVD men, a few not on it; the memorial a shuffled sample */
        for (size_t i = 0; i < o->persons; i++)
            order[i] = (uint32_t)i;
        if (list == GEN_EXHUMED) {
            size_t listed = want - o->exhumed_unlisted, nk = o->size[GEN_NKVD];
            for (size_t i = 0; i < listed && nk; i++) {
                size_t j = i + below(&r, nk - i);
                uint32_t t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (size_t i = 0; i < o->exhumed_unlisted; i++)
                order[listed + i] = (uint32_t)(nk + below(&r, o->persons - nk));
        } else if (list == GEN_MEMORIAL) {
            for (size_t i = 0; i < want && i < o->persons; i++) {
                size_t j = i + below(&r, o->persons - i);
                uint32_t t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        /* a list names a man once: drop repeats of the unlisted draw */
        for (size_t i = 0; i < want && i < o->persons; i++) {
            int dup = 0;
            if (list == GEN_EXHUMED && i >= want - o->exhumed_unlisted)
                for (size_t k = want - o->exhumed_unlisted; k < i && !dup; k++)
                    dup = order[k] == order[i];
            if (dup)
                continue;
            gen_record *g = &out->rec[out->n++];
            g->person = order[i];
            g->list = (uint8_t)list;
            const man *m = &men[order[i]];
            if (list == GEN_NKVD)
                write_nkvd(m, &r, o->noise, g);
            else if (list == GEN_EXHUMED)
                write_exhumed(m, &r, o->noise, g);
            else
                write_memorial(m, &r, o->noise, g);
        }
    }
    free(men);
    free(order);
    free_surnames(&sn);
    return 0;
}

void gen_lists_free(gen_lists *g)
{
    free(g->rec);
    memset(g, 0, sizeof *g);
}

link_input *gen_lists_inputs(const gen_lists *g)
{
    link_input *in = calloc(g->n + 1, sizeof *in);
    if (!in)
        return NULL;
    for (size_t i = 0; i < g->n; i++) {
        const gen_record *r = &g->rec[i];
        in[i] = (link_input){
            .id = (int64_t)i + 1, .source = r->list,
            .surname = r->surname, .given = r->given,
            .patronymic = r->list == GEN_NKVD ? r->father : NULL,
            .father = r->list == GEN_NKVD ? NULL : r->father,
            .birth_year = r->year, .birth_date = r->date, .birth_place = r->place,
            .rank = r->rank,
        };
    }
    return in;
}

static void csv_field(FILE *out, const char *s, int last)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputs(last ? "\"\n" : "\",", out);
}

int gen_lists_write_csv(const gen_lists *g, int list, FILE *out)
{
    fprintf(out, "record_id,surname,given_names,%s,birth_year,birth_date,birth_place,"
            "rank,truth\n", list == GEN_NKVD ? "patronymic" : "father_name");
    long k = 0;
    for (size_t i = 0; i < g->n; i++) {
        const gen_record *r = &g->rec[i];
        if (r->list != list)
            continue;
        char id[32], year[16], truth[32];
        snprintf(id, sizeof id, "%s-%ld", gen_list_name(list), ++k);
        snprintf(year, sizeof year, "%d", r->year);
        snprintf(truth, sizeof truth, "%u", r->person);
        csv_field(out, id, 0);
        csv_field(out, r->surname, 0);
        csv_field(out, r->given, 0);
        csv_field(out, r->father, 0);
        csv_field(out, r->year ? year : "", 0);
        csv_field(out, r->date, 0);
        csv_field(out, r->place, 0);
        csv_field(out, r->rank, 0);
        csv_field(out, truth, 1);
    }
    return ferror(out) ? -1 : 0;
}
