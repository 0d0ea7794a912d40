package io.tracesift.tenantrouting;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DenyKeysTest {
    private static final Set<String> LISTED = Set.of("password", "api_key", "db.connection_string", "Set-Cookie", "k");

    @ParameterizedTest
    @CsvSource({
            "password, true", "PassWord, true", "db.password, true", "a.b.PASSWORD, true", "password_policy, false",
            "mypassword, false", "password., false", ".password, true", "db.connection_string, true",
            "x.db.connection_string, true", "connection_string, false", "set-cookie, true", "http.set-cookie, true",
            "k, true", "a.k, true", "ak, false", "'', false", "passwor, false", "\u212A, true", "PASSWORD\u0131, false"})
    void deniesListedKeysAndDotSuffixesIgnoringCase(String key, boolean denied) {
        assertThat(new DenyKeys(LISTED).denies(key)).isEqualTo(denied);
    }

    /** The hash lookup agrees with the plain definition on generated keys, including case and Unicode folds. */
    @Test
    void agreesWithTheDefinitionOnGeneratedKeys() {
        DenyKeys denyKeys = new DenyKeys(LISTED);
        String[] pieces = {"password", "PASSWORD", "pass", "word", "api_key", "API_KEY", "db", "connection_string",
                "set-cookie", "SET-COOKIE", ".", "..", "k", "K", "\u212A", "\u0131", "x", "_", "-"};
        Random random = new Random(3);
        int denied = 0;
        for (int i = 0; i < 2_000; i++) {
            StringBuilder key = new StringBuilder();
            for (int p = 1 + random.nextInt(4); p > 0; p--) {
                key.append(pieces[random.nextInt(pieces.length)]);
            }
            boolean expected = byDefinition(key.toString());
            denied += expected ? 1 : 0;
            assertThat(denyKeys.denies(key.toString())).as(key.toString()).isEqualTo(expected);
            assertMayDenyAgrees(denyKeys, key.toString(), expected);
        }
        assertThat(denied).as("the generator produces denied keys").isGreaterThan(100);
    }

    /** Common attribute names (ruled out by their last two characters, mostly) and the default list's keys. */
    @Test
    void agreesWithTheDefinitionForTheDefaultListOnCommonKeys() {
        Set<String> defaults = Set.copyOf(Redactor.DEFAULT_DENY_KEYS);
        DenyKeys denyKeys = new DenyKeys(defaults);
        String[] pieces = {"http.", "request.", "header.", "method", "status_code", "route", "db.", "statement",
                "service.name", "net.peer.port", "thread.id", "messaging.destination", "cache.key", "token", "Cookie",
                "AUTHORIZATION", "api-key", "x-api-key", "passwd", "secret", "client_", "refresh_", "access_", "."};
        Random random = new Random(5);
        int denied = 0;
        for (int i = 0; i < 5_000; i++) {
            StringBuilder key = new StringBuilder();
            for (int p = 1 + random.nextInt(3); p > 0; p--) {
                key.append(pieces[random.nextInt(pieces.length)]);
            }
            boolean expected = byDefinition(key.toString(), defaults);
            denied += expected ? 1 : 0;
            assertThat(denyKeys.denies(key.toString())).as(key.toString()).isEqualTo(expected);
            assertMayDenyAgrees(denyKeys, key.toString(), expected);
        }
        assertThat(denied).as("the generator produces denied keys").isGreaterThan(300);
    }

    @ParameterizedTest
    @CsvSource({
            "password, true", "PassWord, true", "db.password, true", "password_policy, false", "'', false", "k, true",
            "a.k, true", "ak, false", "\u212A, true", "db.pa\u017Fsword, true", "d\u00E9.password, true",
            "pa\u017Fsword_policy, false", "\u00E9k, true", "PASSWORD\u0131, true"})
    void mayDenyOnUtf8IsExactForAsciiKeysAndConservativeOtherwise(String key, boolean mayDeny) {
        DenyKeys denyKeys = new DenyKeys(LISTED);
        byte[] utf8 = ("x" + key + "\u00E9").getBytes(StandardCharsets.UTF_8); // a range inside a larger buffer
        assertThat(denyKeys.mayDeny(utf8, 1, utf8.length - 2)).isEqualTo(mayDeny);
        assertMayDenyAgrees(denyKeys, key, denyKeys.denies(key));
    }

    /** On UTF-8 bytes: the same answer for an ASCII key, and never false where the key is denied. */
    private static void assertMayDenyAgrees(DenyKeys denyKeys, String key, boolean denied) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        boolean mayDeny = denyKeys.mayDeny(utf8, 0, utf8.length);
        if (key.chars().allMatch(c -> c < 0x80)) {
            assertThat(mayDeny).as("ASCII key %s", key).isEqualTo(denied);
        } else if (denied) {
            assertThat(mayDeny).as("denied key %s", key).isTrue();
        }
    }

    private static boolean byDefinition(String key) {
        return byDefinition(key, LISTED);
    }

    private static boolean byDefinition(String key, Set<String> list) {
        for (String listed : list) {
            String lowered = listed.toLowerCase(Locale.ROOT);
            int start = key.length() - lowered.length();
            if (start >= 0 && (start == 0 || key.charAt(start - 1) == '.')
                    && key.regionMatches(true, start, lowered, 0, lowered.length())) {
                return true;
            }
        }
        return false;
    }
}
