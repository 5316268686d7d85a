/*
 * LinkPeer.java — the linkage benchmark's peer encoder: the Daitch–Mokotoff
 * codes (Apache Commons Codec, all branches) of each line of a file of
 * surnames already transliterated to ASCII (ICU "Any-Latin; Latin-ASCII").
 *
 *   java -cp commons-codec.jar:DIR LinkPeer IN OUT
 *
 * OUT has one line per IN line: the codes, comma-separated ("" when none).
 * The matching itself (code + birth year, one record per list) is done in
 * bench/bench_link.c, on the same records as kartoteka's linkage.
 */
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

import org.apache.commons.codec.language.DaitchMokotoffSoundex;

public final class LinkPeer {
    public static void main(String[] args) throws IOException {
        DaitchMokotoffSoundex dm = new DaitchMokotoffSoundex();
        try (BufferedReader in = Files.newBufferedReader(Paths.get(args[0]), StandardCharsets.UTF_8);
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(args[1]),
                                                                       StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String codes = line.isEmpty() ? "" : dm.soundex(line).replace('|', ',');
                out.println(codes);
            }
        }
    }
}
