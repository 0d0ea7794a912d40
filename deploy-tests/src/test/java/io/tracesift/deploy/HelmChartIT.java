package io.tracesift.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code helm lint} and {@code helm template} of helm/tracesift with the real helm v4 binary. */
class HelmChartIT {
    private static final String RELEASE = "ts";
    private static final String FULLNAME = "ts-tracesift";
    private static final Pattern SECRET_FILE_REF = Pattern.compile("\\$\\{secretfile:([^:}]+):([^}]+)}");

    private static Helm helm;

    @BeforeAll
    static void locateHelm() {
        helm = Helm.locate();
    }

    private static Path chart() {
        return RepositoryPaths.chart();
    }

    private static Manifests template(String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of("template", RELEASE, chart().toString(), "--namespace", "tracing"));
        arguments.addAll(List.of(extraArguments));
        return Manifests.parse(helm.run(arguments).assertSuccess("helm template " + arguments).output());
    }

    private static Manifests templateWith(String valuesFile, String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of("-f", chart().resolve(valuesFile).toString()));
        arguments.addAll(List.of(extraArguments));
        return template(arguments.toArray(String[]::new));
    }

    private static JsonNode container(Manifests manifests) {
        return manifests.get("StatefulSet", FULLNAME).at("/spec/template/spec/containers/0");
    }

    private static JsonNode config(Manifests manifests) {
        return Manifests.readYaml(manifests.get("ConfigMap", FULLNAME + "-config").at("/data/tracesift.yaml").asText());
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText(null)));
        return env;
    }

    private static JsonNode byName(JsonNode array, String name) {
        return StreamSupport.stream(array.spliterator(), false)
                .filter(n -> name.equals(n.path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no entry named " + name + " in " + array));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ci/default-values.yaml", "ci/secure-values.yaml"})
    void lintPasses(String valuesFile) {
        Helm.Result result = helm.run(List.of("lint", chart().toString(), "--strict", "-f", chart().resolve(valuesFile).toString()))
                .assertSuccess("helm lint with " + valuesFile);
        assertThat(result.output()).contains("1 chart(s) linted, 0 chart(s) failed");
    }

    @Nested
    class DefaultValues {
        private final Manifests manifests = templateWith("ci/default-values.yaml");

        @Test
        void rendersOneOfEachExpectedObject() {
            Set<String> rendered = manifests.all().stream()
                    .map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(rendered).containsExactlyInAnyOrder(
                    "StatefulSet/" + FULLNAME, "Service/" + FULLNAME, "Service/" + FULLNAME + "-headless",
                    "ConfigMap/" + FULLNAME + "-config", "ConfigMap/" + FULLNAME + "-dashboards",
                    "PodDisruptionBudget/" + FULLNAME, "ServiceAccount/" + FULLNAME);
        }

        @Test
        void statefulSetKeepsStateOnAPersistentVolumePerPod() {
            JsonNode sts = manifests.get("StatefulSet", FULLNAME);
            assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(3);
            assertThat(sts.at("/spec/serviceName").asText()).isEqualTo(FULLNAME + "-headless");
            assertThat(sts.at("/spec/podManagementPolicy").asText()).isEqualTo("Parallel");
            JsonNode claim = sts.at("/spec/volumeClaimTemplates/0");
            assertThat(claim.at("/metadata/name").asText()).isEqualTo("state");
            assertThat(claim.at("/spec/resources/requests/storage").asText()).isEqualTo("20Gi");
            assertThat(claim.at("/spec/storageClassName").isMissingNode()).isTrue();

            String stateMount = byName(container(manifests).path("volumeMounts"), "state").path("mountPath").asText();
            assertThat(config(manifests).path("state-dir").asText()).startsWith(stateMount + "/");
            assertThat(StreamSupport.stream(sts.at("/spec/template/spec/volumes").spliterator(), false)
                    .map(v -> v.path("name").asText())).doesNotContain("state");
        }

        @Test
        void applicationServerIsThePodsStableDnsName() {
            JsonNode container = container(manifests);
            Map<String, String> env = env(container);
            assertThat(env).containsEntry("TRACESIFT_KAFKA_APPLICATION_SERVER",
                    "$(POD_NAME)." + FULLNAME + "-headless.$(POD_NAMESPACE).svc.cluster.local:8080");
            // $(VAR) expands only for variables defined earlier in the list
            List<String> names = StreamSupport.stream(container.path("env").spliterator(), false)
                    .map(e -> e.path("name").asText()).toList();
            assertThat(names.indexOf("POD_NAME")).isLessThan(names.indexOf("TRACESIFT_KAFKA_APPLICATION_SERVER"));
            assertThat(names.indexOf("POD_NAMESPACE")).isLessThan(names.indexOf("TRACESIFT_KAFKA_APPLICATION_SERVER"));
            assertThat(byName(container.path("env"), "POD_NAME").at("/valueFrom/fieldRef/fieldPath").asText())
                    .isEqualTo("metadata.name");
            assertThat(manifests.get("StatefulSet", FULLNAME).at("/spec/template/spec/enableServiceLinks").asBoolean(true))
                    .isFalse();
        }

        @Test
        void servicesExposeHttpOn8080AndTheHeadlessOnePublishesUnreadyPods() {
            JsonNode headless = manifests.get("Service", FULLNAME + "-headless");
            assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
            assertThat(headless.at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
            assertThat(headless.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
            JsonNode regular = manifests.get("Service", FULLNAME);
            assertThat(regular.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
            assertThat(regular.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
            JsonNode podLabels = manifests.get("StatefulSet", FULLNAME).at("/spec/template/metadata/labels");
            for (JsonNode service : List.of(headless, regular)) {
                service.at("/spec/selector").fields().forEachRemaining(label ->
                        assertThat(podLabels.path(label.getKey()).asText()).isEqualTo(label.getValue().asText()));
            }
            JsonNode port = byName(container(manifests).path("ports"), "http");
            assertThat(port.path("containerPort").asInt()).isEqualTo(8080);
        }

        @Test
        void configMapHoldsTheChartOwnedSettings() {
            JsonNode config = config(manifests);
            assertThat(config.path("bootstrap-servers").asText()).isEqualTo("kafka-0.kafka:9092,kafka-1.kafka:9092");
            assertThat(config.path("application-id").asText()).isEqualTo("tracesift");
            assertThat(config.path("http-port").asInt()).isEqualTo(8080);
            assertThat(config.has("kafka")).as("no security settings by default").isFalse();
            assertThat(env(container(manifests))).containsEntry("TRACESIFT_CONFIG", "/etc/tracesift/config/tracesift.yaml");
            assertThat(byName(container(manifests).path("volumeMounts"), "config").path("mountPath").asText())
                    .isEqualTo("/etc/tracesift/config");
        }

        @Test
        void probesCheckHealthAndReadiness() {
            JsonNode container = container(manifests);
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
            assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/healthz");
            assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
            JsonNode startup = container.path("startupProbe");
            assertThat(startup.path("periodSeconds").asInt() * startup.path("failureThreshold").asInt()).isEqualTo(600);
        }

        @Test
        void resourcesAndDisruptionBudget() {
            JsonNode container = container(manifests);
            assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("2Gi");
            assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("2Gi");
            JsonNode pdb = manifests.get("PodDisruptionBudget", FULLNAME);
            assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
            assertThat(pdb.at("/spec/selector/matchLabels"))
                    .isEqualTo(manifests.get("StatefulSet", FULLNAME).at("/spec/selector/matchLabels"));
        }

        @Test
        void noSecretsAreMountedWithoutSecretValues() {
            assertThat(StreamSupport.stream(manifests.get("StatefulSet", FULLNAME)
                    .at("/spec/template/spec/volumes").spliterator(), false)
                    .filter(v -> v.has("secret"))).isEmpty();
        }

        @Test
        void dashboardsConfigMapHoldsEveryDashboardForTheGrafanaSidecar() throws IOException {
            JsonNode cm = manifests.get("ConfigMap", FULLNAME + "-dashboards");
            assertThat(cm.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
            assertThat(cm.at("/metadata/annotations/grafana_folder").asText()).isEqualTo("tracesift");
            assertThat(cm.at("/metadata/namespace").asText()).isEqualTo("tracing");

            Set<String> files;
            try (Stream<Path> list = Files.list(RepositoryPaths.dashboards())) {
                files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                        .collect(Collectors.toCollection(TreeSet::new));
            }
            assertThat(files).hasSizeGreaterThanOrEqualTo(4);
            Set<String> keys = new TreeSet<>();
            cm.path("data").fieldNames().forEachRemaining(keys::add);
            assertThat(keys).isEqualTo(files);
            ObjectMapper json = new ObjectMapper();
            for (String file : files) {
                JsonNode shipped = json.readTree(cm.path("data").path(file).asText());
                assertThat(shipped).isEqualTo(json.readTree(RepositoryPaths.dashboards().resolve(file).toFile()));
                assertThat(shipped.path("uid").asText()).as(file + " uid").isNotBlank();
            }
        }

        @Test
        void aConfigChangeRollsThePods() {
            String before = manifests.get("StatefulSet", FULLNAME).at("/spec/template/metadata/annotations/checksum~1config").asText();
            Manifests changed = templateWith("ci/default-values.yaml", "--set", "config.tenancy.source=topic");
            String after = changed.get("StatefulSet", FULLNAME).at("/spec/template/metadata/annotations/checksum~1config").asText();
            assertThat(before).hasSize(64);
            assertThat(after).hasSize(64).isNotEqualTo(before);
            assertThat(config(changed).at("/tenancy/source").asText()).isEqualTo("topic");
        }
    }

    @Nested
    class SecureValues {
        private final Manifests manifests = templateWith("ci/secure-values.yaml");

        @Test
        void replicasAndPassThroughConfig() {
            assertThat(manifests.get("StatefulSet", FULLNAME).at("/spec/replicas").asInt()).isEqualTo(6);
            JsonNode config = config(manifests);
            assertThat(config.path("application-id").asText()).isEqualTo("tracesift-prod");
            assertThat(config.at("/tenancy/source").asText()).isEqualTo("topic");
            assertThat(config.at("/tenancy/admission/mode").asText()).isEqualTo("registry");
            assertThat(config.at("/sampling/policies/2/probability").asDouble()).isEqualTo(0.05);
            assertThat(config.at("/kafka/compression.type").asText()).isEqualTo("lz4");
            assertThat(config.at("/kafka/num.standby.replicas").asInt()).isEqualTo(1);
            assertThat(env(container(manifests))).containsEntry("TRACESIFT_KAFKA_MAX_POLL_RECORDS", "2000");
        }

        @Test
        void saslSslSettingsReadTheCredentialsFromMountedFiles() {
            JsonNode kafka = config(manifests).path("kafka");
            assertThat(kafka.path("security.protocol").asText()).isEqualTo("SASL_SSL");
            assertThat(kafka.path("sasl.mechanism").asText()).isEqualTo("SCRAM-SHA-512");
            assertThat(kafka.path("sasl.jaas.config").asText())
                    .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required ")
                    .contains("username=\"${secretfile:/etc/tracesift/secrets/kafka-sasl:username}\"")
                    .contains("password=\"${secretfile:/etc/tracesift/secrets/kafka-sasl:password}\"")
                    .endsWith(";");
            assertThat(kafka.path("config.providers").asText()).isEqualTo("secretfile");
            assertThat(kafka.path("config.providers.secretfile.class").asText())
                    .isEqualTo("org.apache.kafka.common.config.provider.DirectoryConfigProvider");
            assertThat(kafka.path("ssl.truststore.type").asText()).isEqualTo("PEM");
            assertThat(kafka.path("ssl.truststore.location").asText()).isEqualTo("/etc/tracesift/secrets/kafka-tls/ca.crt");
            assertThat(kafka.path("ssl.keystore.type").asText()).isEqualTo("PEM");
        }

        /** Every file the config refers to is produced by a Secret volume mounted at that folder. */
        @Test
        void everyReferencedSecretFileIsMounted() {
            JsonNode pod = manifests.get("StatefulSet", FULLNAME).at("/spec/template/spec");
            Map<String, Set<String>> filesByFolder = new HashMap<>();
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.has("secret")) {
                    JsonNode mount = byName(container(manifests).path("volumeMounts"), volume.path("name").asText());
                    Set<String> files = new TreeSet<>();
                    volume.at("/secret/items").forEach(item -> files.add(item.path("path").asText()));
                    filesByFolder.put(mount.path("mountPath").asText(), files);
                    assertThat(mount.path("readOnly").asBoolean()).isTrue();
                }
            }
            assertThat(filesByFolder).containsOnlyKeys("/etc/tracesift/secrets/kafka-sasl",
                    "/etc/tracesift/secrets/kafka-tls", "/etc/tracesift/secrets/query-api-keys");

            String configText = manifests.get("ConfigMap", FULLNAME + "-config").at("/data/tracesift.yaml").asText();
            Matcher refs = SECRET_FILE_REF.matcher(configText);
            List<String> referenced = new ArrayList<>();
            while (refs.find()) {
                referenced.add(refs.group(1) + "/" + refs.group(2));
                assertThat(filesByFolder.getOrDefault(refs.group(1), Set.of())).as(refs.group()).contains(refs.group(2));
            }
            assertThat(referenced).containsExactlyInAnyOrder(
                    "/etc/tracesift/secrets/kafka-sasl/username", "/etc/tracesift/secrets/kafka-sasl/password",
                    "/etc/tracesift/secrets/kafka-tls/tls.crt", "/etc/tracesift/secrets/kafka-tls/tls.key");
            JsonNode config = config(manifests);
            String truststore = config.at("/kafka/ssl.truststore.location").asText();
            assertThat(filesByFolder.get("/etc/tracesift/secrets/kafka-tls")).contains(Path.of(truststore).getFileName().toString());
            String keysFile = config.at("/query/api-keys-file").asText();
            assertThat(keysFile).isEqualTo("/etc/tracesift/secrets/query-api-keys/api-keys.properties");
            assertThat(filesByFolder.get("/etc/tracesift/secrets/query-api-keys")).contains("api-keys.properties");
        }

        @Test
        void secretVolumesNameTheExistingSecretsAndMapTheirKeys() {
            JsonNode volumes = manifests.get("StatefulSet", FULLNAME).at("/spec/template/spec/volumes");
            JsonNode sasl = byName(volumes, "kafka-sasl").path("secret");
            assertThat(sasl.path("secretName").asText()).isEqualTo("tracesift-kafka-user");
            assertThat(byPath(sasl.path("items"), "username").path("key").asText()).isEqualTo("user");
            assertThat(byPath(sasl.path("items"), "password").path("key").asText()).isEqualTo("password");
            JsonNode tls = byName(volumes, "kafka-tls").path("secret");
            assertThat(tls.path("secretName").asText()).isEqualTo("tracesift-kafka-tls");
            assertThat(byName(volumes, "query-api-keys").at("/secret/secretName").asText()).isEqualTo("tracesift-query-keys");
            // no credential value is ever written into a rendered object
            assertThat(manifests.ofKind("Secret")).isEmpty();
        }

        @Test
        void serviceMonitorScrapesTheRegularServiceOnly() {
            JsonNode monitor = manifests.get("ServiceMonitor", FULLNAME);
            assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
            assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
            assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
            JsonNode selector = monitor.at("/spec/selector/matchLabels");
            assertThat(matches(selector, manifests.get("Service", FULLNAME))).isTrue();
            assertThat(matches(selector, manifests.get("Service", FULLNAME + "-headless"))).isFalse();
        }

        @Test
        void storageDashboardsAndBudgetFollowTheValues() {
            JsonNode claim = manifests.get("StatefulSet", FULLNAME).at("/spec/volumeClaimTemplates/0/spec");
            assertThat(claim.at("/resources/requests/storage").asText()).isEqualTo("50Gi");
            assertThat(claim.path("storageClassName").asText()).isEqualTo("fast-ssd");
            JsonNode dashboards = manifests.get("ConfigMap", FULLNAME + "-dashboards");
            assertThat(dashboards.at("/metadata/namespace").asText()).isEqualTo("monitoring");
            assertThat(dashboards.at("/metadata/annotations/grafana_folder").asText()).isEqualTo("Tracing");
            assertThat(manifests.get("PodDisruptionBudget", FULLNAME).at("/spec/maxUnavailable").asInt()).isEqualTo(2);
        }

        private static JsonNode byPath(JsonNode items, String path) {
            return StreamSupport.stream(items.spliterator(), false)
                    .filter(i -> path.equals(i.path("path").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError("no item with path " + path + " in " + items));
        }

        private static boolean matches(JsonNode matchLabels, JsonNode object) {
            JsonNode labels = object.at("/metadata/labels");
            List<Boolean> each = new ArrayList<>();
            matchLabels.fields().forEachRemaining(l -> each.add(l.getValue().asText().equals(labels.path(l.getKey()).asText())));
            return !each.isEmpty() && !each.contains(false);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "kafka.sasl.mechanism=PLAIN       | SASL_PLAINTEXT | org.apache.kafka.common.security.plain.PlainLoginModule",
            "kafka.sasl.mechanism=SCRAM-SHA-256 | SASL_PLAINTEXT | org.apache.kafka.common.security.scram.ScramLoginModule",
            "kafka.tls.enabled=true           | SASL_SSL       | org.apache.kafka.common.security.scram.ScramLoginModule",
    })
    void securityProtocolFollowsSaslAndTls(String setting, String protocol, String loginModule) {
        JsonNode kafka = config(templateWith("ci/default-values.yaml", "--set", "kafka.sasl.enabled=true",
                "--set", "kafka.sasl.existingSecret=creds", "--set", setting)).path("kafka");
        assertThat(kafka.path("security.protocol").asText()).isEqualTo(protocol);
        assertThat(kafka.path("sasl.jaas.config").asText()).startsWith(loginModule + " required ");
    }

    @Test
    void tlsWithoutClientCertificateUsesOnlyTheTrustStore() {
        JsonNode kafka = config(templateWith("ci/default-values.yaml", "--set", "kafka.tls.enabled=true",
                "--set", "kafka.tls.existingSecret=ca")).path("kafka");
        assertThat(kafka.path("security.protocol").asText()).isEqualTo("SSL");
        assertThat(kafka.path("ssl.truststore.location").asText()).isEqualTo("/etc/tracesift/secrets/kafka-tls/ca.crt");
        assertThat(kafka.has("ssl.keystore.type")).isFalse();
        assertThat(kafka.has("config.providers")).isFalse();
    }

    @Test
    void kafkaPropertiesOverrideWhatTheChartDerives() {
        JsonNode kafka = config(templateWith("ci/default-values.yaml", "--set", "kafka.tls.enabled=true",
                "--set", "kafka.properties.security\\.protocol=SASL_SSL")).path("kafka");
        assertThat(kafka.path("security.protocol").asText()).isEqualTo("SASL_SSL");
    }

    @Test
    void rocksDbNativeMemoryIsKeptByDefaultAndGlibcDefaultsAreOneValueAway() {
        Map<String, String> kept = env(container(templateWith("ci/default-values.yaml")));
        assertThat(kept).containsEntry("MALLOC_ARENA_MAX", "1").containsEntry("MALLOC_MMAP_THRESHOLD_", "33554432")
                .containsEntry("MALLOC_TRIM_THRESHOLD_", "4294967295");
        Map<String, String> defaults = env(container(templateWith("ci/default-values.yaml",
                "--set", "nativeAllocator=null")));
        assertThat(defaults).doesNotContainKeys("MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")
                .containsKey("TRACESIFT_CONFIG");
    }

    @Test
    void withoutPersistenceTheStateIsAnEmptyDir() {
        JsonNode sts = templateWith("ci/default-values.yaml", "--set", "persistence.enabled=false")
                .get("StatefulSet", FULLNAME);
        assertThat(sts.at("/spec/volumeClaimTemplates").isMissingNode()).isTrue();
        assertThat(byName(sts.at("/spec/template/spec/volumes"), "state").has("emptyDir")).isTrue();
    }

    @Test
    void replicasMayEqualThePartitionCount() {
        assertThat(templateWith("ci/default-values.yaml", "--set", "replicaCount=12")
                .get("StatefulSet", FULLNAME).at("/spec/replicas").asInt()).isEqualTo(12);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "replicaCount=13                                  | replicaCount 13 exceeds inputPartitions 12",
            "kafka.bootstrapServers=                          | kafka.bootstrapServers is required",
            "kafka.sasl.enabled=true                          | kafka.sasl.enabled needs kafka.sasl.existingSecret",
            "config.bootstrap-servers=x:1                     | config.bootstrap-servers is set by the chart: use kafka.bootstrapServers",
            "config.kafka.acks=all                            | config.kafka is set by the chart",
            "kafka.tls.certKey=tls.crt                        | mutual TLS needs kafka.tls.existingSecret with both",
    })
    void invalidValuesFailWithAMessageSayingWhatToDo(String setting, String message) {
        List<String> arguments = new ArrayList<>(List.of("template", RELEASE, chart().toString(),
                "-f", chart().resolve("ci/default-values.yaml").toString(), "--set", setting));
        if (setting.startsWith("kafka.tls.")) {
            arguments.addAll(List.of("--set", "kafka.tls.enabled=true"));
        }
        Helm.Result result = helm.run(arguments);
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains(message);
    }
}
