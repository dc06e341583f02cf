package io.casewatch.loops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The curated holding-phrase lists per language family (en, zh-Hans, zh-Hant) and the progress markers that veto
 * them, shipped under {@code casewatch/holding-phrases/}. Operators extend them with files of the same format
 * (one phrase a line, {@code #} comments) named {@code <family>.txt} or {@code progress-markers.txt} in a folder.
 */
public final class HoldingPhrases {

    public static final List<String> FAMILIES = List.of("en", "zh-Hans", "zh-Hant");
    private static final String MARKERS = "progress-markers";

    private final Map<String, List<String>> phrases;
    private final List<String> markers;

    private HoldingPhrases(Map<String, List<String>> phrases, List<String> markers) {
        this.phrases = phrases;
        this.markers = markers;
    }

    public static HoldingPhrases shipped() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String f : FAMILIES) {
            map.put(f, resource(f));
        }
        return new HoldingPhrases(map, resource(MARKERS));
    }

    /** These lists plus the extra lines of any {@code <family>.txt} / {@code progress-markers.txt} in {@code dir}. */
    public HoldingPhrases extendedBy(Path dir) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String f : FAMILIES) {
            List<String> list = new ArrayList<>(phrases.get(f));
            list.addAll(file(dir.resolve(f + ".txt")));
            map.put(f, List.copyOf(list));
        }
        List<String> m = new ArrayList<>(markers);
        m.addAll(file(dir.resolve(MARKERS + ".txt")));
        return new HoldingPhrases(map, List.copyOf(m));
    }

    /** The language family of a BCP 47 tag, or null when unknown (then every list applies). */
    public static String family(String language) {
        if (language == null || language.isBlank()) {
            return null;
        }
        String l = language.toLowerCase(Locale.ROOT).replace('_', '-');
        if (l.startsWith("en")) {
            return "en";
        }
        if (l.startsWith("zh")) {
            boolean traditional = l.contains("hant") || l.endsWith("-tw") || l.endsWith("-hk") || l.endsWith("-mo");
            return traditional ? "zh-Hant" : "zh-Hans";
        }
        return null;
    }

    /** The first phrase of the language's list (or any list) contained in the normalised text, or null. */
    public String matchPhrase(String normalized, String family) {
        if (family != null) {
            return first(phrases.getOrDefault(family, List.of()), normalized);
        }
        for (List<String> list : phrases.values()) {
            String m = first(list, normalized);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    public String matchMarker(String normalized) {
        return first(markers, normalized);
    }

    private static String first(List<String> list, String text) {
        for (String p : list) {
            if (text.contains(p)) {
                return p;
            }
        }
        return null;
    }

    private static List<String> resource(String name) {
        String path = "/casewatch/holding-phrases/" + name + ".txt";
        try (InputStream in = HoldingPhrases.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return lines(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> file(Path p) {
        if (!Files.exists(p)) {
            return List.of();
        }
        try {
            return lines(Files.readAllLines(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    private static List<String> lines(List<String> raw) {
        List<String> out = new ArrayList<>();
        for (String line : raw) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(TextNormalizer.normalize(t));
            }
        }
        return List.copyOf(out);
    }
}
