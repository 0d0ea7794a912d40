package io.tracesift.app.config;

import io.tracesift.config.ClosestName;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The merged configuration: defaults, then the YAML file, then {@code TRACESIFT_*} environment
 * variables, then command-line options (each later layer wins). Each module parses its own
 * section of {@link #root()} with its {@code fromConfig(section, problems)}; problems found while
 * merging (unknown keys, mistyped variables) are in {@link #problems()} so that the caller can
 * report them together with the modules' own.
 */
public final class TracesiftConfig {

    public static final String CONFIG_ENV = "TRACESIFT_CONFIG";
    public static final String KAFKA_ENV_PREFIX = "TRACESIFT_KAFKA_";
    private static final String ENV_PREFIX = "TRACESIFT_";

    /** Top-level sections parsed by other modules (each by its own {@code fromConfig}). */
    static final List<String> MODULE_SECTIONS = List.of(
            "topics", "input", "assembly", "output",   // topology
            "tenancy", "redaction", "flags",           // tenant-routing
            "sampling",                                // sampling
            "metrics",                                 // aggregation
            "query",                                   // query
            "generator", "gateway");                   // workload

    private final Map<String, Object> root;
    private final Map<String, String> origins;
    private final List<String> problems;
    private final Path file;

    private TracesiftConfig(Map<String, Object> root, Map<String, String> origins, List<String> problems, Path file) {
        this.root = Collections.unmodifiableMap(root);
        this.origins = Map.copyOf(origins);
        this.problems = List.copyOf(problems);
        this.file = file;
    }

    /**
     * Merges every layer. The file comes from {@code --config}, else {@code TRACESIFT_CONFIG}.
     *
     * @throws ConfigFileException when a named file cannot be read or parsed
     */
    public static TracesiftConfig load(CommandLineSettings commandLine, Map<String, String> environment) {
        Path file = commandLine.configFile();
        if (file == null && present(environment.get(CONFIG_ENV))) {
            file = Path.of(environment.get(CONFIG_ENV));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();

        AppSettings.defaults().forEach((key, value) -> set(root, origins, key, value, "default"));
        if (file != null) {
            Map<String, Object> fromFile = ConfigFile.read(file);
            checkTopLevelKeys(fromFile.keySet(), problems);
            String origin = "file " + file;
            fromFile.forEach((key, value) -> mergeFileEntry(root, origins, problems, key, value, origin));
        }
        readEnvironment(environment, root, origins, problems);
        commandLine.settings().forEach((key, setting) ->
                set(root, origins, key, setting.value(), "option " + setting.option()));
        return new TracesiftConfig(root, origins, problems, file);
    }

    /** The merged top-level mapping, for the modules' {@code fromConfig}. */
    public Map<String, Object> root() {
        return root;
    }

    /** A top-level section as a mapping; null when absent or not a mapping. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String name) {
        return root.get(name) instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    /** Problems found while merging; callers add their own and report all at once. */
    public List<String> problems() {
        return problems;
    }

    /** The configuration file used, or null. */
    public Path file() {
        return file;
    }

    /** Where a setting's value came from, e.g. "env TRACESIFT_HTTP_PORT", for error messages. */
    public String origin(String key) {
        return origins.getOrDefault(key, "default");
    }

    /** Every valid top-level key, sorted. */
    static Set<String> knownTopLevelKeys() {
        Set<String> keys = new TreeSet<>(AppSettings.KEYS);
        keys.addAll(MODULE_SECTIONS);
        return keys;
    }

    private static void checkTopLevelKeys(Set<String> keys, List<String> problems) {
        Set<String> known = knownTopLevelKeys();
        for (String key : keys) {
            if (known.contains(key)) {
                continue;
            }
            String hint;
            int dot = key.indexOf('.');
            if (dot > 0 && known.contains(key.substring(0, dot))) {
                hint = "did you mean to nest it: '" + key.substring(0, dot) + ":' then '" + key.substring(dot + 1) + ":'? ";
            } else {
                hint = ClosestName.of(key, known).map(k -> "did you mean '" + k + "'? ").orElse("");
            }
            problems.add(key + ": not a tracesift setting; " + hint + "valid top-level settings: " + String.join(", ", known));
        }
    }

    private static void readEnvironment(Map<String, String> environment, Map<String, Object> root,
                                        Map<String, String> origins, List<String> problems) {
        Map<String, String> envToKey = new LinkedHashMap<>();
        for (String key : AppSettings.SCALAR_KEYS) {
            envToKey.put(ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_'), key);
        }
        Set<String> knownNames = new TreeSet<>(envToKey.keySet());
        knownNames.add(CONFIG_ENV);
        new TreeSet<>(environment.keySet()).forEach(name -> {
            String value = environment.get(name);
            if (!name.startsWith(ENV_PREFIX) || name.equals(CONFIG_ENV) || !present(value)) {
                return;
            }
            if (envToKey.containsKey(name)) {
                set(root, origins, envToKey.get(name), value, "env " + name);
            } else if (name.startsWith(KAFKA_ENV_PREFIX)) {
                String property = name.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (property.isEmpty()) {
                    problems.add(name + ": names no Kafka property; use e.g. TRACESIFT_KAFKA_SECURITY_PROTOCOL for security.protocol");
                } else {
                    kafkaSection(root).put(property, value);
                    origins.put(AppSettings.KAFKA + "." + property, "env " + name);
                }
            } else {
                // Other TRACESIFT_* variables are left alone (Kubernetes injects TRACESIFT_SERVICE_HOST and
                // the like for a Service named tracesift); only an evident typo of a known name is an error.
                ClosestName.of(name, knownNames).ifPresent(known ->
                        problems.add(name + ": not a tracesift variable; did you mean " + known + "?"));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static void mergeFileEntry(Map<String, Object> root, Map<String, String> origins, List<String> problems,
                                       String key, Object value, String origin) {
        if (key.equals(AppSettings.KAFKA) && value != null && !(value instanceof Map)) {
            problems.add("kafka: must be a mapping of Kafka client/Streams property names to values,"
                    + " e.g. 'kafka:' then '  security.protocol: SASL_SSL'");
        } else if (key.equals(AppSettings.KAFKA) && value instanceof Map<?, ?> properties) {
            Map<String, Object> kafka = kafkaSection(root);
            ((Map<String, Object>) properties).forEach((property, propertyValue) -> {
                kafka.put(property, propertyValue);
                origins.put(AppSettings.KAFKA + "." + property, origin);
            });
            origins.put(key, origin);
        } else {
            set(root, origins, key, value, origin);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kafkaSection(Map<String, Object> root) {
        Object existing = root.get(AppSettings.KAFKA);
        if (existing instanceof Map<?, ?>) {
            return (Map<String, Object>) existing;
        }
        Map<String, Object> kafka = new LinkedHashMap<>();
        root.put(AppSettings.KAFKA, kafka);
        return kafka;
    }

    private static void set(Map<String, Object> root, Map<String, String> origins, String key, Object value, String origin) {
        root.put(key, value);
        origins.put(key, origin);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
