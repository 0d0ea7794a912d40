package io.tracesift.tenantrouting;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A kind of secret recognised inside attribute values, whatever the key. Each constant documents a necessary
 * condition for its regex to match; {@link #candidates} checks all of them in one pass over a value so the regular
 * expressions run only on values that could contain a secret: most values on the hot path contain none.
 */
public enum ValuePattern {
    /**
     * {@code Authorization: Bearer <token>} values; the token must contain a digit, so prose does not match.
     * Necessary condition: "bearer" in any ASCII case (the regex's {@code (?i)} folds ASCII only) followed by a
     * {@code \s} character, and at least 15 characters in all ("bearer", one space, eight token characters).
     */
    BEARER_TOKEN("bearer-token", Pattern.compile("(?i)\\bbearer\\s+(?=[A-Za-z0-9._~+/-]*[0-9])[A-Za-z0-9._~+/-]{8,}=*")),
    /**
     * JSON Web Tokens: base64url header (always starting {@code eyJ}, i.e. '{"'), payload and signature.
     * Necessary condition: "eyJ" (case-sensitive) with at least two '.' after it.
     */
    JWT("jwt", Pattern.compile("\\beyJ[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]*")),
    /**
     * AWS access key ids (long-term AKIA, temporary ASIA and the other documented prefixes).
     * Necessary condition: a run of at least 20 characters from [A-Z0-9] (prefix and 16 more, no other character
     * in between) that starts with 'A'.
     */
    AWS_ACCESS_KEY("aws-access-key",
            Pattern.compile("\\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\\b")),
    /**
     * 13 to 19 digits, optionally grouped by spaces or dashes, that pass the Luhn check (so most ids do not).
     * Necessary condition: 13 ASCII digits ({@code \d} is ASCII-only here) in a row where single spaces or dashes
     * may stand between two digits, counted from a digit where {@code \b} can hold (at the start or after a
     * character outside [A-Za-z0-9_]) to one where it can hold again (at the end or before such a character). A
     * non-ASCII character counts as a possible boundary, as Java versions differ on which of them are word
     * characters. So hex ids and UUIDs, whose digit runs mostly sit between letters, rarely qualify.
     */
    CREDIT_CARD("credit-card", Pattern.compile("\\b\\d(?:[ -]?\\d){12,18}\\b")) {
        @Override
        boolean accepts(CharSequence match) {
            return passesLuhn(match);
        }
    },
    /** Necessary condition: an '@' with a '.' somewhere after it (the domain needs a dot before its TLD). */
    EMAIL("email", Pattern.compile("\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}\\b"));

    private static final String BEARER = "bearer";
    private static final int BEARER_MIN_LENGTH = 15;
    private static final int CARD_MIN_DIGITS = 13;
    private static final int AWS_KEY_LENGTH = 20;
    private static final int JWT_MIN_DOTS = 2;
    /** Flag of {@link #candidates(byte[], int, int)}: some byte is not ASCII. No pattern has this bit. */
    static final int NON_ASCII = 1 << 30;
    /**
     * Flag of {@link #screen}: some pattern's necessary condition may hold, so {@link #scan} must decide. Without
     * it, {@link #scan} would find no candidate.
     */
    static final int MAY_MATCH = 1 << 29;
    /** Masks of a word's bytes for {@link #screen}, byte 0 lowest. */
    private static final long BOTTOM7 = 0x0080808080808080L;
    private static final long MIDDLE4 = 0x0000808080800000L;
    private static final long TOP7 = 0x8080808080808000L;

    private final String ruleName;
    private final Pattern pattern;

    ValuePattern(String ruleName, Pattern pattern) {
        this.ruleName = ruleName;
        this.pattern = pattern;
    }

    /** Name in the {@code redaction.rules} configuration and in the redaction counter's {@code rule} label. */
    public String ruleName() {
        return ruleName;
    }

    Pattern pattern() {
        return pattern;
    }

    /** This pattern's bit in {@link #candidates}. */
    int bit() {
        return 1 << ordinal();
    }

    /**
     * The bits ({@link #bit()}) of the patterns that could match {@code value}; 0, the common case, means no regex
     * needs to run. Each condition only has to be necessary, never sufficient: the regex (and {@link #accepts}) still
     * decide. Every condition is ASCII-driven, so the check runs on the UTF-8 bytes ({@link #candidates(byte[], int,
     * int)}): a decoded string is only checked on the decoding path, which few records take.
     */
    static int candidates(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return candidates(utf8, 0, utf8.length) & ~NON_ASCII;
    }

    /**
     * The bits of the patterns whose necessary condition holds in {@code utf8[from, to)}, plus {@link #NON_ASCII}
     * when a byte is 0x80 or above (whether the bytes are valid UTF-8 is left to the caller). Most texts are settled
     * by {@link #screen}, eight bytes a step; only the few it cannot clear go through {@link #scan}.
     */
    static int candidates(byte[] utf8, int from, int to) {
        int screened = screen(utf8, from, to);
        return (screened & MAY_MATCH) == 0 ? screened : scan(utf8, from, to);
    }

    /**
     * A coarser pre-filter than {@link #scan}: {@link #NON_ASCII} exactly as {@link #scan} sets it, and
     * {@link #MAY_MATCH} unless every pattern surely fails its condition. It reads a word (eight bytes) per step and
     * asks weaker questions, each implied by a condition of {@link #scan}:
     * <ul>
     * <li>email: an '@';</li>
     * <li>jwt: "eyJ" (checked where a 'J' is found);</li>
     * <li>bearer: "bearer" in any ASCII case and a {@code \s} character (checked where a 'b' or 'B' is found before
     * an 'e' or 'E', or at the top of a word);</li>
     * <li>aws: a whole word of [A-Z0-9] (a run of 20 such bytes always covers one);</li>
     * <li>card: a whole word of [0-9 -], or 13 digits among the top 7 bytes of one word and the bottom 7 of the next
     * (a run that covers no whole word lies across two words, so it has at most 14 bytes, all among those).</li>
     * </ul>
     */
    static int screen(byte[] utf8, int from, int to) {
        long any = 0;
        boolean rareMatch = false;
        long wholeClass = 0; // sign bit set once a test below holds
        long digitsBefore = 0; // the previous word's digits
        for (int at = from; at < to; at += Long.BYTES) {
            long word = Utf8Words.word(utf8, at, from, to);
            any |= word;
            long ascii7 = word & Utf8Words.LOW7;
            long folded = ascii7 | 0x2020202020202020L;
            // a 'b' counts only before an 'e', or as the top byte, whose next byte the check below reads
            long notBearerStart = Utf8Words.unequal(folded, 'b') | Utf8Words.unequal(folded, 'e') >>> Byte.SIZE;
            long rare = ~(word | Utf8Words.unequal(ascii7, '@') & Utf8Words.unequal(ascii7, 'J') & notBearerStart)
                    & Utf8Words.HIGH;
            if (rare != 0) {
                rareMatch |= rareCharacterMayStartAMatch(utf8, from, to, at, rare);
            }
            // Both classes lie within [ -Z]: a byte outside it among bytes 2 to 5, which every test below needs in
            // class, rules them all out, so most words of prose skip them
            if (((word | ~Utf8Words.within(ascii7, ' ', 'Z')) & MIDDLE4) != 0) {
                digitsBefore = 0;
                continue;
            }
            long digits = Utf8Words.within(ascii7, '0', '9');
            long notAws = (word | ~(digits | Utf8Words.within(ascii7, 'A', 'Z'))) & Utf8Words.HIGH;
            long notCard = (word | ~digits & Utf8Words.unequal(ascii7, ' ') & Utf8Words.unequal(ascii7, '-'))
                    & Utf8Words.HIGH;
            int digitsAcross = Long.bitCount(digitsBefore & TOP7) + Long.bitCount(digits & BOTTOM7);
            wholeClass |= allZero(notAws) | allZero(notCard) | CARD_MIN_DIGITS - 1 - digitsAcross;
            digitsBefore = digits;
        }
        return ((any & Utf8Words.HIGH) != 0 ? NON_ASCII : 0) | (rareMatch || wholeClass < 0 ? MAY_MATCH : 0);
    }

    /** Negative exactly when {@code bits} is zero, without a branch. */
    private static long allZero(long bits) {
        return (bits - 1) & ~bits;
    }

    /**
     * For the bytes of the word at {@code at} marked in {@code rare} ('@', 'J', 'b' or 'B'): whether one is an '@',
     * the 'J' of "eyJ", or the start of "bearer" (any ASCII case) and a {@code \s} character.
     */
    private static boolean rareCharacterMayStartAMatch(byte[] utf8, int from, int to, int at, long rare) {
        for (; rare != 0; rare &= rare - 1) {
            int p = at + (Long.numberOfTrailingZeros(rare) >>> 3);
            int c = utf8[p];
            if (c == '@'
                    || c == 'J' && p - from >= 2 && utf8[p - 1] == 'y' && utf8[p - 2] == 'e'
                    || (c | 0x20) == 'b' && to - p > BEARER.length() && startsBearer(utf8, p)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code utf8[p, p + 7)} is "bearer", ASCII case folded, and a {@code \s} character. */
    private static boolean startsBearer(byte[] utf8, int p) {
        for (int k = 1; k < BEARER.length(); k++) {
            if ((utf8[p + k] | 0x20) != BEARER.charAt(k)) {
                return false;
            }
        }
        return isRegexSpace(utf8[p + BEARER.length()]);
    }

    /**
     * One pass over UTF-8 bytes that evaluates every pattern's necessary condition at once, plus {@link #NON_ASCII}:
     * every condition is ASCII-driven, and each byte of a multi-byte character, like that character, is none of the
     * ASCII characters it looks for and resets every run. The bearer length condition counts bytes, at least as many
     * as characters, so it stays necessary.
     */
    static int scan(byte[] utf8, int from, int to) {
        int bearerMatched = 0;
        boolean bearer = false;
        int jwtState = 0;
        int jwtDots = 0;
        int awsRun = 0;
        boolean awsRunFromA = false;
        boolean aws = false;
        int cardDigits = 0; // digits since the run's first digit that can follow \b; 0: none yet
        boolean afterDigit = false;
        int previous = -1; // no character
        boolean card = false;
        boolean at = false;
        boolean email = false;
        boolean nonAscii = false;
        for (int i = from; i < to; i++) {
            int c = utf8[i]; // negative for the bytes of multi-byte characters: matches no ASCII test below
            nonAscii |= c < 0;
            if (bearerMatched == BEARER.length()) {
                bearer |= isRegexSpace(c);
                bearerMatched = 0;
            }
            int folded = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
            bearerMatched = folded == BEARER.charAt(bearerMatched) ? bearerMatched + 1 : folded == 'b' ? 1 : 0;
            if (jwtState == 3) {
                if (c == '.') {
                    jwtDots++;
                }
            } else {
                jwtState = c == "eyJ".charAt(jwtState) ? jwtState + 1 : c == 'e' ? 1 : 0;
            }
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                if (awsRun++ == 0) {
                    awsRunFromA = c == 'A';
                }
                aws |= awsRunFromA && awsRun >= AWS_KEY_LENGTH;
            } else {
                awsRun = 0;
            }
            if (c >= '0' && c <= '9') {
                cardDigits = cardDigits > 0 ? cardDigits + 1 : isWordChar(previous) ? 0 : 1;
                afterDigit = true;
            } else {
                if (afterDigit) {
                    card |= cardDigits >= CARD_MIN_DIGITS && !isWordChar(c);
                }
                if (!afterDigit || (c != ' ' && c != '-')) {
                    cardDigits = 0;
                }
                afterDigit = false;
            }
            previous = c;
            if (c == '@') {
                at = true;
            } else if (c == '.' && at) {
                email = true;
            }
        }
        card |= afterDigit && cardDigits >= CARD_MIN_DIGITS;
        return bits(bearer && to - from >= BEARER_MIN_LENGTH, jwtDots, aws, card, email) | (nonAscii ? NON_ASCII : 0);
    }

    /** Surely a word character to {@code \b} in every Java version ([A-Za-z0-9_]); anything else may not be. */
    private static boolean isWordChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** {@code \s} of a regex without UNICODE_CHARACTER_CLASS. */
    private static boolean isRegexSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static int bits(boolean bearer, int jwtDots, boolean aws, boolean card, boolean email) {
        int bits = 0;
        if (bearer) {
            bits |= BEARER_TOKEN.bit();
        }
        if (jwtDots >= JWT_MIN_DOTS) {
            bits |= JWT.bit();
        }
        if (aws) {
            bits |= AWS_ACCESS_KEY.bit();
        }
        if (card) {
            bits |= CREDIT_CARD.bit();
        }
        if (email) {
            bits |= EMAIL.bit();
        }
        return bits;
    }

    /** A second check on a regex match; only credit-card numbers need one. */
    boolean accepts(CharSequence match) {
        return true;
    }

    static boolean passesLuhn(CharSequence candidate) {
        int sum = 0;
        boolean doubled = false;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int digit = c - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }
}
