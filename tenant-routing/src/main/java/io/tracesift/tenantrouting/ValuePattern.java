package io.tracesift.tenantrouting;

import java.util.regex.Pattern;

/**
 * A kind of secret recognised inside attribute values, whatever the key. Each constant has a cheap pre-check so
 * the regular expression runs only on values that could contain it: most values on the hot path contain none.
 */
public enum ValuePattern {
    /** {@code Authorization: Bearer <token>} values; the token must contain a digit, so prose does not match. */
    BEARER_TOKEN("bearer-token", Pattern.compile("(?i)\\bbearer\\s+(?=[A-Za-z0-9._~+/-]*[0-9])[A-Za-z0-9._~+/-]{8,}=*")) {
        @Override
        boolean mightContain(String value) {
            // the regex is case-insensitive; these two cover "Bearer", "bearer" and "BEARER" via fast indexOf
            return value.length() >= 15 && (value.indexOf("earer") >= 0 || value.indexOf("EARER") >= 0);
        }
    },
    /** JSON Web Tokens: base64url header (always starting {@code eyJ}, i.e. '{"'), payload and signature. */
    JWT("jwt", Pattern.compile("\\beyJ[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]*")) {
        @Override
        boolean mightContain(String value) {
            return value.contains("eyJ");
        }
    },
    /** AWS access key ids (long-term AKIA, temporary ASIA and the other documented prefixes). */
    AWS_ACCESS_KEY("aws-access-key",
            Pattern.compile("\\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\\b")) {
        @Override
        boolean mightContain(String value) {
            int run = 0;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                run = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? run + 1 : 0;
                if (run == 20) {
                    return true;
                }
            }
            return false;
        }
    },
    /** 13 to 19 digits, optionally grouped by spaces or dashes, that pass the Luhn check (so most ids do not). */
    CREDIT_CARD("credit-card", Pattern.compile("\\b\\d(?:[ -]?\\d){12,18}\\b")) {
        @Override
        boolean mightContain(String value) {
            // a run of 13 digits where single spaces or dashes may separate digits, as the regex allows
            int digits = 0;
            boolean afterDigit = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c >= '0' && c <= '9') {
                    if (++digits == 13) {
                        return true;
                    }
                    afterDigit = true;
                } else if ((c == ' ' || c == '-') && afterDigit) {
                    afterDigit = false;
                } else {
                    digits = 0;
                    afterDigit = false;
                }
            }
            return false;
        }

        @Override
        boolean accepts(CharSequence match) {
            return passesLuhn(match);
        }
    },
    EMAIL("email", Pattern.compile("\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}\\b")) {
        @Override
        boolean mightContain(String value) {
            return value.indexOf('@') >= 0;
        }
    };

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

    abstract boolean mightContain(String value);

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
