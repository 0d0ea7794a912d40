package io.tracesift.tenantrouting;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one-pass pre-filter ({@link ValuePattern#candidates}) must never rule out a value its regex would redact. */
class ValuePatternCandidatesTest {

    /** Per rule: pieces that build secrets and the values that nearly are one (wrong case, short runs, one char off). */
    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of(ValuePattern.BEARER_TOKEN, new String[] {
                        "bearer", "Bearer", "BEARER", "BeArEr", "bEaReR", "beare", "bbearer", "earer", "b",
                        " ", "\t", "\n", "\u000B", "\f", "\r", "  ", ":", "=", "==",
                        "abc12345", "abcdefgh", "a1", "9f8e7d6c5b4a", "a.b-c~1/+x", "_", "é", "x"}),
                Arguments.of(ValuePattern.JWT, new String[] {
                        "eyJ", "eYJ", "eyj", "ey", "e", "J", ".", "..", "hbGci", "OiJIUzI1", "_-", "ab", "a", " ", "=", "x."}),
                Arguments.of(ValuePattern.AWS_ACCESS_KEY, new String[] {
                        "AKIA", "ASIA", "A3TX", "ANVA", "AKI", "akia", "BKIA", "A", "IOSFODNN", "7EXAMPLE", "Z9",
                        "1234", "XYZ", " ", "_", "-", "x", "9"}),
                Arguments.of(ValuePattern.CREDIT_CARD, new String[] {
                        "4111", "1111", "0005", "3782", "82246310", "5", "0", "9", " ", "-", "  ", "--", "_", "x", "a1",
                        "4111111111111111", "378282246310005", "é", "b", "Z", ".", "/"}),
                Arguments.of(ValuePattern.EMAIL, new String[] {
                        "jane", "j.doe", "a+b", "%", "@", "@@", "example", "mail", ".", "..", "com", "co", "uk", "c",
                        "-", " ", "localhost", "_"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void neverRulesOutAValueTheRegexWouldRedact(ValuePattern pattern, String[] pieces) {
        Random random = new Random(7 + pattern.ordinal());
        int matches = 0;
        int nearMisses = 0;
        for (int i = 0; i < 600; i++) {
            String text = nearMiss(secret(pattern, random), pieces, random);
            boolean matched = pattern.pattern().matcher(text).results().anyMatch(m -> pattern.accepts(m.group()));
            if (matched) {
                matches++;
                assertThat(ValuePattern.candidates(text) & pattern.bit()).as("ruled out: %s", text).isNotZero();
            } else {
                nearMisses++;
            }
        }
        assertThat(matches).as("the generator produces matches").isGreaterThan(30);
        assertThat(nearMisses).as("and near misses").isGreaterThan(30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void generatedSecretsAreAlwaysCandidates(ValuePattern pattern, String[] unused) {
        Random random = new Random(11 + pattern.ordinal());
        for (int i = 0; i < 300; i++) {
            String secret = secret(pattern, random);
            String text = "x " + secret + " y";
            assertThat(pattern.pattern().matcher(text).results().anyMatch(m -> pattern.accepts(m.group())))
                    .as("fixture is a secret: %s", secret).isTrue();
            assertThat(ValuePattern.candidates(text) & pattern.bit()).as("ruled out: %s", text).isNotZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /api/v1/cart/items", "SELECT * FROM carts WHERE id = ?", "checkout-7d9f8b-x2k4q",
            "io.opentelemetry.okhttp-3.0", "0af7651916cd43dd8448eb211c80319c", "2026-11-26T02:58:15.123Z",
            "java.lang.IllegalStateException: cart is empty", "http://checkout:8080/cart?id=42"})
    void commonValuesAreRuledOutForEveryPattern(String value) {
        assertThat(ValuePattern.candidates(value)).isZero();
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        assertThat(ValuePattern.candidates(utf8, 0, utf8.length)).isZero();
    }

    /** Ids are everywhere in telemetry: their digit runs sit between letters, so {@code \b} rules almost all of them out. */
    @Test
    void randomHexIdsAndUuidsAreRarelyCandidates() {
        Random random = new Random(17);
        int samples = 20_000;
        int uuids = 0;
        int hexIds = 0;
        for (int i = 0; i < samples; i++) {
            uuids += ValuePattern.candidates(new UUID(random.nextLong(), random.nextLong()).toString()) != 0 ? 1 : 0;
            String hex = Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
            hexIds += ValuePattern.candidates(hex) != 0 || ValuePattern.candidates(hex.substring(0, 16)) != 0 ? 1 : 0;
        }
        // a plain 13-digit run count flags about 2 % of UUIDs and 2 % of 32-digit hex ids
        assertThat(uuids).isLessThan(samples / 200);
        assertThat(hexIds).isLessThan(samples / 200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a1234567890123b", "x4111111111111111", "4111111111111111_", "4111-1111-1111-1111z",
            "order-ab12-3456-7890-1234-56cd"})
    void digitRunsWithoutAWordBoundaryAreRuledOut(String value) {
        assertThat(ValuePattern.candidates(value)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111111111111111", "a 4111111111111111.", "x-4111 1111 1111 1111-y", "é4111111111111111é",
            "ab1-4111111111111111"})
    void digitRunsBetweenPossibleBoundariesAreCandidates(String value) {
        assertThat(ValuePattern.candidates(value)).isEqualTo(ValuePattern.CREDIT_CARD.bit());
    }

    @Test
    void eachRuleHasItsOwnBit() {
        Map<ValuePattern, String> secrets = Map.of(
                ValuePattern.BEARER_TOKEN, "BeArEr abcdefg1",
                ValuePattern.JWT, "eyJab.cd.",
                ValuePattern.AWS_ACCESS_KEY, "AKIAIOSFODNN7EXAMPLE",
                ValuePattern.CREDIT_CARD, "4111 1111 1111 1",
                ValuePattern.EMAIL, "a@b.cd");
        secrets.forEach((pattern, secret) -> assertThat(ValuePattern.candidates(secret)).as(secret).isEqualTo(pattern.bit()));
    }

    /**
     * A range inside a larger buffer gives the bits of the string alone (the String version encodes it first), on
     * secrets, near misses and non-ASCII text, plus the non-ASCII flag.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void theUtf8VersionAgreesWithTheStringVersion(ValuePattern pattern, String[] pieces) {
        String[] withNonAscii = withNonAscii(pieces);
        Random random = new Random(13 + pattern.ordinal());
        int candidates = 0;
        for (int i = 0; i < 600; i++) {
            StringBuilder edited = new StringBuilder(nearMiss(secret(pattern, random), withNonAscii, random));
            if (random.nextBoolean()) {
                edited.insert(random.nextInt(edited.length() + 1), "\uD83D\uDE00"); // whole: the edits could split it
            }
            String text = edited.toString();
            byte[] utf8 = ("\u00FF" + text + "x").getBytes(StandardCharsets.UTF_8); // a range inside a larger buffer
            int bits = ValuePattern.candidates(utf8, 2, utf8.length - 1);
            assertThat(bits & ~ValuePattern.NON_ASCII).as(text).isEqualTo(ValuePattern.candidates(text));
            assertThat((bits & ValuePattern.NON_ASCII) != 0).as(text).isEqualTo(text.chars().anyMatch(c -> c >= 0x80));
            candidates += (bits & pattern.bit()) != 0 ? 1 : 0;
        }
        assertThat(candidates).as("both outcomes occur").isBetween(30, 570);
    }

    /**
     * The word-at-a-time screen is only a pre-filter: where it clears a text, the full scan must find no candidate
     * either (and agree on non-ASCII). Near misses of every rule, shifted so they straddle word boundaries, placed
     * inside a larger buffer.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void theScreenClearsOnlyTextsTheScanClears(ValuePattern pattern, String[] pieces) {
        String[] withNonAscii = withNonAscii(pieces);
        Random random = new Random(19 + pattern.ordinal());
        int cleared = 0;
        int flagged = 0;
        for (int i = 0; i < 2000; i++) {
            String text = "x".repeat(random.nextInt(16)) + nearMiss(secret(pattern, random), withNonAscii, random);
            if (random.nextBoolean()) {
                text = text.substring(0, random.nextInt(text.length() + 1));
            }
            int screened = screenAgainstScan(text, random);
            cleared += (screened & ValuePattern.MAY_MATCH) == 0 ? 1 : 0;
            flagged += (screened & ValuePattern.MAY_MATCH) != 0 ? 1 : 0;
        }
        assertThat(cleared).as("the screen clears some near misses").isGreaterThan(100);
        assertThat(flagged).as("and passes others on").isGreaterThan(100);
    }

    /** Random short texts over the characters the patterns look for, ASCII and not. */
    @Test
    void theScreenClearsOnlyRandomTextsTheScanClears() {
        String alphabet = "aAbBeEyYJjrR0123456789  --..@_/+=\tx\u00e9\u212A";
        Random random = new Random(23);
        int cleared = 0;
        for (int i = 0; i < 50_000; i++) {
            String text = random(random, alphabet, random.nextInt(40));
            cleared += (screenAgainstScan(text, random) & ValuePattern.MAY_MATCH) == 0 ? 1 : 0;
        }
        assertThat(cleared).as("both outcomes occur").isBetween(1000, 49_000);
    }

    /**
     * The shortest text each condition of the scan flags (one character less and it does not), at every alignment to
     * the screen's eight-byte words.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1234567890123", "123456-7890123", "1234567 890123", "1-2-3-4-5-6-7-8-9-0-1-2-3",
            "1234 5678 9012 3", "AKIAIOSFODNN7EXAMPLE", "########bearer\t", "eyJ#.#.", "@."})
    void theScreenPassesOnTheShortestCandidatesAtEveryAlignment(String candidate) {
        // '#' lies in [ -Z], so the screen tests the words around the candidate; '~' does not, so it skips them
        for (char filler : new char[] {'#', '~'}) {
            for (int before = 0; before < 16; before++) {
                for (int after = 0; after < 3; after++) {
                    String text = String.valueOf(filler).repeat(before) + candidate + String.valueOf(filler).repeat(after);
                    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                    assertThat(ValuePattern.scan(utf8, 0, utf8.length)).as(text).isNotZero();
                    assertThat(ValuePattern.screen(utf8, 0, utf8.length) & ValuePattern.MAY_MATCH).as(text).isNotZero();
                    int first = before;
                    while (text.charAt(first) == '#') {
                        first++;
                    }
                    String shorter = text.substring(0, first) + text.substring(first + 1);
                    utf8 = shorter.getBytes(StandardCharsets.UTF_8);
                    assertThat(ValuePattern.scan(utf8, 0, utf8.length)).as("one character short: %s", shorter).isZero();
                }
            }
        }
    }

    /** Asserts that the screen is a necessary condition of the scan on {@code text}; returns the screen's flags. */
    private static int screenAgainstScan(String text, Random random) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int offset = random.nextInt(9);
        byte[] framed = new byte[offset + utf8.length + random.nextInt(9)];
        Arrays.fill(framed, (byte) 'A'); // letters and digits around the text would extend its runs if read
        System.arraycopy(utf8, 0, framed, offset, utf8.length);
        int screened = ValuePattern.screen(framed, offset, offset + utf8.length);
        int scanned = ValuePattern.scan(framed, offset, offset + utf8.length);
        if ((screened & ValuePattern.MAY_MATCH) == 0) {
            assertThat(scanned & ~ValuePattern.NON_ASCII).as("cleared by the screen: %s", text).isZero();
        }
        assertThat(screened & ValuePattern.NON_ASCII).as(text).isEqualTo(scanned & ValuePattern.NON_ASCII);
        assertThat(ValuePattern.candidates(framed, offset, offset + utf8.length)).as(text).isEqualTo(scanned);
        return screened;
    }

    private static String[] withNonAscii(String[] pieces) {
        String[] nonAscii = {"é", "日本", "\u212A", "\u00A0", "\u2028", "ß"};
        String[] all = Arrays.copyOf(pieces, pieces.length + nonAscii.length);
        System.arraycopy(nonAscii, 0, all, pieces.length, nonAscii.length);
        return all;
    }

    /** The secret with zero to three random edits (delete, replace, insert a piece, flip case), space or pieces around it. */
    private static String nearMiss(String secret, String[] pieces, Random random) {
        StringBuilder value = new StringBuilder(secret);
        for (int edits = random.nextInt(4); edits > 0 && value.length() > 0; edits--) {
            int at = random.nextInt(value.length());
            String piece = pieces[random.nextInt(pieces.length)];
            switch (random.nextInt(4)) {
                case 0 -> value.deleteCharAt(at);
                case 1 -> value.setCharAt(at, piece.charAt(0));
                case 2 -> value.insert(at, piece);
                default -> {
                    char c = value.charAt(at);
                    value.setCharAt(at, Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
                }
            }
        }
        String before = random.nextBoolean() ? " " : pieces[random.nextInt(pieces.length)];
        String after = random.nextBoolean() ? " " : pieces[random.nextInt(pieces.length)];
        return before + value + after;
    }

    /** A random value the pattern matches (and, for cards, that passes Luhn). */
    private static String secret(ValuePattern pattern, Random random) {
        String upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        String base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        return switch (pattern) {
            case BEARER_TOKEN -> {
                StringBuilder word = new StringBuilder();
                for (char c : "bearer".toCharArray()) {
                    word.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
                }
                yield word + " \t\n\u000B\f\r".substring(0, 1 + random.nextInt(6)) + random(random, base64url, 7 + random.nextInt(20))
                        + random.nextInt(10);
            }
            case JWT -> "eyJ" + random(random, base64url, 2 + random.nextInt(30)) + "." + random(random, base64url, 2 + random.nextInt(30))
                    + "." + random(random, base64url, random.nextInt(30));
            case AWS_ACCESS_KEY -> new String[] {"AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA",
                    "A3T" + random(random, upper, 1)}[random.nextInt(11)] + random(random, upper, 16);
            case CREDIT_CARD -> card(random);
            case EMAIL -> random(random, "abcxyz09._%+-", 1 + random.nextInt(10)) + "a@" + random(random, "abc-09", 1 + random.nextInt(8))
                    + "x." + random(random, "comuk", 2 + random.nextInt(3));
        };
    }

    private static String card(Random random) {
        int length = 13 + random.nextInt(7);
        int[] digits = new int[length];
        for (int i = 0; i < length - 1; i++) {
            digits[i] = random.nextInt(10);
        }
        for (int check = 0; check < 10; check++) {
            digits[length - 1] = check;
            StringBuilder number = new StringBuilder();
            for (int i = 0; i < length; i++) {
                if (i > 0 && random.nextInt(4) == 0) {
                    number.append(random.nextBoolean() ? ' ' : '-');
                }
                number.append(digits[i]);
            }
            if (ValuePattern.passesLuhn(number)) {
                return number.toString();
            }
        }
        throw new AssertionError("some check digit passes Luhn");
    }

    private static String random(Random random, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
