/*
 * names.h — the name engine: reads a name written in any of the ways Polish
 * prisoners' names survive (Polish, Russian / Ukrainian / Belarusian
 * Cyrillic, English / German / French / ISO 9 romanisations, stripped ASCII)
 * into one common phonemic form, the PIVOT, and compares names with a score
 * and a human-readable explanation. Pure functions, no I/O. The tables
 * (reading rules in data/rules/, one file per orthography; given names in
 * data/names/given_names.tsv) are compiled into the binary and loaded once,
 * on first use (thread-safe).
 *
 * The pivot alphabet (one ASCII byte per phoneme):
 *   vowels      a e i o u y          (y = Russian ы, Polish y)
 *   consonants  p b t d k g f v s z l m n r j
 *               x = х (Polish ch, English kh)   h = Polish h, Ukrainian г
 *               w = Belarusian ў (non-syllabic u)
 *               c = ц   C = ч   S = ш   Z = ж   (щ = SC, szcz = SC)
 *   '-'         separates the parts of a double surname
 * Softness is not written: Polish "ni", "ń", Russian "нь" all read as n;
 * Russian е ё ю я read je jo ju ja at word start and after vowels and the
 * soft/hard signs, e o u a after consonants. Doubled phonemes are collapsed;
 * i after S Z C c reads y (Polish "szy" = Russian "ши").
 *
 * Typical use:
 *   names_word w;  names_word_read("Smorawiński", 0, &w);   // 1 reading
 *   names_word_read("Smoravinskiy", 0, &w);                   // ASCII: several
 *   names_compare_text("Mieczysław Smorawiński 1893", &rec, &res);
 */
#ifndef KT_NAMES_H
#define KT_NAMES_H

#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

/* ---- normalisation ------------------------------------------------------ */

/* NFKC, Unicode case folding, stress marks (U+0301) removed, every hyphen
 * and dash to '-', every apostrophe (and the ISO 9 prime ʹ) to '\'', other
 * punctuation to a space, runs of spaces to one, trimmed. Writes a
 * NUL-terminated string; returns its byte length, or -1 on invalid UTF-8 or
 * when it does not fit. No allocation. */
int names_normalize(const char *in, size_t len, char *out, size_t cap);

/* ---- orthographies and reading ------------------------------------------ */

typedef enum names_ortho {
    NAMES_RUSSIAN, NAMES_UKRAINIAN, NAMES_BELARUSIAN,
    NAMES_POLISH, NAMES_ISO9, NAMES_ENGLISH, NAMES_GERMAN, NAMES_FRENCH,
    NAMES_ORTHO_COUNT
} names_ortho;

/* "russian", "polish", ... */
const char *names_ortho_name(names_ortho o);

/* The orthographies a normalised word is plausibly written in, most likely
 * first: Cyrillic → one of Russian / Ukrainian (і ї є ґ) / Belarusian (ў);
 * Latin with Polish letters → Polish; with š č ž → ISO 9; plain ASCII →
 * Polish, English, German and French all (the reader cannot know: "ch" is
 * х in Polish, ч in English, ш in French). Returns the count (<= max). */
int names_orthographies(const char *word, size_t len, names_ortho out[], int max);

#define NAMES_PIVOT_MAX 48   /* phonemes in one reading */
#define NAMES_READINGS_MAX 4 /* readings of one word */
#define NAMES_TEXT_MAX 96    /* bytes of one normalised word */

/* One reading of a word: phonemes, and for each phoneme the grapheme (byte
 * span in the normalised word) it was read from, for explanations. */
typedef struct names_reading {
    names_ortho ortho;
    unsigned char len;
    char ph[NAMES_PIVOT_MAX + 1];          /* NUL-terminated */
    unsigned char src_off[NAMES_PIVOT_MAX];
    unsigned char src_len[NAMES_PIVOT_MAX];
} names_reading;

/* Rules loaded for an orthography (from data/rules/<name>.tsv). */
int names_rules_count(names_ortho o);
/* Reads every rules table of the engine (data/rules/, data/names/) and
 * returns how many rows their loaders refused as malformed (0 for the
 * tables as shipped); *first (may be NULL) names the first, by file and
 * line. */
