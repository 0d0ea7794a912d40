package io.tracesift.app;

import io.tracesift.app.config.ConfigFileException;
import io.tracesift.app.config.InvalidConfigException;
import io.tracesift.kafkalocal.BrokerStartException;
import java.io.PrintWriter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code tracesift} command. Exit codes: 0 success, 1 failure at run time (or a command that
 * is not available yet), 2 wrong usage or invalid configuration.
 */
@Command(name = "tracesift",
        mixinStandardHelpOptions = true,
        versionProvider = TracesiftVersion.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Tail sampling of OpenTelemetry traces on Kafka Streams: whole traces in, kept traces out, one topic per tenant.",
        subcommands = {RunCommand.class, BrokerCommand.class, DemoCommand.class, GenerateCommand.class,
                GatewayCommand.class, BenchCommand.class, FlagsCommand.class, CommandLine.HelpCommand.class})
public final class Tracesift implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Tracesift.class);

    @Spec
    CommandSpec spec;

    // Read from the parse result (any level) in execute(); the field only documents the option.
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Log more: Kafka's own logs at INFO instead of WARN, tracesift's at DEBUG.")
    boolean verbose;

    public static void main(String[] args) {
        // Read once, by the JDK's first HttpServer: without TCP_NODELAY every HTTP answer (the query API's
        // included, and each hop between instances) waits ~40 ms for a delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int exitCode = commandLine(System.getenv()).execute(args);
        Logging.stop();
        System.exit(exitCode);
    }

    /** The command tree, reading {@code TRACESIFT_*} settings from {@code environment}. */
    public static CommandLine commandLine(Map<String, String> environment) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine commandLine = new CommandLine(new Tracesift(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == RunCommand.class) {
                    return type.cast(new RunCommand(environment));
                }
                return type == FlagsCommand.class ? type.cast(new FlagsCommand(environment)) : defaults.create(type);
            }
        });
        commandLine.setExecutionStrategy(Tracesift::execute);
        commandLine.setParameterExceptionHandler(Tracesift::usageError);
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + exception.getMessage());
            if (exception instanceof InvalidConfigException || exception instanceof ConfigFileException) {
                return EXIT_USAGE;
            }
            if (exception instanceof BrokerStartException && !LOG.isDebugEnabled()) {
                // Its message names the cause and the remedy (port in use, damaged folder); a stack trace printed
                // after it would only bury it. --verbose logs the trace.
                LOG.error("{} failed: {}", command.getCommandSpec().qualifiedName(), exception.getMessage());
                return EXIT_FAILURE;
            }
            LOG.error("{} failed", command.getCommandSpec().qualifiedName(), exception);
            return EXIT_FAILURE;
        });
        return commandLine;
    }

    private static int usageError(ParameterException exception, String[] args) {
        CommandLine command = exception.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        if (exception instanceof UnmatchedArgumentException unmatched && !command.getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            err.println("Unknown command '" + unmatched.getUnmatched().get(0) + "'; the commands are: "
                    + String.join(", ", command.getSubcommands().keySet()) + ".");
        } else {
            err.println(exception.getMessage());
            UnmatchedArgumentException.printSuggestions(exception, err);
        }
        err.println("See '" + name + " --help'.");
        return EXIT_USAGE;
    }

    private static int execute(ParseResult parseResult) {
        if (parseResult.asCommandLineList().stream().anyMatch(result -> result.getParseResult().hasMatchedOption("--verbose"))) {
            Logging.verbose();
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()) + ".");
    }
}
