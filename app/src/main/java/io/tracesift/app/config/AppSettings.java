package io.tracesift.app.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The app's own top-level settings and the Kafka pass-through properties.
 *
 * @param bootstrapServers comma-separated HOST:PORT list
 * @param applicationId    Kafka Streams application id (also the prefix of its internal topics)
 * @param stateDir         Kafka Streams state directory
 * @param httpPort         port of the HTTP server; 0 picks a free one
 * @param kafkaProperties  the {@code kafka:} section (plus {@code bootstrap.servers}) as strings, given
 *                         unchanged to every Kafka client and to Kafka Streams
 */
public record AppSettings(String bootstrapServers, String applicationId, Path stateDir, int httpPort,
                          Map<String, String> kafkaProperties) {

    public static final String BOOTSTRAP_SERVERS = "bootstrap-servers";
    public static final String APPLICATION_ID = "application-id";
    public static final String STATE_DIR = "state-dir";
    public static final String HTTP_PORT = "http-port";
    public static final String KAFKA = "kafka";

    static final List<String> SCALAR_KEYS = List.of(BOOTSTRAP_SERVERS, APPLICATION_ID, STATE_DIR, HTTP_PORT);
    static final Set<String> KEYS = Set.of(BOOTSTRAP_SERVERS, APPLICATION_ID, STATE_DIR, HTTP_PORT, KAFKA);

    public static final String DEFAULT_APPLICATION_ID = "tracesift";
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String DEFAULT_STATE_DIR = ".tracesift/state";

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+):(\\d{1,5})");
    // Streams prefixes its internal topics with the application id, so it must be a legal topic name part.
    private static final Pattern APPLICATION_ID_CHARS = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    /** Kafka properties that have a dedicated tracesift setting, which must be used instead. */
    private static final Map<String, String> DEDICATED = Map.of(
            "application.id", APPLICATION_ID,
            "state.dir", STATE_DIR);

    public AppSettings {
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    static Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put(APPLICATION_ID, DEFAULT_APPLICATION_ID);
        defaults.put(HTTP_PORT, DEFAULT_HTTP_PORT);
        defaults.put(STATE_DIR, DEFAULT_STATE_DIR);
        return defaults;
    }

    /**
     * Validates the app's settings in the merged configuration, appending each problem as
     * "key: what is wrong (where it came from); what is valid". Returns null if there was any.
     */
    public static AppSettings fromConfig(TracesiftConfig config, List<String> problems) {
        int before = problems.size();
        Map<String, Object> root = config.root();

        Map<String, String> kafka = kafkaProperties(config, problems);

        Object bootstrapValue = root.get(BOOTSTRAP_SERVERS);
        String bootstrapOrigin = config.origin(BOOTSTRAP_SERVERS);
        if (bootstrapValue == null && kafka.containsKey("bootstrap.servers")) {
            bootstrapValue = kafka.get("bootstrap.servers");
            bootstrapOrigin = config.origin(KAFKA + ".bootstrap.servers");
        }
        String bootstrap = bootstrapServers(bootstrapValue, bootstrapOrigin, problems);
        if (bootstrap != null) {
            kafka.put("bootstrap.servers", bootstrap);
        }

        String applicationId = text(root.get(APPLICATION_ID));
        if (applicationId == null || !APPLICATION_ID_CHARS.matcher(applicationId).matches()) {
            problems.add(APPLICATION_ID + ": " + shown(root.get(APPLICATION_ID)) + " (" + config.origin(APPLICATION_ID)
                    + ") is not a valid application id; use 1-200 characters from A-Z a-z 0-9 . _ -");
        }

        String stateDir = text(root.get(STATE_DIR));
        if (stateDir == null || stateDir.isBlank()) {
            problems.add(STATE_DIR + ": " + shown(root.get(STATE_DIR)) + " (" + config.origin(STATE_DIR)
                    + ") is not a directory path; give a writable directory, e.g. ./.tracesift/state");
        }

        Integer httpPort = port(root.get(HTTP_PORT));
        if (httpPort == null) {
            problems.add(HTTP_PORT + ": " + shown(root.get(HTTP_PORT)) + " (" + config.origin(HTTP_PORT)
                    + ") is not a port number; use an integer from 0 to 65535 (0 picks a free port)");
        }

        if (problems.size() > before) {
            return null;
        }
        return new AppSettings(bootstrap, applicationId, Path.of(stateDir), httpPort, kafka);
    }

    private static Map<String, String> kafkaProperties(TracesiftConfig config, List<String> problems) {
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, Object> section = config.section(KAFKA);
        if (section == null) {
            return properties;
        }
        section.forEach((name, value) -> {
            String setting = KAFKA + "." + name;
            String origin = config.origin(setting);
            if (DEDICATED.containsKey(name)) {
                String dedicated = DEDICATED.get(name);
                problems.add(setting + " (" + origin + "): set '" + dedicated + "' (option --" + dedicated + ", env TRACESIFT_"
                        + dedicated.toUpperCase(Locale.ROOT).replace('-', '_') + ") instead");
            } else if (value instanceof List<?> list && list.stream().allMatch(AppSettings::scalar)) {
                properties.put(name, String.join(",", list.stream().map(String::valueOf).toList()));
            } else if (scalar(value)) {
                properties.put(name, String.valueOf(value));
            } else {
                problems.add(setting + " (" + origin + "): " + (value == null ? "has no value" : "is a nested mapping")
                        + "; give the Kafka property's value as text, a number or true/false"
                        + " (write the full dotted name, e.g. ssl.truststore.location)");
            }
        });
        return properties;
    }

    private static String bootstrapServers(Object value, String origin, List<String> problems) {
        String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : text(value);
        if (text == null || text.isBlank()) {
            problems.add(BOOTSTRAP_SERVERS + ": missing; give the Kafka cluster as HOST:PORT[,HOST:PORT...] with"
                    + " --bootstrap-servers, TRACESIFT_BOOTSTRAP_SERVERS or 'bootstrap-servers:' in the configuration file");
            return null;
        }
        List<String> bad = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            var matcher = HOST_PORT.matcher(part.trim());
            if (!matcher.matches() || Integer.parseInt(matcher.group(2)) < 1 || Integer.parseInt(matcher.group(2)) > 65535) {
                bad.add("'" + part.trim() + "'");
            }
        }
        if (!bad.isEmpty()) {
            problems.add(BOOTSTRAP_SERVERS + ": " + String.join(", ", bad) + " (" + origin + ") is not HOST:PORT;"
                    + " give one or more HOST:PORT separated by commas, e.g. 127.0.0.1:9092");
            return null;
        }
        return text.replace(" ", "");
    }

    private static Integer port(Object value) {
        long port;
        if (value instanceof Integer || value instanceof Long) {
            port = ((Number) value).longValue();
        } else if (value instanceof String s && s.trim().matches("\\d{1,6}")) {
            port = Long.parseLong(s.trim());
        } else {
            return null;
        }
        return port >= 0 && port <= 65535 ? (int) port : null;
    }

    private static boolean scalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    private static String text(Object value) {
        return scalar(value) ? String.valueOf(value) : null;
    }

    private static String shown(Object value) {
        return value == null ? "no value" : "'" + value + "'";
    }
}
