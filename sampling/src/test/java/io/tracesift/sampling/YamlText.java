package io.tracesift.sampling;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Parses YAML the way the app does (Jackson), so tests see the same value types. */
final class YamlText {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private YamlText() {
    }

    static Map<String, Object> parse(String yaml) {
        try {
            Map<String, Object> map = YAML.readValue(yaml, new TypeReference<Map<String, Object>>() { });
            return map == null ? Map.of() : map;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> resource(String name) {
        try (InputStream in = YamlText.class.getResourceAsStream("/" + name)) {
            return YAML.readValue(in, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code sampling:} section of a document, as the app hands it to {@code fromConfig}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> samplingSection(Map<String, Object> document) {
        return (Map<String, Object>) document.get("sampling");
    }
}