int names_rules_check(kt_error *first);

/* Reads a NORMALISED word in one orthography. Returns the pivot length. */
int names_read_as(names_ortho o, const char *word, size_t len, names_reading *out);

/* A word as the engine keeps it: normalised text plus its distinct readings
 * (most plausible first). */
typedef struct names_word {
    char text[NAMES_TEXT_MAX];
    unsigned char len;
    unsigned char nread;
    names_reading read[NAMES_READINGS_MAX];
} names_word;

/* Normalises text (len 0 = strlen) and reads it in every plausible
 * orthography. Returns the number of readings (0 for an empty word or one
 * without letters). */
int names_word_read(const char *text, size_t len, names_word *w);

/* Just the pivot of the most plausible reading, into out (NUL-terminated);
 * returns its length or -1. Cheap: for encoding many names. */
int names_pivot(const char *text, size_t len, char *out, size_t cap);

/* ---- keys for candidate generation --------------------------------------- */

#define NAMES_SKELETON_MAX 16
#define NAMES_KEYS_MAX (NAMES_SKELETON_MAX + 1)

/* The coarse skeleton of a pivot: consonants merged into classes that
 * absorb systematic differences between orthographies and clerks' habits
 * (voiced = voiceless; k g x h; f v w; s z; S Z; c C; m n), vowels in three
 * classes (a o; e i y; u), j dropped, r before S/Z dropped (rz → ж / рж /
 * ш), doubled classes collapsed, '-' ignored. Returns its length. */
int names_skeleton(const char *ph, size_t len, char *out, size_t cap);

/* 64-bit keys of a skeleton: the skeleton itself, and (when it has at least
 * 4 classes) each one-class deletion of it, so that two names a dropped,
 * added, changed or swapped letter apart share a key (symmetric deletion).
 * Returns the count; keys[0] is the skeleton itself. */
int names_keys(const char *skel, size_t len, uint64_t keys[NAMES_KEYS_MAX]);

uint64_t names_hash(const char *s, size_t len);

/* ---- given names ----------------------------------------------------------- */

/* Kinds of forms in the given-name table. */
enum {
    NAMES_FORM_GIVEN = 1,      /* nominative, any language or romanisation */
    NAMES_FORM_GENITIVE = 2,   /* Polish genitive: "Jana" (father, "s. Jana") */
    NAMES_FORM_PATRONYMIC = 4, /* Russian patronymic: "Янович" (father) */
    NAMES_FORM_ANY = 7
};

#define NAMES_CLASSES_MAX 4

/* The given-name classes (rows of data/names/given_names.tsv) a word
 * belongs to, as a form of one of the `kinds`: its text (any case, any
 * script), then its pivot readings, so "Mieczyslaw", "Mechislav",
 * "Мечислав" and "Mieczysław" are one class. A form may sit in more than
 * one row (Андрей: Andrzej and Jędrzej). Returns the count (0 = unknown). */
int names_given_classes(const char *word, size_t len, int kinds,
                        uint16_t out[NAMES_CLASSES_MAX]);
/* The same for a word already read (no second normalisation). */
int names_word_classes(const names_word *w, int kinds, uint16_t out[NAMES_CLASSES_MAX]);
/* Convenience: the first class of a given name, or -1 when unknown. */
int names_given_class(const char *word);
/* The father's classes named by a patronymic ("Янович", "Игнатьевич") or a
 * Polish genitive ("Jana", "Antoniego"); falls back to stripping the
 * patronymic suffix and looking the stem up as a given name. */
int names_father_classes(const char *word, size_t len, uint16_t out[NAMES_CLASSES_MAX]);
int names_word_father_classes(const names_word *w, uint16_t out[NAMES_CLASSES_MAX]);
/* The Polish nominative of a class ("Józef"), or "" when out of range. */
const char *names_class_label(uint16_t cls);
int names_class_count(void);
/* First phonemes of every given-name form of a class, as a bit set (bit
 * ph-'a' for a..z, 26 S, 27 Z, 28 C): an initial "J." fits Józef, whose
 * forms include Иосиф and Осип too. */
