package io.tracesift.topology;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The glibc malloc settings RocksDB's native memory should run with. With glibc's defaults every thread past the
 * first gets an arena of its own, unmapped as soon as it is empty: each flushed memtable of the span store goes back
 * to the kernel and the next one is faulted in page by page, about a sixth of the pipeline's CPU on a VM where a
 * fault costs ~18 us (BENCHMARKS.md, "Session 20"). One arena that neither trims nor maps large blocks on its own
 * keeps the process at its peak native size instead. The settings are read by glibc at process start, so they are
 * set in the environment: the {@code tracesift} script and the Helm chart do.
 */
public final class NativeAllocator {
    /** Each variable with its recommended setting, in the order the script exports them. */
    private static final List<Map.Entry<String, String>> RECOMMENDED = List.of(
            Map.entry("MALLOC_ARENA_MAX", "1"),
            Map.entry("MALLOC_MMAP_THRESHOLD_", "33554432"),
            Map.entry("MALLOC_TRIM_THRESHOLD_", "4294967295"));

    private NativeAllocator() {
    }

    /** Which of the settings the environment holds: "native allocator: NAME=VALUE ...", or that none is set. */
    public static String describe(Map<String, String> environment) {
        String set = RECOMMENDED.stream().map(Map.Entry::getKey).filter(environment::containsKey)
                .map(name -> name + "=" + environment.get(name)).collect(Collectors.joining(" "));
        return set.isEmpty() ? "native allocator: glibc defaults (none of "
                + RECOMMENDED.stream().map(Map.Entry::getKey).collect(Collectors.joining(", ")) + " set)"
                : "native allocator: " + set;
    }

    /** Whether the environment leaves glibc's arenas at their default, the setting that costs the faults. */
    public static boolean arenasAtDefault(Map<String, String> environment) {
        return !environment.containsKey("MALLOC_ARENA_MAX");
    }

    /** What to set, as shell assignments. */
    public static String advice() {
        return RECOMMENDED.stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
