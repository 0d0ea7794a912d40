package io.tracesift.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the benchmark ran on, read from /proc where there is one. */
final class Machine {
    private Machine() {}

    static String describe() {
        return "cpus=" + Runtime.getRuntime().availableProcessors()
                + " cpu=\"" + procValue("/proc/cpuinfo", "model name") + "\""
                + " memory=" + procValue("/proc/meminfo", "MemTotal")
                + " java=" + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
                + " max-heap=" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "MB";
    }

    /** The 1, 5 and 15 minute load averages (other sessions share this machine). */
    static String load() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String procValue(String file, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: say so below
        }
        return "unknown";
    }
}
