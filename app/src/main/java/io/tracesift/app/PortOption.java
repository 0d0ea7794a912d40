package io.tracesift.app;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The rule of the commands' port options: 0 picks a free port, otherwise a TCP port number. */
final class PortOption {

    private PortOption() {
    }

    static void check(CommandSpec spec, String option, int port) {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), option + " " + port + " is not a port; use 1-65535 (0 picks a free one)");
        }
    }
}
