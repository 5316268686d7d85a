#!/usr/bin/python3
"""icu_jw.py — the ICU + Jaro-Winkler peer of the name benchmark: what a
programmer reaches for with two well-known libraries. Every name, of corpus
and query alike, is transliterated by ICU (PyICU, "Any-Latin; Latin-ASCII;
Lower", the ' and " ICU writes for soft and hard signs removed), and records
are ranked by Jaro-Winkler similarity (jellyfish), word against word.

Ranking: a record's words are its surname and given names (hyphenated parts
apart). A record scores, for every query word, its best Jaro-Winkler
similarity among the record's words, averaged over the query words.
Candidates: every record sharing a word's first two transliterated letters
with some query word (a blocking key, as a database would index it); ties
go to the lower id. Top 100 kept.

usage: icu_jw.py OUT   reads corpus_{cyr,lat}.tsv and queries_quality.tsv,
writes results_icujw.tsv and speed_icujw.tsv.
"""
import sys
import time
import warnings

import icu
import jellyfish

TOPK = 100
# jellyfish 0.8 on Python 3.11 warns about its argument parsing on every call
warnings.filterwarnings("ignore", category=DeprecationWarning)
TRANSLIT = icu.Transliterator.createInstance(
    "Any-Latin; Latin-ASCII; Lower; ['\"] Remove")


def words_of(text):
    return [w for w in TRANSLIT.transliterate(text).replace("-", " ").split() if w]


def load_corpus(path):
    recs = []   # (id, words)
    block = {}  # first two letters -> record indexes
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            c = line.rstrip("\n").split("\t")
            ws = words_of(c[1] + " " + c[2])
            i = len(recs)
            recs.append((int(c[0]), ws))
            for w in set(x[:2] for x in ws):
                block.setdefault(w, []).append(i)
    return recs, block


def search(recs, block, text):
    qw = [w for w in words_of(text) if len(w) > 1 or w.isalpha()]
    cand = set()
    for w in qw:
        cand.update(block.get(w[:2], ()))
    scored = []
    for i in cand:
        rid, ws = recs[i]
        s = sum(max(jellyfish.jaro_winkler_similarity(q, w) for w in ws) for q in qw) / len(qw) \
            if ws and qw else 0.0
        scored.append((-s, rid))
    scored.sort()
    return [rid for _, rid in scored[:TOPK]]


def main():
    out = sys.argv[1]
    t0 = time.time()
    corpora = {k: load_corpus(f"{out}/corpus_{k}.tsv") for k in ("cyr", "lat")}
    build = time.time() - t0
    n = sum(len(r) for r, _ in corpora.values())
    lat = []
    with open(f"{out}/queries_quality.tsv", encoding="utf-8") as f, \
            open(f"{out}/results_icujw.tsv", "w", encoding="utf-8") as res:
        next(f)
        for line in f:
            c = line.rstrip("\n").split("\t")
            recs, block = corpora[c[2]]
            a = time.time()
            ids = search(recs, block, c[5])
            lat.append((time.time() - a) * 1e3)
            res.write(c[0] + "\t" + "\t".join(str(i) for i in ids) + "\n")
    lat.sort()
    with open(f"{out}/speed_icujw.tsv", "w", encoding="utf-8") as s:
        s.write(f"build\t{n / build:.0f}\trec/s\tICU transliteration + blocking of {n} records, "
                f"Python, one thread\n")
        s.write(f"dev_p50\t{lat[len(lat) // 2]:.3f}\tms\t{len(lat)} dev queries, Python\n")
        s.write(f"dev_p99\t{lat[len(lat) * 99 // 100]:.3f}\tms\t\n")
        s.write(f"dev_max\t{lat[-1]:.3f}\tms\t\n")


if __name__ == "__main__":
    main()
