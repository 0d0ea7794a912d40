package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Usage errors of {@code tracesift flags} are found before any broker is contacted (exit 2, what is valid). */
class FlagsCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "flags                                                 | Missing command: choose one of set, unset, list",
            "flags set checkout maybe --bootstrap-servers a:1      | Invalid state 'maybe': use on or off",
            "flags set ../x/checkout off --bootstrap-servers a:1   | is not a valid tenant id",
            "flags set a*b*c*d*e*f*g*h*i*j off --bootstrap-servers a:1 | has more than 8 wildcards",
            "flags set acme/checkout off --tenant acme --bootstrap-servers a:1 | already names a tenant",
            "flags unset checkout --tenant ../x --bootstrap-servers a:1 | is not a valid tenant id",
            "flags list                                            | bootstrap-servers: missing",
            "flags list --bootstrap-servers nohostport             | is not HOST:PORT",
    })
    void usageErrorsExitTwoAndSayWhatIsValid(String command, String message) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = Tracesift.commandLine(Map.of());
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));

        int exit = commandLine.execute(command.trim().split(" +"));

        assertThat(exit).isEqualTo(Tracesift.EXIT_USAGE);
        assertThat(err.toString()).contains(message);
    }
}