uint32_t names_class_initials(uint16_t cls);
uint32_t names_initial_bit(char ph);
/* The initials a query's initial may stand for: the first phoneme of each
 * of its readings, and for a Latin C, S or R also the Polish digraph that
 * begins with it (Cz, Ch; Sz; Rz): "C. Rama" is Czesław Rama, Чеслав. */
uint32_t names_query_initial_bits(const names_word *w);
/* 1 when word looks like a Russian patronymic (-ович -евич -ич -овна -евна -ична). */
int names_is_patronymic(const char *word, size_t len);

/* ---- comparison -------------------------------------------------------------- */

/* Weighted edit distance between two pivots, with the costs of
 * data/rules/confusions.tsv: cheap substitutions for the known confusions (е/и, ы/и, о/а, voiced/voiceless, х/г/h, ł as л/в/у,
 * ж/ш for rz, m/n before b p), cheap insertion of j, r (рж) and vowels next
 * to vowels, adjacent swaps. 0 = same. */
double names_distance(const char *a, size_t alen, const char *b, size_t blen);
/* The same distance, computed with early exit: when it exceeds max the
 * value returned is some number > max (not the exact distance). */
double names_distance_within(const char *a, size_t alen, const char *b, size_t blen, double max);

/* Similarity of two surname words 0..1 over all their readings; when
 * `why` is non-NULL, writes "Сморавинский ≈ Smorawiński: ń→н, w→в" (or
 * "X = Y" for an exact match) there. */
double names_surname_similarity(const names_word *a, const names_word *b,
                                char *why, size_t cap);

/* What a surname similarity s (0..1) is worth in a score: 0 up to 0.5,
 * then rising steeply to 1. */
double names_surname_weight(double s);

/* The weights of a score's components (names_compare: the weighted mean of
 * those the query has), shared with the index's cheap score and its
 * bounds so that both weigh alike. */
#define NAMES_W_SURNAME 0.55
#define NAMES_W_GIVEN 0.25
#define NAMES_W_INITIAL 0.10
/* An initial that fits none of the record's given names weighs as a given
 * name that disagrees: that it fits says little (many names share a first
 * letter), that it does not says the record names another man ("W. Szmidt"
 * is not Шмидт Адольф). */
#define NAMES_W_INITIAL_CONFLICT NAMES_W_GIVEN
#define NAMES_W_FATHER 0.10
#define NAMES_W_YEAR 0.15
#define NAMES_W_RANK 0.05
#define NAMES_W_CAMP 0.05
/* A component the record does not give: neither confirmed nor contradicted. */
#define NAMES_NEUTRAL 0.5
/* The given-name agreement when the record gives no given name and the
 * query word is one the given-name tables do not know (probably the
 * surname the record lacks: "Jan Goskawski" against Жен-Де-Жан). */
#define NAMES_GIVEN_ABSENT_UNKNOWN 0.2
/* How two birth years agree: 1 the same, 0.8 one apart, 0.6 two, 0.25
 * three or four, 0 further. */
double names_year_agreement(int a, int b);

#define NAMES_PARTS_MAX 3
#define NAMES_GIVEN_MAX 3
#define NAMES_WHY_MAX 8
#define NAMES_WHY_LEN 160

/* A person's name as a record gives it, read and classified. */
typedef struct names_person {
    int nsurname;                           /* parts of a double surname */
    names_word surname[NAMES_PARTS_MAX];
    names_word surname_whole;               /* all parts, joined with '-' */
    int ngiven;
    names_word given[NAMES_GIVEN_MAX];
    uint16_t given_cls[NAMES_GIVEN_MAX][NAMES_CLASSES_MAX];
    unsigned char given_ncls[NAMES_GIVEN_MAX];
    int has_father;                         /* patronymic or father's name */
    names_word father;                      /* as written */
    uint16_t father_cls[NAMES_CLASSES_MAX];
    int father_ncls;
    int birth_year;                         /* 0 = unknown */
    int rank;                               /* rank id (names/rank.h), 0 = unknown */
    const char *camp;                       /* camp key (names/camp.h) or NULL;
                                               not set by names_person_from_fields */
} names_person;

