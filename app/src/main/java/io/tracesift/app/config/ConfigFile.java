package io.tracesift.app.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the YAML configuration file into plain maps, lists and scalars. */
final class ConfigFile {

    // A key given twice is almost always a mistake; YAML would silently keep the last one.
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigFile() {
    }

    /** The file's top-level mapping (empty for an empty file); throws {@link ConfigFileException} naming the reason. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) {
        if (Files.isDirectory(file)) {
            throw new ConfigFileException(file, "it is a directory, not a file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(file, "no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigFileException(file, "permission denied");
        } catch (IOException e) {
            throw new ConfigFileException(file, String.valueOf(e.getMessage()));
        }
        Object parsed;
        try {
            parsed = bytes.length == 0 ? null : YAML.readValue(bytes, Object.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ConfigFileException(file, "not valid YAML" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigFileException(file, String.valueOf(e.getMessage()));
        }
        if (parsed == null) {
            return new LinkedHashMap<>();
        }
        if (!(parsed instanceof Map)) {
            String kind = parsed instanceof List ? "list" : "single value";
            throw new ConfigFileException(file, "the top level must be a mapping of settings (key: value), not a " + kind);
        }
        return (Map<String, Object>) parsed;
    }
}
