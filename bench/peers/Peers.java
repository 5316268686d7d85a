/*
 * Peers.java — the phonetic peers of the name benchmark, run on the corpora
 * and queries that bench_names wrote (bench/out/), so they answer exactly the
 * queries kartoteka answers, over exactly the same records.
 *
 *   java -cp commons-codec.jar:DIR Peers bmpm OUT   Beider-Morse (Apache Commons Codec)
 *   java -cp commons-codec.jar:DIR Peers dm OUT     Daitch-Mokotoff (Apache Commons Codec)
 *
 * BMPM: PhoneticEngine(NameType.GENERIC, RuleType.APPROX, concat = true),
 *       default maxPhonemes (20), language guessed by the rules (generic set:
 *       Polish, Russian, Cyrillic and the others), input in its own script.
 * DM:   DaitchMokotoffSoundex() with its default ASCII folding, soundex()
 *       (all branches). DM is defined on Latin letters only, so it reads the
 *       ICU "Any-Latin; Latin-ASCII" transliteration of corpus and queries,
 *       with the ' and " ICU writes for ь and ъ removed (the *.translit.tsv
 *       files the driver makes with uconv).
 *
 * Ranking, the same for both: a word's codes are the set of codes the
 * encoder gives it. A record's words are its surname and given names
 * (hyphenated parts separately). A query word matches a record word when
 * their code sets share a code (the usual BMPM / DM test): 1/2, plus 1/2 of
 * the sets' Jaccard overlap so that closer readings rank higher. A record
 * scores, for every query word, its best match among the record's words,
 * summed over the query words (PEERS_SCORE=jaccard: Jaccard alone, which
 * ranked worse for both peers). Candidates are the records sharing at least
 * one code with the query; ties go to the lower record id. Top 100 kept.
 *
 * Writes results_<peer>.tsv (qid TAB ids best first) and speed_<peer>.tsv.
 */
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.codec.language.DaitchMokotoffSoundex;
import org.apache.commons.codec.language.bm.NameType;
import org.apache.commons.codec.language.bm.PhoneticEngine;
import org.apache.commons.codec.language.bm.RuleType;

public final class Peers {
    private static final int TOPK = 100;

    interface Encoder {
        String encode(String word);
    }

    /* One corpus: record ids and their words; an inverted index code -> records. */
    static final class Corpus {
        final List<Long> ids = new ArrayList<>();
        final List<String[]> words = new ArrayList<>();
        final Map<String, int[]> postings = new HashMap<>();
    }

    private final Encoder enc;
    private final Map<String, Set<String>> cache = new HashMap<>();

    Peers(Encoder enc) {
        this.enc = enc;
    }

    /* Words of a name: lower case, split at spaces, hyphens and punctuation. */
    static String[] words(String s) {
        String[] parts = s.toLowerCase().split("[\\s\\-.,'\"()]+");
        List<String> out = new ArrayList<>();
        for (String p : parts)
            if (!p.isEmpty())
                out.add(p);
        return out.toArray(new String[0]);
    }

    /* The set of codes of one word (encoded once, then cached). */
    Set<String> codes(String word) {
        Set<String> c = cache.get(word);
        if (c != null)
            return c;
        c = parse(enc.encode(word));
        cache.put(word, c);
        return c;
    }

    static Set<String> parse(String encoded) {
        Set<String> c = new HashSet<>();
        if (encoded == null)
            return c;
        for (String code : encoded.split("[|()\\-\\s]+"))
            if (!code.isEmpty())
                c.add(code);
        return c;
    }