/* Builds a person from separate fields (any may be NULL or ""). When
 * surname is empty and `whole` is given, the whole name is split: a
 * patronymic marks Russian order (surname first); otherwise a first word
 * that is a known given name, followed by one that is not, marks
 * given-first order. father may be a patronymic or a Polish name (either
 * case). */
void names_person_from_fields(names_person *p, const char *surname,
                              const char *given, const char *patronymic,
                              const char *father, const char *whole,
                              int birth_year, const char *rank);

/* A whole name in one string ("Крон Арнольд Фрицевич", "Jan Kowalski"),
 * split into its parts (spans into the input; lengths 0 when absent): a
 * final patronymic marks Russian order (surname first); otherwise a first
 * word that is a known given name followed by a last word that is not marks
 * given-first order; otherwise surname first. given may span several words. */
typedef struct names_split {
    const char *surname, *given, *patronymic;
    size_t surname_len, given_len, patronymic_len;
} names_split;
void names_split_whole(const char *whole, names_split *out);
/* The same with the order known: NAMES_ORDER_SURNAME_FIRST ("Фамилия Имя
 * Отчество"), NAMES_ORDER_GIVEN_FIRST ("Имя Отчество Фамилия"), or
 * NAMES_ORDER_AUTO as above. */
enum { NAMES_ORDER_AUTO, NAMES_ORDER_SURNAME_FIRST, NAMES_ORDER_GIVEN_FIRST };
void names_split_whole_order(const char *whole, int order, names_split *out);

/* A query read for comparison: the name words of a parsed query
 * (names/query.h) with their readings, the parts of hyphenated words, the
 * given-name classes of each word, initials, the father's classes. */
#define NAMES_QWORDS_MAX 8
typedef struct names_probe {
    int nwords;
    names_word words[NAMES_QWORDS_MAX];
    unsigned char nparts[NAMES_QWORDS_MAX];     /* >1 for "Olszyna-Wilczyński" */
    names_word parts[NAMES_QWORDS_MAX][2];
    uint16_t cls[NAMES_QWORDS_MAX][NAMES_CLASSES_MAX]; /* as given names */
    unsigned char ncls[NAMES_QWORDS_MAX];
    unsigned char initial[NAMES_QWORDS_MAX];    /* 1 = the word is an initial */
    unsigned char surname_only[NAMES_QWORDS_MAX]; /* 1 = tried as the surname
                          only: a word the parser read as a camp or site
                          ("Калинин" is a place and a surname) */
    int has_father;
    names_word father;
    uint16_t father_cls[NAMES_CLASSES_MAX];
    int father_ncls;
    int father_word;   /* index of a word the parser took for a patronymic, -1:
                          still tried as the surname (Тышкевич looks like one) */
    int birth_year;                              /* 0 = not given */
    int rank;                                    /* rank id (names/rank.h), 0 = none */
    char camp[32];     /* camp key named in the query (a site gives its camp), or "" */
} names_probe;

struct names_query;
/* Reads a parsed query (names/query.h) for comparison. Returns nwords. */
int names_probe_from_query(const struct names_query *q, names_probe *p);
/* names_query_parse + names_probe_from_query. Returns nwords, -1 on error. */
int names_probe_text(const char *text, names_probe *p);

typedef struct names_result {
    double score;                 /* 0..1 */
    int surname_word;             /* which query word was read as surname */
    int nwhy;
    char why[NAMES_WHY_MAX][NAMES_WHY_LEN];
} names_result;

/* Compares a query with a record's person: every query word is tried as
 * the surname (words joined by a hyphen count too), the rest against the
 * given names / initials / father. Components (used only when the query
 * has them): surname similarity (dominant); given-name class (equal:
 * support; conflicting: strong evidence against; missing in the record:
 * neutral, above a conflict); initials; father (patronymic vs genitive);
 * year (±1–2 a small penalty, far off a large one); rank; camp. res->why gets
 * one line per component. Returns res->score. */
double names_compare(const names_probe *q, const names_person *rec, names_result *res);

/* names_probe_text + names_compare. */
double names_compare_text(const char *query, const names_person *rec, names_result *res);

#endif
