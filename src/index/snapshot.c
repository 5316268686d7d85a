/*
 * snapshot.c — the index written to a file and mapped back (index_impl.h):
 * a header, then every table of the finished index as it lies in memory,
 * each at a 64-byte boundary. Mapping it costs a few system calls and the
 * pages a query touches, not a rebuild.
 *
 * A snapshot is only used for the store state it was written for: the
 * header holds that state (counts and last ids of the tables the index is
 * made from, the audit log's last id, the schema version), a hash of the
 * rules and name tables compiled into the program (a changed rule reads
 * names differently), the format version, and the byte order; any
 * difference, or a file whose sections do not fit, and the snapshot is
 * not used. It is written to a temporary file and renamed into place, so
 * a reader sees the old file or the whole new one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index/index_impl.h"
#include "names/camp.h"
#include "names/names.h"
#include "util/embedded.h"
#include "util/leftover.h"

/* Raised whenever the layout of the tables, or what the index computes
 * from a record, changes. */
#define SNAPSHOT_FORMAT 4
#define SNAPSHOT_ALIGN 64
#define BYTE_ORDER_MARK 0x01020304u
#define NSECTIONS 26

typedef struct snap_header {
    char magic[8];                 /* "KTINDEX\0" */
    uint32_t format, byte_order;
    uint64_t state[INDEX_STATE_N];
    uint64_t rules;                /* rules_hash() */
    uint64_t n, nalias, nintern, ndict, npair, nkeys, nkeypairs, pool_len;
    uint64_t off[NSECTIONS], len[NSECTIONS];
} snap_header;

static const char MAGIC[8] = "KTINDEX";

/* A hash of the rules and name tables the program reads names with. */
static uint64_t rules_hash(void)
{
    uint64_t h = SNAPSHOT_FORMAT;
    for (const kt_blob *b = kt_embedded_files; b->path; b++)
        if (strncmp(b->path, "data/names/", 11) == 0 || strncmp(b->path, "data/rules/", 11) == 0)
            h = h * 0x100000001B3ULL ^ names_hash(b->path, strlen(b->path)) ^
                names_hash(b->data, b->len);
    return h;
}

typedef struct section {
    void **ptr;
    size_t len;   /* bytes */
} section;

/* The tables of ix, with their sizes from the counts in ix (set from the
 * header when mapping). */
static void sections(kt_index *ix, size_t nkeypairs, section s[NSECTIONS])
{
    size_t n = ix->n, i = 0;
#define S(field, count) s[i++] = (section){(void **)&ix->field, (count) * sizeof *ix->field}
    S(record_id, n); S(person_id, n); S(name, n); S(record_key, n); S(sur_len, n);
    S(giv_len, n); S(source, n); S(camp, n); S(fate, n); S(father, n);
    S(given_cls, 2 * n); S(father_cls, n); S(given_init, n); S(year, n); S(rank, n); S(evidence, n);
    S(intern, ix->nintern); S(dict, ix->ndict); S(post_off, ix->ndict + 1);
    S(post, ix->npair); S(key_fp, ix->nkeys); S(key_off, ix->nkeys + 1);
    S(key_dict, nkeypairs); S(key_dir, ((size_t)1 << index_key_dir_bits(ix->nkeys)) + 1); S(alias, ix->nalias);
    S(pool.text, ix->pool.len);
#undef S
}

static size_t align_up(size_t x)
{
    return (x + SNAPSHOT_ALIGN - 1) & ~(size_t)(SNAPSHOT_ALIGN - 1);
}

int index_snapshot_write(kt_index *ix, const char *path, const uint64_t state[INDEX_STATE_N],
                         kt_error *err)
{
    if (!ix || !ix->finished) {
        kt_error_set(err, "only a finished index can be written");
        return KT_ERR;
    }
    snap_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, MAGIC, sizeof h.magic);
    h.format = SNAPSHOT_FORMAT;
    h.byte_order = BYTE_ORDER_MARK;
    memcpy(h.state, state, sizeof h.state);
    h.rules = rules_hash();
    h.n = ix->n;
    h.nalias = ix->nalias;
    h.nintern = ix->nintern;
    h.ndict = ix->ndict;
    h.npair = ix->npair;
    h.nkeys = ix->nkeys;
    h.nkeypairs = ix->key_off[ix->nkeys];
    h.pool_len = ix->pool.len;
    section s[NSECTIONS];
    sections(ix, h.nkeypairs, s);
    size_t at = align_up(sizeof h);
    for (int i = 0; i < NSECTIONS; i++) {
        h.off[i] = at;
        h.len[i] = s[i].len;
        at = align_up(at + s[i].len);
    }
    char tmp[4096];
    if (kt_leftover_name(KT_LEFTOVER_SNAPSHOT, path, tmp, sizeof tmp) != 0) {
        kt_error_set(err, "%s: path too long", path);
        return KT_ERR;
    }
    /* the names in it are the database's: readable by its owner only */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        kt_error_set(err, "cannot write %s: %s", tmp, strerror(errno));
        return KT_ERR;
    }
    static const char zeros[SNAPSHOT_ALIGN];
    int ok = fwrite(&h, sizeof h, 1, f) == 1;
    size_t pos = sizeof h;
    for (int i = 0; i < NSECTIONS && ok; i++) {
        ok = fwrite(zeros, 1, h.off[i] - pos, f) == h.off[i] - pos &&
             (s[i].len == 0 || fwrite(*s[i].ptr, 1, s[i].len, f) == s[i].len);
        pos = h.off[i] + s[i].len;
    }
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        kt_error_set(err, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return KT_ERR;
    }
    return KT_OK;
}