    Corpus load(Path file) throws IOException {
        Corpus c = new Corpus();
        Map<String, List<Integer>> post = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = r.readLine(); /* header */
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t", -1);
                String[] w = words(f[1] + " " + f[2]); /* surname, given names */
                int idx = c.ids.size();
                c.ids.add(Long.parseLong(f[0]));
                c.words.add(w);
                Set<String> seen = new HashSet<>();
                for (String word : w)
                    for (String code : codes(word))
                        if (seen.add(code))
                            post.computeIfAbsent(code, k -> new ArrayList<>()).add(idx);
            }
        }
        for (Map.Entry<String, List<Integer>> e : post.entrySet()) {
            List<Integer> l = e.getValue();
            int[] a = new int[l.size()];
            for (int i = 0; i < a.length; i++)
                a[i] = l.get(i);
            c.postings.put(e.getKey(), a);
        }
        return c;
    }

    static final boolean BINARY = !"jaccard".equals(System.getenv("PEERS_SCORE"));

    /* How well two words' code sets match: 0 when they share no code; else
     * (default) 1/2 for sharing any code, the standard BMPM/DM test, plus
     * 1/2 of their Jaccard overlap to order equally matched words. */
    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty())
            return 0;
        int inter = 0;
        for (String x : a)
            if (b.contains(x))
                inter++;
        if (inter == 0)
            return 0;
        double j = (double) inter / (a.size() + b.size() - inter);
        return BINARY ? 0.5 + 0.5 * j : j;
    }

    /* Ranked record ids for one query. */
    long[] query(Corpus c, String text) {
        String[] qw = words(text);
        List<Set<String>> qc = new ArrayList<>();
        Set<Integer> cand = new HashSet<>();
        for (String w : qw) {
            Set<String> codes = parse(enc.encode(w)); /* uncached: timed */
            qc.add(codes);
            for (String code : codes) {
                int[] p = c.postings.get(code);
                if (p != null)
                    for (int idx : p)
                        cand.add(idx);
            }
        }
        int n = cand.size();
        int[] idx = new int[n];
        double[] score = new double[n];
        int k = 0;
        for (int i : cand) {
            double s = 0;
            for (Set<String> q : qc) {
                double best = 0;
                for (String rw : c.words.get(i))
                    best = Math.max(best, jaccard(q, codes(rw)));
                s += best;
            }
            idx[k] = i;
            score[k] = s;
            k++;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++)
            order[i] = i;
        Arrays.sort(order, (x, y) -> {
            int cmp = Double.compare(score[y], score[x]);
            return cmp != 0 ? cmp : Long.compare(c.ids.get(idx[x]), c.ids.get(idx[y]));
        });
        int m = Math.min(TOPK, n);
        long[] out = new long[m];
        for (int i = 0; i < m; i++)
            out[i] = c.ids.get(idx[order[i]]);
        return out;
    }

    /* Records encoded per second without the cache: surname + given names of
     * the first `limit` records of a corpus file. */
    double encodeRate(Path file, int limit) throws IOException {
        List<String[]> names = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            while ((line = r.readLine()) != null && names.size() < limit) {
                String[] f = line.split("\t", -1);
                names.add(words(f[1] + " " + f[2]));
            }
        }
        long sink = 0;
        long t0 = System.nanoTime();
        for (String[] w : names)
            for (String word : w)
                sink += enc.encode(word).length();
        double s = (System.nanoTime() - t0) / 1e9;
        if (sink == 42)
            System.err.print("");
        return names.size() / s;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !(args[0].equals("bmpm") || args[0].equals("dm"))) {
            System.err.println("usage: Peers bmpm|dm OUTDIR");
            System.exit(2);
        }
        String peer = args[0];
        Path out = Paths.get(args[1]);
        String suffix = peer.equals("dm") ? ".translit.tsv" : ".tsv";
        Encoder enc;
        if (peer.equals("bmpm")) {
            PhoneticEngine pe = new PhoneticEngine(NameType.GENERIC, RuleType.APPROX, true);
            enc = pe::encode;
        } else {
            DaitchMokotoffSoundex dm = new DaitchMokotoffSoundex();
            enc = dm::soundex;
        }
        Peers p = new Peers(enc);

        long t0 = System.nanoTime();
        Map<String, Corpus> corpora = new HashMap<>();
        corpora.put("cyr", p.load(out.resolve("corpus_cyr" + suffix)));
        corpora.put("lat", p.load(out.resolve("corpus_lat" + suffix)));
        double tLoad = (System.nanoTime() - t0) / 1e9;
        int nrec = corpora.get("cyr").ids.size() + corpora.get("lat").ids.size();

        List<Double> lat = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(out.resolve("queries_quality" + suffix),
                StandardCharsets.UTF_8);
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(
                     out.resolve("results_" + peer + ".tsv"), StandardCharsets.UTF_8))) {
            String line = r.readLine(); /* header */
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t", -1);
                Corpus c = corpora.get(f[2]);
                long q0 = System.nanoTime();
                long[] ids = p.query(c, f[5]);
                lat.add((System.nanoTime() - q0) / 1e6);
                StringBuilder sb = new StringBuilder(f[0]).append('\t');
                for (int i = 0; i < ids.length; i++)
                    sb.append(i > 0 ? " " : "").append(ids[i]);
                w.println(sb);
            }
        }
        double rate = p.encodeRate(out.resolve("corpus_lat" + suffix), peer.equals("bmpm") ? 5000 : 100000);
        double[] l = lat.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(
                out.resolve("speed_" + peer + ".tsv"), StandardCharsets.UTF_8))) {
            w.printf("encode\t%.0f\tnames/s\tsurname + given names of Polish records, one "
                    + "thread, JVM%n", rate);
            w.printf("build\t%.0f\trec/s\tencode + inverted index of %d records (cached "
                    + "per distinct word), %.1f s%n", nrec / tLoad, nrec, tLoad);
            w.printf("dev_p50\t%.3f\tms\tover the %d quality queries at ~100,000 records, "
                    + "not 1,000,000%n", l[l.length / 2], l.length);
            w.printf("dev_p99\t%.3f\tms\t%n", l[(l.length * 99) / 100]);
            w.printf("dev_max\t%.3f\tms\t%n", l[l.length - 1]);
        }
        System.out.printf("%s: %d records indexed in %.1f s, %d queries%n", peer, nrec, tLoad,
                l.length);
    }
}
