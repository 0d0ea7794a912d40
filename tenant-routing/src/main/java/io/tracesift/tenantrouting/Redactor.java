package io.tracesift.tenantrouting;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracesift.config.ConfigSection;

import com.google.protobuf.CodedInputStream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Removes secrets from one {@link ResourceSpans} before anything is stored, emitted or logged.
 *
 * <p>Two kinds of rule. A <em>deny-listed key</em> ({@code deny-key} rule) has its whole value replaced, whatever
 * its type: a key is denied when, lower-cased, it equals a listed key or ends with "." and a listed key (so
 * {@code password} also covers {@code db.password}). A <em>value pattern</em> ({@link ValuePattern}) replaces just
 * the matching text inside any string value. Both apply to resource, scope, span, event and link attributes,
 * recursively inside arrays and key-value lists; value patterns also apply to span names, event names and status
 * messages, where exception text often lands. Replacements are the string {@value #REDACTED}.
 *
 * <p>The hot path allocates nothing for a message without secrets: {@link #redact} returns the very same message.
 * Cheaper still, {@link #mayRedact} answers from the encoded bytes whether redact() could change anything at all,
 * so a clean record need not be parsed.
 */
public final class Redactor {
    public static final String REDACTED = "[REDACTED]";
    /** Counter label of the deny-listed-key rule. */
    public static final String DENY_KEY_RULE = "deny-key";

    public static final List<String> DEFAULT_DENY_KEYS = List.of(
            "http.request.header.authorization", "authorization", "proxy-authorization", "cookie", "set-cookie",
            "password", "passwd", "db.connection_string", "api_key", "api-key", "apikey", "x-api-key",
            "secret", "client_secret", "access_token", "refresh_token");

    /** ExportTraceServiceRequest.resource_spans: field 1, length-delimited. */
    private static final int RESOURCE_SPANS_TAG = 1 << 3 | 2;
    private static final List<String> KEYS = List.of("enabled", "deny-keys", "extra-deny-keys", "rules");

    private final boolean enabled;
    private final DenyKeys denyKeys;
    private final ValuePattern[] patterns;
    /** {@link ValuePattern#bit()} of every pattern switched on. */
    private final int patternBits;
    private final RedactionScan scan;

    /** The outcome: the (possibly same) message and the number of replacements per rule name, zero counts omitted. */
    public record Result(ResourceSpans resourceSpans, Map<String, Integer> counts) {
        public boolean changed() {
            return !counts.isEmpty();
        }
    }

    public Redactor(boolean enabled, Set<String> denyKeys, Set<ValuePattern> patterns) {
        this.enabled = enabled;
        this.denyKeys = new DenyKeys(denyKeys);
        this.patterns = patterns.toArray(new ValuePattern[0]);
        Arrays.sort(this.patterns);
        this.patternBits = Arrays.stream(this.patterns).mapToInt(ValuePattern::bit).reduce(0, (a, b) -> a | b);
        // Disabled, the walk still answers true for malformed bytes and invalid UTF-8, with no rule to match.
        this.scan = enabled ? new RedactionScan(this.denyKeys, patternBits) : new RedactionScan(new DenyKeys(Set.of()), 0);
    }

    /** Default deny-list and every value pattern switched on. */
    public static Redactor defaults() {
        return new Redactor(true, Set.copyOf(DEFAULT_DENY_KEYS), EnumSet.allOf(ValuePattern.class));
    }

    /**
     * Built from the {@code redaction:} YAML section (null or empty: defaults):
     * {@code enabled}, {@code deny-keys} (replaces the default list), {@code extra-deny-keys} (added to it) and
     * {@code rules} (a map of value-pattern rule name to true/false, all true by default).
     */
    public static Redactor fromConfig(Map<String, Object> section, List<String> problems) {
        int before = problems.size();
        ConfigSection config = ConfigSection.of("redaction", section, problems);
        config.rejectUnknownKeys(KEYS);
        boolean enabled = config.bool("enabled", true);
        Set<String> denyKeys = new LinkedHashSet<>(config.texts("deny-keys", DEFAULT_DENY_KEYS));
        denyKeys.addAll(config.texts("extra-deny-keys", List.of()));
        if (denyKeys.stream().anyMatch(String::isBlank)) {
            config.problem("deny-keys", "must not contain an empty key");
        }
        ConfigSection rules = config.section("rules");
        Set<String> ruleNames = new LinkedHashSet<>();
        for (ValuePattern pattern : ValuePattern.values()) {
            ruleNames.add(pattern.ruleName());
        }
        rules.rejectUnknownKeys(ruleNames);
        Set<ValuePattern> patterns = EnumSet.noneOf(ValuePattern.class);
        for (ValuePattern pattern : ValuePattern.values()) {
            if (rules.bool(pattern.ruleName(), true)) {
                patterns.add(pattern);
            }
        }
        return problems.size() > before ? null : new Redactor(enabled, denyKeys, patterns);
    }

    /** Every rule name that can appear in {@link Result#counts()}, so counters can be registered up front. */
    public List<String> ruleNames() {
        List<String> names = new ArrayList<>();
        names.add(DENY_KEY_RULE);
        for (ValuePattern pattern : patterns) {
            names.add(pattern.ruleName());
        }
        return names;
    }

    /**
     * Whether {@link #redact} of the ResourceSpans encoded in {@code buf[offset, offset + length)} could change
     * anything, or the bytes could not be checked. False guarantees that
     * {@code redact(ResourceSpans.parseFrom(those bytes))} returns the same message with no counts, and that the parse
     * succeeds: malformed protobuf and invalid UTF-8 in any string field answer true, so the caller's fall-back parse
     * rejects the record. A disabled redactor still walks the bytes for that, with no rule to match.
     *
     * <p>One pass over the bytes, no allocation. True over-approximates for: a text that passes the patterns'
     * one-pass pre-filter ({@link ValuePattern}) but not their regex; an attribute key with a non-ASCII character
     * that is not ruled out by its last two characters (or ends in one); nesting deeper than 64 messages; protobuf
     * groups (legal, unused by OTLP).
     */
    public boolean mayRedact(byte[] buf, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buf.length);
        return scan.mayRedact(buf, offset, length);
    }

    /**
     * {@link #mayRedact} of every ResourceSpans of an encoded ExportTraceServiceRequest: whether redaction could
     * change any of them, or the bytes could not be read.
     */
    public boolean mayRedactRequest(byte[] request) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(request);
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                if (tag == RESOURCE_SPANS_TAG) {
                    int length = in.readRawVarint32();
                    if (mayRedact(request, in.getTotalBytesRead(), length)) {
                        return true;
                    }
                    in.skipRawBytes(length);
                } else if (!in.skipField(tag)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | IndexOutOfBoundsException e) {
            return true;
        }
    }

    public Result redact(ResourceSpans resourceSpans) {
        if (!enabled) {
            return new Result(resourceSpans, Map.of());
        }
        Counts counts = new Counts();
        Resource resource = resourceSpans.getResource();
        List<KeyValue> resourceAttributes = attributes(resource.getAttributesList(), counts);
        List<ScopeSpans> scopes = resourceSpans.getScopeSpansList();
        List<ScopeSpans> redactedScopes = null;
        for (int i = 0; i < scopes.size(); i++) {
            ScopeSpans scope = scopes.get(i);
            ScopeSpans redacted = scopeSpans(scope, counts);
            if (redacted != scope && redactedScopes == null) {
                redactedScopes = new ArrayList<>(scopes.subList(0, i));
            }
            if (redactedScopes != null) {
                redactedScopes.add(redacted);
            }
        }
        if (counts.isEmpty()) {
            return new Result(resourceSpans, Map.of());
        }
        ResourceSpans.Builder builder = resourceSpans.toBuilder();
        if (resourceAttributes != resource.getAttributesList()) {
            builder.setResource(resource.toBuilder().clearAttributes().addAllAttributes(resourceAttributes));
        }
        if (redactedScopes != null) {
            builder.clearScopeSpans().addAllScopeSpans(redactedScopes);
        }
        return new Result(builder.build(), counts.toMap());
    }

    private ScopeSpans scopeSpans(ScopeSpans scopeSpans, Counts counts) {
        InstrumentationScope scope = scopeSpans.getScope();
        List<KeyValue> scopeAttributes = attributes(scope.getAttributesList(), counts);
        List<Span> spans = scopeSpans.getSpansList();
        List<Span> redactedSpans = null;
        for (int i = 0; i < spans.size(); i++) {
            Span span = spans.get(i);
            Span redacted = span(span, counts);
            if (redacted != span && redactedSpans == null) {
                redactedSpans = new ArrayList<>(spans.subList(0, i));
            }
            if (redactedSpans != null) {
                redactedSpans.add(redacted);
            }
        }
        if (scopeAttributes == scope.getAttributesList() && redactedSpans == null) {
            return scopeSpans;
        }
        ScopeSpans.Builder builder = scopeSpans.toBuilder();
        if (scopeAttributes != scope.getAttributesList()) {
            builder.setScope(scope.toBuilder().clearAttributes().addAllAttributes(scopeAttributes));
        }
        if (redactedSpans != null) {
            builder.clearSpans().addAllSpans(redactedSpans);
        }
        return builder.build();
    }

    private Span span(Span span, Counts counts) {
        String name = text(span.getName(), counts);
        List<KeyValue> attributes = attributes(span.getAttributesList(), counts);
        String statusMessage = text(span.getStatus().getMessage(), counts);
        List<Span.Event> events = span.getEventsList();
        List<Span.Event> redactedEvents = null;
        for (int i = 0; i < events.size(); i++) {
            Span.Event event = events.get(i);
            String eventName = text(event.getName(), counts);
            List<KeyValue> eventAttributes = attributes(event.getAttributesList(), counts);
            boolean changed = eventName != event.getName() || eventAttributes != event.getAttributesList();
            if (changed && redactedEvents == null) {
                redactedEvents = new ArrayList<>(events.subList(0, i));
            }
            if (redactedEvents != null) {
                redactedEvents.add(changed
                        ? event.toBuilder().setName(eventName).clearAttributes().addAllAttributes(eventAttributes).build()
                        : event);
            }
        }
        List<Span.Link> links = span.getLinksList();
        List<Span.Link> redactedLinks = null;
        for (int i = 0; i < links.size(); i++) {
            Span.Link link = links.get(i);
            List<KeyValue> linkAttributes = attributes(link.getAttributesList(), counts);
            if (linkAttributes != link.getAttributesList() && redactedLinks == null) {
                redactedLinks = new ArrayList<>(links.subList(0, i));
            }
            if (redactedLinks != null) {
                redactedLinks.add(linkAttributes == link.getAttributesList()
                        ? link
                        : link.toBuilder().clearAttributes().addAllAttributes(linkAttributes).build());
            }
        }
        if (name == span.getName() && attributes == span.getAttributesList() && statusMessage == span.getStatus().getMessage()
                && redactedEvents == null && redactedLinks == null) {
            return span;
        }
        Span.Builder builder = span.toBuilder().setName(name);
        if (attributes != span.getAttributesList()) {
            builder.clearAttributes().addAllAttributes(attributes);
        }
        if (statusMessage != span.getStatus().getMessage()) {
            builder.setStatus(Status.newBuilder(span.getStatus()).setMessage(statusMessage));
        }
        if (redactedEvents != null) {
            builder.clearEvents().addAllEvents(redactedEvents);
        }
        if (redactedLinks != null) {
            builder.clearLinks().addAllLinks(redactedLinks);
        }
        return builder.build();
    }

    /** Returns {@code attributes} itself when nothing was redacted. */
    private List<KeyValue> attributes(List<KeyValue> attributes, Counts counts) {
        List<KeyValue> redacted = null;
        for (int i = 0; i < attributes.size(); i++) {
            KeyValue attribute = attributes.get(i);
            KeyValue result = keyValue(attribute, counts);
            if (result != attribute && redacted == null) {
                redacted = new ArrayList<>(attributes.subList(0, i));
            }
            if (redacted != null) {
                redacted.add(result);
            }
        }
        return redacted == null ? attributes : Collections.unmodifiableList(redacted);
    }

    private KeyValue keyValue(KeyValue attribute, Counts counts) {
        if (denyKeys.denies(attribute.getKey())) {
            counts.add(DENY_KEY_RULE, 1);
            return KeyValue.newBuilder().setKey(attribute.getKey()).setValue(AnyValue.newBuilder().setStringValue(REDACTED)).build();
        }
        AnyValue value = value(attribute.getValue(), counts);
        return value == attribute.getValue() ? attribute : attribute.toBuilder().setValue(value).build();
    }

    private AnyValue value(AnyValue value, Counts counts) {
        switch (value.getValueCase()) {
            case STRING_VALUE -> {
                String text = text(value.getStringValue(), counts);
                return text == value.getStringValue() ? value : AnyValue.newBuilder().setStringValue(text).build();
            }
            case ARRAY_VALUE -> {
                List<AnyValue> items = value.getArrayValue().getValuesList();
                List<AnyValue> redacted = null;
                for (int i = 0; i < items.size(); i++) {
                    AnyValue item = items.get(i);
                    AnyValue result = value(item, counts);
                    if (result != item && redacted == null) {
                        redacted = new ArrayList<>(items.subList(0, i));
                    }
                    if (redacted != null) {
                        redacted.add(result);
                    }
                }
                return redacted == null ? value
                        : AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addAllValues(redacted)).build();
            }
            case KVLIST_VALUE -> {
                List<KeyValue> entries = value.getKvlistValue().getValuesList();
                List<KeyValue> redacted = attributes(entries, counts);
                return redacted == entries ? value
                        : AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addAllValues(redacted)).build();
            }
            default -> {
                return value;
            }
        }
    }

    /** Returns {@code text} itself when no pattern matched. */
    private String text(String text, Counts counts) {
        int candidates = ValuePattern.candidates(text) & patternBits;
        if (candidates == 0) {
            return text;
        }
        String current = text;
        for (ValuePattern pattern : patterns) {
            if ((candidates & pattern.bit()) == 0) {
                continue;
            }
            Matcher matcher = pattern.pattern().matcher(current);
            StringBuilder out = null;
            int last = 0;
            int replaced = 0;
            while (matcher.find()) {
                if (!pattern.accepts(current.subSequence(matcher.start(), matcher.end()))) {
                    continue;
                }
                if (out == null) {
                    out = new StringBuilder(current.length());
                }
                out.append(current, last, matcher.start()).append(REDACTED);
                last = matcher.end();
                replaced++;
            }
            if (out != null) {
                current = out.append(current, last, current.length()).toString();
                counts.add(pattern.ruleName(), replaced);
                // rare path: judge the later patterns on the text they will actually see
                candidates = ValuePattern.candidates(current) & patternBits;
            }
        }
        return current;
    }

    /** Replacements per rule within one call; allocated per call, touched only when something is redacted. */
    private static final class Counts {
        private Map<String, Integer> byRule;

        void add(String rule, int count) {
            if (byRule == null) {
                byRule = new LinkedHashMap<>();
            }
            byRule.merge(rule, count, Integer::sum);
        }

        boolean isEmpty() {
            return byRule == null;
        }

        Map<String, Integer> toMap() {
            return Map.copyOf(byRule);
        }
    }
}
