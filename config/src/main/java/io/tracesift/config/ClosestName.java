package io.tracesift.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known name a mistyped one was most likely meant to be, for "did you mean ...?" hints. */
public final class ClosestName {

    private ClosestName() {
    }

    /**
     * The candidate closest to {@code typed}, ignoring case and counting "_" and "-" as the same, if it is within
     * two edits (three for names of 12 characters or more) and fewer edits than {@code typed} is long, so that a
     * one-letter name is not "corrected" into an unrelated one.
     */
    public static Optional<String> of(String typed, Collection<String> candidates) {
        String needle = typed.toLowerCase(Locale.ROOT);
        int allowed = Math.min(Math.max(2, Math.min(3, needle.length() / 4)), needle.length() - 1);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(needle, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** "; did you mean 'x'?" with the closest candidate, else ";" — the joint between a problem and what is valid. */
    public static String didYouMean(String typed, Collection<String> candidates) {
        return of(typed, candidates).map(name -> "; did you mean '" + name + "'?").orElse(";");
    }

    /** Levenshtein distance, where "_" and "-" count as the same character. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = same(a.charAt(i - 1), b.charAt(j - 1)) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + substitution);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static boolean same(char x, char y) {
        return x == y || (x == '_' || x == '-') && (y == '_' || y == '-');
    }
}
