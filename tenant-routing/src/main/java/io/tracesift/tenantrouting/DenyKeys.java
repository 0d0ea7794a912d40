package io.tracesift.tenantrouting;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The deny-listed attribute keys as an open-addressing hash table, so the check that runs for every attribute key
 * is a few lookups and allocates nothing. A key is denied when, ignoring case, it equals a listed key or ends with
 * "." and a listed key (so {@code password} also covers {@code db.password}).
 *
 * <p>The listed keys are lower-cased once, here. A looked-up key is never copied: the hash of each candidate suffix
 * (the whole key and every part after a '.') is computed over case-folded characters in one backwards pass, and a
 * slot whose hash and length agree is confirmed with {@link String#regionMatches(boolean, int, String, int, int)}.
 * The fold is the one {@code regionMatches} uses, so every key it would accept hashes to the same slot.
 */
final class DenyKeys {
    private final String[] keys;
    private final int[] hashes;
    /** Index into {@link #keys} plus one; 0 marks an empty slot. */
    private final int[] slots;
    private final int mask;
    /**
     * A bit per ending (see {@link #endingBit}) that some listed key can match: a listed key matches only at the end
     * of a key, so a key whose ending has no bit set is not denied, and most keys are ruled out by this one lookup.
     */
    private final long[] endings = new long[ENDING_BITS / Long.SIZE];
    private static final int ENDING_BITS = 4096;

    DenyKeys(Set<String> denyKeys) {
        Set<String> lowered = new LinkedHashSet<>();
        for (String key : denyKeys) {
            lowered.add(key.toLowerCase(Locale.ROOT));
        }
        this.keys = lowered.toArray(new String[0]);
        this.hashes = new int[keys.length];
        int capacity = Integer.highestOneBit(Math.max(1, keys.length) * 4 - 1) << 1;
        this.slots = new int[capacity];
        this.mask = capacity - 1;
        for (int k = 0; k < keys.length; k++) {
            String key = keys[k];
            int hash = 0;
            for (int i = 0; i < key.length(); i++) {
                hash = 31 * hash + fold(key.charAt(i));
            }
            hashes[k] = hash;
            int slot = spread(hash) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = k + 1;
            if (key.length() >= 2) {
                setEnding(fold(key.charAt(key.length() - 2)), fold(key.charAt(key.length() - 1)));
            } else if (key.length() == 1) {
                setEnding(NONE, fold(key.charAt(0))); // the whole key
                setEnding('.', fold(key.charAt(0))); // after a '.'
            } else {
                Arrays.fill(endings, -1L); // "" matches every key ending in '.': rule nothing out
            }
        }
    }

    /** No character: the ending of a one-character key. */
    private static final int NONE = -1;

    private void setEnding(int beforeLast, int last) {
        int bit = endingBit(beforeLast, last);
        endings[bit >>> 6] |= 1L << bit;
    }

    /** A hash of a key's last two folded characters. */
    private static int endingBit(int beforeLast, int last) {
        return (beforeLast * 31 + last) & (ENDING_BITS - 1);
    }

    private boolean mayEndLikeADeniedKey(String key) {
        int n = key.length();
        return n == 0 || mayEndWith(n == 1 ? NONE : fold(key.charAt(n - 2)), fold(key.charAt(n - 1)));
    }

    private boolean mayEndWith(int beforeLast, int last) {
        int bit = endingBit(beforeLast, last);
        return (endings[bit >>> 6] & 1L << bit) != 0;
    }

    boolean denies(String key) {
        int length = key.length();
        if (!mayEndLikeADeniedKey(key)) {
            return false;
        }
        int hash = 0;
        int power = 1;
        for (int start = length - 1; start >= 0; start--) {
            // hash of key[start..] as String.hashCode would compute it over folded characters
            hash += fold(key.charAt(start)) * power;
            power *= 31;
            if ((start == 0 || key.charAt(start - 1) == '.') && contains(key, start, hash)) {
                return true;
            }
        }
        return false;
    }

    private boolean contains(String key, int start, int hash) {
        int suffixLength = key.length() - start;
        for (int slot = spread(hash) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            int k = slots[slot] - 1;
            String denied = keys[k];
            if (hashes[k] == hash && denied.length() == suffixLength
                    && key.regionMatches(true, start, denied, 0, suffixLength)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #denies} answered on a key's UTF-8 bytes without decoding or copying them. Exact for an ASCII key (each
     * byte below 0x80 is that very character); true for a key with another character that the ending check does not
     * rule out, because a non-ASCII character can fold to an ASCII one (the Kelvin sign to 'k').
     */
    boolean mayDeny(byte[] utf8, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return false;
        }
        int last = utf8[to - 1];
        int beforeLast = n == 1 ? 0 : utf8[to - 2];
        if (last < 0 || beforeLast < 0) {
            return true; // part of a multi-byte character: its fold is unknown without decoding
        }
        if (!mayEndWith(n == 1 ? NONE : fold((char) beforeLast), fold((char) last))) {
            return false;
        }
        int hash = 0;
        int power = 1;
        for (int start = to - 1; start >= from; start--) {
            int c = utf8[start];
            if (c < 0) {
                return true;
            }
            hash += fold((char) c) * power;
            power *= 31;
            if ((start == from || utf8[start - 1] == '.') && containsAscii(utf8, start, to, hash)) {
                return true;
            }
        }
        return false;
    }

    /** {@link #contains} for an ASCII suffix given as bytes: the same fold decides, as in {@code regionMatches}. */
    private boolean containsAscii(byte[] key, int start, int to, int hash) {
        int suffixLength = to - start;
        for (int slot = spread(hash) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            int k = slots[slot] - 1;
            String denied = keys[k];
            if (hashes[k] == hash && denied.length() == suffixLength && asciiMatches(key, start, denied)) {
                return true;
            }
        }
        return false;
    }

    private static boolean asciiMatches(byte[] key, int start, String denied) {
        for (int i = 0; i < denied.length(); i++) {
            if (fold((char) key[start + i]) != fold(denied.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Characters that {@code regionMatches(true, ...)} treats as equal fold to the same value. */
    private static int fold(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
        }
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
