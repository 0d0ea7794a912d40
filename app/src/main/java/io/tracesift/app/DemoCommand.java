package io.tracesift.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Placeholder that says so: the demo needs the pipeline, generator and trace view, which do not exist yet. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "One-command demo (local broker, pipeline, generator, trace view): NOT AVAILABLE YET.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port the demo will serve on (default 8080).")
    Integer httpPort;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("tracesift demo is not available yet: the pipeline, workflow generator and trace"
                + " view it will run are still being built. Nothing was started.");
        return Tracesift.EXIT_FAILURE;
    }
}
