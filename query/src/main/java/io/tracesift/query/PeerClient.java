package io.tracesift.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

/**
 * Asks another instance's {@code /internal/query/<op>}, forwarding the caller's credential and the resolved
 * tenant in {@code X-Scope-OrgID}, so the peer checks the credential itself and applies the same scope.
 */
final class PeerClient {
    static final String PATH = "/internal/query/";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    CompletableFuture<JsonNode> get(Cluster.Host host, String op, Map<String, String> params, TenantScope.Scoped scope,
                                    Duration timeout) {
        StringJoiner query = new StringJoiner("&");
        params.forEach((k, v) -> query.add(enc(k) + "=" + enc(v)));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + PATH + op + "?" + query))
                .timeout(timeout)
                .header(scope.credentialHeader(), scope.credentialValue())
                .header(TenantScope.ORG_HEADER, scope.tenant().value())
                .GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + " from " + host + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            try {
                return JaegerJson.MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
