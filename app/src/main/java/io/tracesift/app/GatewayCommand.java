package io.tracesift.app;

import io.tracesift.app.config.InvalidConfigException;
import io.tracesift.app.config.TracesiftConfig;
import io.tracesift.workload.GatewaySettings;
import io.tracesift.workload.OtlpGateway;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tracesift gateway}: the OTLP/HTTP receiver writing one record per trace to the input topic. */
@Command(name = "gateway", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"OTLP/HTTP receiver writing traces to Kafka, until Ctrl-C.",
                "POST /v1/traces, protobuf or JSON, gzip; one record per trace to otlp_spans, keyed by trace id, tenant"
                        + " from X-Scope-OrgID. Settings: gateway: in --config."})
final class GatewayCommand implements Callable<Integer> {

    private final Map<String, String> environment;

    @Mixin
    WorkloadOptions options;

    @Option(names = "--port", paramLabel = "PORT", description = "Listening port (gateway.port, default 4318; 0 picks a free one).")
    Integer port;

    GatewayCommand() {
        this(System.getenv());
    }

    GatewayCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        TracesiftConfig configuration = options.load(environment);
        List<String> problems = new ArrayList<>(configuration.problems());
        Map<String, Object> kafka = WorkloadOptions.kafka(configuration, problems);
        GatewaySettings settings = GatewaySettings.fromConfig(configuration.section(GatewaySettings.SECTION), kafka, problems);
        if (port != null && (port < 0 || port > 65535)) {
            problems.add("--port: " + port + " is not a port; use 1-65535 (0 picks a free one)");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        OtlpGateway gateway = OtlpGateway.start(port != null ? settings.withPort(port) : settings);
        PrintStream out = System.out;
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            var counters = gateway.counters();
            out.println("Gateway stopped: " + counters.requests() + " requests, " + counters.acceptedSpans()
                    + " spans accepted in " + counters.records() + " records; rejected requests " + counters.rejectedRequests()
                    + ", rejected spans " + counters.rejectedSpans());
            out.flush();
            closed.countDown();
        }, "tracesift-gateway-stop"));
        out.println("OTLP/HTTP gateway listening at " + gateway.endpoint() + ", writing to " + settings.topic() + " at "
                + kafka.get("bootstrap.servers") + " (tenant header " + settings.tenantHeader() + "). Ctrl-C stops it.");
        out.flush();
        closed.await();
        return Tracesift.EXIT_OK;
    }
}
