package io.tracesift.topology;

import io.tracesift.tenantrouting.TenantSettings;
import io.tracesift.tenantrouting.TenantTopicSpec;
import io.tracesift.tenantrouting.TopicProvisioner;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The pipeline as its own JVM, for tests that kill it with SIGKILL: {@code <bootstrap> <application id> <state dir>}.
 * Prints {@code RUNNING} once Kafka Streams runs; runs until killed.
 */
public final class TracesiftStreamsProcess {
    private TracesiftStreamsProcess() {}

    public static void main(String[] args) throws InterruptedException {
        String bootstrap = args[0];
        List<String> problems = new ArrayList<>();
        TopologySettings settings = TopologySettings.fromConfig(Map.of(), problems);
        if (settings == null) {
            throw new IllegalStateException(String.join("\n", problems));
        }
        TopicProvisioner provisioner = new TopicProvisioner(Map.of("bootstrap.servers", bootstrap), TenantTopicSpec.defaults());
        settings.tenancy().controlTopics().forEach(provisioner::ensureCompacted);
        StreamsBuilder builder = new StreamsBuilder();
        TracesiftTopology.build(builder, settings, tenant -> provisioner.ensure(tenant, TenantSettings.DEFAULTS),
                new PipelineCounters());
        // A short session lets the restarted instance take over without waiting 45 s for the dead one to expire.
        KafkaStreams streams = new KafkaStreams(builder.build(), TracesiftTopology.streamsProperties(args[1], bootstrap,
                args[2], Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000")));
        CountDownLatch failed = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            System.out.println(now);
            System.out.flush();
        });
        streams.setUncaughtExceptionHandler(e -> {
            e.printStackTrace(System.out);
            failed.countDown();
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        failed.await();
        System.exit(1);
    }
}
