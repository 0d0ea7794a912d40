package io.tracesift.app.config;

import java.util.List;

/** Every problem found in the merged configuration, reported together so one fix round suffices. */
public final class InvalidConfigException extends RuntimeException {

    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String describe(List<String> problems) {
        StringBuilder text = new StringBuilder("invalid configuration, ")
                .append(problems.size()).append(problems.size() == 1 ? " problem:" : " problems:");
        problems.forEach(p -> text.append(System.lineSeparator()).append("  - ").append(p));
        return text.toString();
    }
}