/* The tables rebuilt beside a mapped snapshot: the camp keys of interned
 * camps and fates (pointers into the camp table) and the alias map. */
static int rebuild_side_tables(kt_index *ix)
{
    ix->intern_camp = calloc(ix->nintern ? ix->nintern : 1, sizeof *ix->intern_camp);
    if (!ix->intern_camp)
        return KT_ERR_NOMEM;
    for (size_t i = 0; i < ix->nintern; i++)
        if (ix->intern[i].kind == IN_CAMP || ix->intern[i].kind == IN_FATE)
            ix->intern_camp[i] = names_camp_of(ix->pool.text + ix->intern[i].text);
    for (size_t i = 0; i < ix->nalias; i++)
        if (kt_hmap_add(&ix->alias_map, (uint64_t)ix->alias[i].slot + 1, (uint32_t)i) < 0)
            return KT_ERR_NOMEM;
    return KT_OK;
}

int index_snapshot_map(const char *path, const uint64_t state[INDEX_STATE_N], kt_index **out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return KT_ERR_NOTFOUND;
    struct stat sb;
    snap_header h;
    if (fstat(fd, &sb) != 0 || (size_t)sb.st_size < sizeof h ||
        pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h) {
        close(fd);
        return KT_ERR;
    }
    size_t size = (size_t)sb.st_size;
    if (memcmp(h.magic, MAGIC, sizeof h.magic) != 0 || h.format != SNAPSHOT_FORMAT ||
        h.byte_order != BYTE_ORDER_MARK || memcmp(h.state, state, sizeof h.state) != 0 ||
        h.rules != rules_hash() || h.n > UINT32_MAX || h.nalias > h.n || h.pool_len == 0) {
        close(fd);
        return KT_ERR;   /* another store state, other rules, or not ours */
    }
    void *map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return KT_ERR;
    kt_index *ix = index_new();
    if (!ix) {
        munmap(map, size);
        return KT_ERR_NOMEM;
    }
    ix->map = map;
    ix->map_len = size;
    ix->n = ix->cap = h.n;
    ix->nalias = h.nalias;
    ix->nintern = ix->cintern = h.nintern;
    ix->ndict = ix->cdict = h.ndict;
    ix->calias = h.nalias;
    ix->npair = h.npair;
    ix->nkeys = h.nkeys;
    ix->pool.len = h.pool_len;
    section s[NSECTIONS];
    sections(ix, h.nkeypairs, s);
    for (int i = 0; i < NSECTIONS; i++) {
        if (h.len[i] != s[i].len || h.off[i] % SNAPSHOT_ALIGN || h.off[i] > size ||
            s[i].len > size - h.off[i]) {
            index_free(ix);
            return KT_ERR;
        }
        *s[i].ptr = (char *)map + h.off[i];
    }
    if (ix->pool.text[h.pool_len - 1] != '\0' || ix->key_off[ix->nkeys] != h.nkeypairs ||
        ix->post_off[ix->ndict] != h.npair || rebuild_side_tables(ix) != KT_OK) {
        index_free(ix);
        return KT_ERR;
    }
    /* the pages are read as queries touch them; say so ahead */
    madvise(map, size, MADV_WILLNEED);
    ix->finished = 1;
    ix->origin = INDEX_ORIGIN_SNAPSHOT;
    *out = ix;
    return KT_OK;
}

void index_prefault(const kt_index *ix)
{
    if (!ix || !ix->map)
        return;
    long page = sysconf(_SC_PAGESIZE);
    const volatile char *m = ix->map;
    char sink = 0;
    for (size_t off = 0; off < ix->map_len; off += (size_t)(page > 0 ? page : 4096))
        sink ^= m[off];
    (void)sink;
}
