/*
 * query.h — what a search query says, taken apart: name words (kept as
 * written), initials, a patronymic or a father's name, the year of birth,
 * a rank, a camp or execution site.
 *
 *   "kpt. Stanisław Kowalski ur. 1905 Lwów", "Kowalski S. 1905",
 *   "Ковальский Станислав Иванович 1905 г.р.", "Kovalsky Stanislav",
 *   "Mieczysław Smorawiński s. Jana", "gen. Smorawinski Kozielsk"
 *
 * Pure (no I/O; the rank, camp, marker and given-name tables are embedded
 * data read once on first use), no allocation, thread-safe after first use.
 */
#ifndef KT_NAMES_QUERY_H
#define KT_NAMES_QUERY_H

enum {
    NAMES_WORD_NAME,       /* a surname, given name or other word (e.g. "Lwów") */
    NAMES_WORD_INITIAL,    /* a single letter, with or without a dot: "S." → "S" */
    NAMES_WORD_PATRONYMIC, /* "Иванович" after a given name; fills father */
    NAMES_WORD_FATHER,     /* "Jana" in "s. Jana" / "syn Jana"; fills father */
};

#define NAMES_QUERY_MAX_WORDS 8
#define NAMES_QUERY_WORD_BYTES 96

typedef struct names_query_word {
    char text[NAMES_QUERY_WORD_BYTES]; /* NFC, no stress marks, no trailing
                                          punctuation; hyphenated names whole */
    int kind;                          /* NAMES_WORD_* */
} names_query_word;

typedef struct names_query {
    int n_words;
    names_query_word words[NAMES_QUERY_MAX_WORDS];
    int birth_year;  /* 0 none: "1893", "ur. 1893", "1893 г.р.", "b. 1893" */
    int rank;        /* rank id (rank.h) or 0 */
    char camp[32];   /* camp key (camp.h): "kozelsk", "starobelsk", "ostashkov", or "" */
    char site[32];   /* execution site key: "katyn", "kharkiv", "kalinin", ... or "";
                        names_site_camp(site) gives its camp. Not copied into
                        camp: "Charków" may be a birth place as well. */
    char father[96]; /* father's given name, as the given-name table writes it:
                        "Jan" from "s. Jana", "Иван" from "Иванович"; or "" */
} names_query;

/* Parses text into q (always fully initialised). A patronymic is recognised
 * only where one stands — after a given name (or initial) in a query with at
 * least three name words — and only when the given-name table knows the
 * father's name, so "Janowicz" or "Адамович" alone, or "Тышкевич" in
 * "граф Михаль Тышкевич", is a surname. A Polish-spelt patronymic
 * ("Iwanowicz") counts only between a given name and a surname.
 * Words beyond NAMES_QUERY_MAX_WORDS are dropped. Returns the number of
 * words, or -1 when text is NULL, not UTF-8, or longer than 1024 code points. */
int names_query_parse(const char *text, names_query *q);

#endif
