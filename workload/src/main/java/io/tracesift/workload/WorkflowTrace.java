package io.tracesift.workload;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * One multi-agent workflow, built span by span on a timeline, following OpenTelemetry semantic conventions
 * (HTTP, database, messaging, GenAI). Deterministic: every choice comes from the given {@link Random}.
 *
 * <p>Shape: an HTTP request to {@code workflow-api} starts a run in {@code orchestrator}, which plans with an
 * LLM and then hands agent tasks over Kafka to {@code agent-worker}; agents chat with models and call tools
 * backed by other services and databases. A failing workflow aborts at the failing task and answers 500.
 */
final class WorkflowTrace {
    /** An SDK exports ended spans on a schedule (default 5 s); spans of one window travel together. */
    static final long EXPORT_WINDOW_NANOS = 5_000_000_000L;

    private static final HexFormat HEX = HexFormat.of();
    private static final String[] WORKFLOW_TYPES = {"customer-support", "research-report", "invoice-dispute",
            "onboarding"};

    enum Size { NORMAL, LONG_RUNNING, HUGE }

    private enum Scope {
        HTTP_SERVER("io.opentelemetry.tomcat-10.0", "2.10.0-alpha"),
        HTTP_CLIENT("io.opentelemetry.java-http-client", "2.10.0-alpha"),
        DB("io.opentelemetry.jdbc", "2.10.0-alpha"),
        MESSAGING("io.opentelemetry.kafka-clients-2.6", "2.10.0-alpha"),
        GENAI("opentelemetry.instrumentation.openai_v2", "2.1b0"),
        AGENT("io.tracesift.agents", "0.9.2");

        final InstrumentationScope proto;

        Scope(String name, String version) {
            this.proto = InstrumentationScope.newBuilder().setName(name).setVersion(version).build();
        }
    }

    private enum Service {
        API("workflow-api", "2.14.1", "java"),
        ORCHESTRATOR("orchestrator", "1.8.0", "java"),
        WORKER("agent-worker", "1.8.0", "java"),
        SEARCH("search-service", "3.2.7", "java"),
        BILLING("billing-service", "5.0.2", "java");

        final String serviceName;
        final String version;
        final String language;

        Service(String serviceName, String version, String language) {
            this.serviceName = serviceName;
            this.version = version;
            this.language = language;
        }
    }

    private record Model(String name, String provider, String host) {}

    private static final Model[] MODELS = {
            new Model("gpt-4o", "openai", "api.openai.com"),
            new Model("gpt-4o-mini", "openai", "api.openai.com"),
            new Model("claude-sonnet-4", "anthropic", "api.anthropic.com")};

    private record Agent(String name, String tool) {}

    private static final Agent[] AGENTS = {
            new Agent("researcher", "web_search"),
            new Agent("support", "lookup_customer"),
            new Agent("billing", "create_invoice"),
            new Agent("writer", null)};

    private final Random rng;
    private final GeneratorSettings settings;
    private final String tenant;
    private final ByteString traceId;
    private final long startNanos;
    private final Size size;
    private final boolean failing;
    private final boolean slow;
    private final List<SpanDraft> spans = new ArrayList<>();
    private final Resource[] resources = new Resource[Service.values().length];
    private boolean slowPending;

    private WorkflowTrace(Random rng, GeneratorSettings settings, long startNanos) {
        this.rng = rng;
        this.settings = settings;
        this.startNanos = startNanos;
        this.tenant = settings.tenants().get(rng.nextInt(settings.tenants().size()));
        byte[] id = new byte[16];
        rng.nextBytes(id);
        this.traceId = ByteString.copyFrom(id);
        double sizeDraw = rng.nextDouble();
        this.size = sizeDraw < settings.hugeTraceRate() ? Size.HUGE
                : sizeDraw < settings.hugeTraceRate() + settings.longRunningRate() ? Size.LONG_RUNNING : Size.NORMAL;
        this.failing = rng.nextDouble() < settings.errorRate();
        this.slow = rng.nextDouble() < settings.slowRate();
    }

    /** Builds one workflow starting at {@code startNanos} and cuts it into batches in export order. */
    static List<TraceBatch> generate(Random rng, GeneratorSettings settings, long startNanos) {
        WorkflowTrace trace = new WorkflowTrace(rng, settings, startNanos);
        trace.build();
        return trace.batches();
    }

    private void build() {
        String type = WORKFLOW_TYPES[rng.nextInt(WORKFLOW_TYPES.length)];
        String runId = hex(8);
        SpanDraft root = span(Service.API, Scope.HTTP_SERVER, "POST /v1/workflows/{type}", SpanKind.SPAN_KIND_SERVER,
                null, startNanos);
        root.httpServer("POST", "/v1/workflows/{type}", "/v1/workflows/" + type, "api." + tenant + ".example.com", 443);
        root.attr("user_agent.original", "tracesift-client/1.4 (python 3.12; linux x86_64) httpx/0.27.2");
        root.attr("client.address", "10.42." + rng.nextInt(256) + "." + rng.nextInt(256));
        root.attr("workflow.type", type);
        root.attr("workflow.run.id", runId);

        SpanDraft call = span(Service.API, Scope.HTTP_CLIENT, "POST", SpanKind.SPAN_KIND_CLIENT, root,
                root.start + micros(200, 900));
        call.httpClient("POST", "http://orchestrator:8080/workflows/" + type + "/runs?run=" + runId, "orchestrator",
                8080);
        SpanDraft run = span(Service.ORCHESTRATOR, Scope.HTTP_SERVER, "POST /workflows/{type}/runs",
                SpanKind.SPAN_KIND_SERVER, call, call.start + micros(300, 1500));
        run.httpServer("POST", "/workflows/{type}/runs", "/workflows/" + type + "/runs", "orchestrator", 8080);

        long t = run.start + micros(200, 800);
        t = database(Service.ORCHESTRATOR, run, t, "postgresql", "workflows", "SELECT", "workflow_definitions",
                "SELECT id, version, graph, timeout_seconds FROM workflow_definitions WHERE type = $1 AND tenant_id = $2"
                        + " ORDER BY version DESC LIMIT 1", false).end;
        SpanDraft planner = invokeAgent(Service.ORCHESTRATOR, run, t, "planner");
        planner.end = chat(Service.ORCHESTRATOR, planner, planner.start + micros(100, 400), false).end
                + micros(100, 400);
        t = planner.end;

        int tasks = switch (size) {
            case NORMAL -> 1 + rng.nextInt(2);
            case LONG_RUNNING -> 4 + rng.nextInt(5);
            case HUGE -> 2;
        };
        int failingTask = failing ? rng.nextInt(tasks) : -1;
        int slowTask = slow ? rng.nextInt(tasks) : -1;
        int hugeTask = size == Size.HUGE ? rng.nextInt(tasks) : -1;
        long idleGap = size == Size.LONG_RUNNING
                ? (long) (settings.longRunningDuration().toNanos() / (double) tasks / settings.timeCompression())
                : 0;
        boolean aborted = false;
        for (int task = 0; task < tasks && !aborted; task++) {
            t += idleGap;
            slowPending = task == slowTask;
            SpanDraft consumer = agentTask(run, t, task == hugeTask ? new Agent("indexer", "bulk_reindex")
                    : AGENTS[rng.nextInt(AGENTS.length)], task == failingTask);
            t = consumer.end + micros(300, 2000);
            aborted = task == failingTask;
        }
        if (!aborted) {
            t = database(Service.ORCHESTRATOR, run, t, "postgresql", "workflows", "INSERT", "workflow_runs",
                    "INSERT INTO workflow_runs (id, tenant_id, type, status, finished_at, result) VALUES ($1, $2, $3,"
                            + " 'succeeded', now(), $4)", false).end;
        }
        run.end = t + micros(200, 900);
        call.end = run.end + micros(300, 1200);
        root.end = call.end + micros(200, 700);
        if (aborted) {
            for (SpanDraft s : List.of(run, call, root)) {
                s.httpStatus = 500;
                s.error("500", null);
            }
        }
    }

    /** Publishes one agent task to Kafka; the worker's consumer span is a child of the send and links to it. */
    private SpanDraft agentTask(SpanDraft run, long start, Agent agent, boolean fail) {
        SpanDraft send = span(Service.ORCHESTRATOR, Scope.MESSAGING, "send agent-tasks", SpanKind.SPAN_KIND_PRODUCER,
                run, start);
        messaging(send, "send", "send");
        send.end = send.start + micros(800, 4000);
        SpanDraft process = span(Service.WORKER, Scope.MESSAGING, "process agent-tasks", SpanKind.SPAN_KIND_CONSUMER,
                send, send.end + micros(2000, 40_000));
        messaging(process, "process", "process");
        process.attr("messaging.consumer.group.name", "agent-worker");
        process.links.add(Span.Link.newBuilder().setTraceId(traceId).setSpanId(send.spanId).build());

        SpanDraft agentSpan = invokeAgent(Service.WORKER, process, process.start + micros(100, 600), agent.name);
        long t = agentSpan.start + micros(100, 500);
        int steps = 1 + rng.nextInt(2);
        String failure = null;
        for (int step = 0; step < steps && failure == null; step++) {
            boolean lastStep = step == steps - 1;
            boolean failChat = fail && lastStep && (agent.tool == null || rng.nextBoolean());
            SpanDraft chat = chat(Service.WORKER, agentSpan, t, failChat);
            t = chat.end + micros(50, 300);
            failure = chat.errorType;
            if (agent.tool != null && failure == null) {
                SpanDraft tool = tool(agentSpan, t, agent.tool, fail && lastStep);
                t = tool.end + micros(50, 300);
                failure = tool.errorType;
            }
        }
        agentSpan.end = t;
        process.end = t + micros(200, 900);
        if (failure != null) {
            agentSpan.error(failure, null);
            process.error(failure, null);
        }
        return process;
    }

    private SpanDraft invokeAgent(Service service, SpanDraft parent, long start, String agent) {
        SpanDraft s = span(service, Scope.AGENT, "invoke_agent " + agent, SpanKind.SPAN_KIND_INTERNAL, parent, start);
        s.attr("gen_ai.operation.name", "invoke_agent");
        s.attr("gen_ai.agent.name", agent);
        s.attr("gen_ai.agent.id", "agt_" + agent + "_" + tenant);
        s.attr("gen_ai.provider.name", "openai");
        return s;
    }

    private SpanDraft chat(Service service, SpanDraft parent, long start, boolean fail) {
        Model model = MODELS[rng.nextInt(MODELS.length)];
        SpanDraft s = span(service, Scope.GENAI, "chat " + model.name, SpanKind.SPAN_KIND_CLIENT, parent, start);
        s.attr("gen_ai.operation.name", "chat");
        s.attr("gen_ai.provider.name", model.provider);
        s.attr("gen_ai.request.model", model.name);
        s.attr("gen_ai.request.temperature", 0.2 + rng.nextInt(6) / 10.0);
        s.attr("gen_ai.request.max_tokens", 4096L);
        s.attr("gen_ai.conversation.id", "conv_" + tenant + "_" + hex(10));
        s.attr("server.address", model.host);
        s.attr("server.port", 443L);
        s.end = start + millis(350, 2500) + slowExtra();
        if (fail) {
            s.end = start + millis(20, 400);
            s.attr("http.response.status_code", 429L);
            s.fail("openai.RateLimitError", "Error code: 429 - Rate limit reached for " + model.name
                    + " on tokens per min (TPM): Limit 30000, Used 29812, Requested 1841.", PYTHON_FRAMES);
            return s;
        }
        s.attr("gen_ai.response.model", model.name + "-2024-08-06");
        s.attr("gen_ai.response.id", "chatcmpl-" + hex(12));
        s.attr("gen_ai.response.finish_reasons", List.of(rng.nextInt(4) == 0 ? "tool_calls" : "stop"));
        s.attr("gen_ai.usage.input_tokens", (long) (200 + rng.nextInt(3800)));
        s.attr("gen_ai.usage.output_tokens", (long) (40 + rng.nextInt(760)));
        return s;
    }

    private SpanDraft tool(SpanDraft agent, long start, String tool, boolean fail) {
        SpanDraft s = span(Service.WORKER, Scope.AGENT, "execute_tool " + tool, SpanKind.SPAN_KIND_INTERNAL, agent,
                start);
        s.attr("gen_ai.operation.name", "execute_tool");
        s.attr("gen_ai.tool.name", tool);
        s.attr("gen_ai.tool.type", "function");
        s.attr("gen_ai.tool.call.id", "call_" + hex(12));
        long t = start + micros(100, 400);
        SpanDraft failed = null;
        switch (tool) {
            case "web_search" -> {
                SpanDraft client = span(Service.WORKER, Scope.HTTP_CLIENT, "GET", SpanKind.SPAN_KIND_CLIENT, s, t);
                client.httpClient("GET", "http://search-service:8080/v1/search?q=" + hex(6) + "&limit=20",
                        "search-service", 8080);
                SpanDraft server = span(Service.SEARCH, Scope.HTTP_SERVER, "GET /v1/search", SpanKind.SPAN_KIND_SERVER,
                        client, t + micros(300, 1200));
                server.httpServer("GET", "/v1/search", "/v1/search", "search-service", 8080);
                long u = database(Service.SEARCH, server, server.start + micros(100, 300), "redis", "0", "GET", null,
                        "GET search:" + tenant + ":" + hex(8), false).end;
                SpanDraft query = database(Service.SEARCH, server, u + micros(50, 200), "postgresql", "search",
                        "SELECT", "documents", "SELECT id, title, ts_rank(body_tsv, q) AS rank FROM documents,"
                                + " plainto_tsquery($1) q WHERE tenant_id = $2 AND body_tsv @@ q ORDER BY rank DESC"
                                + " LIMIT 20", fail);
                server.end = query.end + micros(200, 800);
                client.end = server.end + micros(300, 1200);
                if (fail) {
                    failed = query;
                    server.httpStatus = 500;
                    server.error("500", null);
                    client.httpStatus = 500;
                    client.error("500", null);
                }
                t = client.end;
            }
            case "lookup_customer" -> {
                SpanDraft query = database(Service.WORKER, s, t, "postgresql", "crm", "SELECT", "customers",
                        "SELECT c.id, c.name, c.plan, c.status, count(t.id) AS open_tickets FROM customers c LEFT JOIN"
                                + " tickets t ON t.customer_id = c.id AND t.state = 'open' WHERE c.tenant_id = $1 AND"
                                + " c.email = $2 GROUP BY c.id", fail);
                failed = fail ? query : null;
                t = query.end;
            }
            case "create_invoice" -> {
                SpanDraft client = span(Service.WORKER, Scope.HTTP_CLIENT, "POST", SpanKind.SPAN_KIND_CLIENT, s, t);
                client.httpClient("POST", "http://billing-service:8080/v1/invoices", "billing-service", 8080);
                SpanDraft server = span(Service.BILLING, Scope.HTTP_SERVER, "POST /v1/invoices",
                        SpanKind.SPAN_KIND_SERVER, client, t + micros(300, 1200));
                server.httpServer("POST", "/v1/invoices", "/v1/invoices", "billing-service", 8080);
                SpanDraft insert = database(Service.BILLING, server, server.start + micros(200, 600), "postgresql",
                        "billing", "INSERT", "invoices", "INSERT INTO invoices (id, tenant_id, customer_id, amount_cents,"
                                + " currency, due_date) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", fail);
                server.end = insert.end + micros(200, 800);
                client.end = server.end + micros(300, 1200);
                if (fail) {
                    failed = insert;
                    server.httpStatus = 500;
                    server.error("500", null);
                    client.httpStatus = 500;
                    client.error("500", null);
                }
                t = client.end;
            }
            case "bulk_reindex" -> {
                int rows = settings.hugeTraceSpans();
                for (int i = 0; i < rows; i++) {
                    SpanDraft insert = database(Service.WORKER, s, t, "postgresql", "search", "INSERT",
                            "search_index", "INSERT INTO search_index (doc_id, tenant_id, chunk, embedding) VALUES ($1,"
                                    + " $2, $3, $4) ON CONFLICT (doc_id, chunk) DO UPDATE SET embedding ="
                                    + " excluded.embedding", fail && i == rows - 1);
                    failed = insert.failed ? insert : null;
                    t = insert.end + micros(20, 200);
                }
            }
            default -> throw new IllegalStateException("unknown tool " + tool);
        }
        s.end = t + micros(50, 300);
        if (failed != null) {
            s.error(failed.errorType, null);
        }
        return s;
    }

    private SpanDraft database(Service service, SpanDraft parent, long start, String system, String namespace,
                               String operation, String collection, String query, boolean fail) {
        String name = collection == null ? operation : operation + " " + collection;
        SpanDraft s = span(service, Scope.DB, name, SpanKind.SPAN_KIND_CLIENT, parent, start);
        s.attr("db.system.name", system);
        s.attr("db.namespace", namespace);
        s.attr("db.operation.name", operation);
        if (collection != null) {
            s.attr("db.collection.name", collection);
        }
        s.attr("db.query.text", query);
        s.attr("server.address", system.equals("redis") ? "redis-master.data.svc" : "pg-primary.data.svc");
        s.attr("server.port", system.equals("redis") ? 6379L : 5432L);
        s.end = start + (system.equals("redis") ? micros(150, 1200) : micros(600, 9000)) + slowExtra();
        if (fail) {
            s.end = start + millis(1000, 5000);
            s.fail("org.postgresql.util.PSQLException", "ERROR: canceling statement due to statement timeout",
                    JAVA_FRAMES);
        }
        return s;
    }

    private void messaging(SpanDraft s, String operationType, String operationName) {
        s.attr("messaging.system", "kafka");
        s.attr("messaging.destination.name", "agent-tasks");
        s.attr("messaging.operation.type", operationType);
        s.attr("messaging.operation.name", operationName);
        s.attr("messaging.destination.partition.id", String.valueOf(rng.nextInt(12)));
        s.attr("messaging.kafka.message.key", tenant);
        s.attr("server.address", "kafka-0.kafka.svc");
    }

    private long slowExtra() {
        if (!slowPending) {
            return 0;
        }
        slowPending = false;
        return millis(5_000, 30_000);
    }

    private SpanDraft span(Service service, Scope scope, String name, SpanKind kind, SpanDraft parent, long start) {
        byte[] id = new byte[8];
        rng.nextBytes(id);
        SpanDraft s = new SpanDraft(service, scope, name, kind, ByteString.copyFrom(id), parent, start);
        int thread = 1 + rng.nextInt(32);
        s.attr("thread.name", (scope == Scope.HTTP_SERVER ? "http-nio-8080-exec-" : "worker-pool-1-thread-") + thread);
        s.attr("code.function.name", "io.tracesift.agents." + service.serviceName.replace('-', '.') + "."
                + scope.name().toLowerCase(java.util.Locale.ROOT) + ".handle");
        spans.add(s);
        return s;
    }

    private List<TraceBatch> batches() {
        // Group ended spans by export window; the root ends last, so it is in the final batch.
        TreeMap<Long, List<SpanDraft>> windows = new TreeMap<>();
        for (SpanDraft s : spans) {
            windows.computeIfAbsent((s.end - startNanos) / EXPORT_WINDOW_NANOS, w -> new ArrayList<>()).add(s);
        }
        String traceHex = HEX.formatHex(traceId.toByteArray());
        List<TraceBatch> batches = new ArrayList<>();
        for (List<SpanDraft> window : windows.values()) {
            long emitAt = window.stream().mapToLong(s -> s.end).max().orElseThrow();
            for (int from = 0; from < window.size(); from += settings.maxSpansPerBatch()) {
                List<SpanDraft> chunk = window.subList(from, Math.min(window.size(), from + settings.maxSpansPerBatch()));
                batches.add(new TraceBatch(tenant, traceHex, emitAt, chunk.size(), false, request(chunk)));
            }
        }
        TraceBatch last = batches.remove(batches.size() - 1);
        batches.add(new TraceBatch(last.tenant(), last.traceId(), last.emitAtNanos(), last.spanCount(), true,
                last.request()));
        return batches;
    }

    private ExportTraceServiceRequest request(List<SpanDraft> chunk) {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        for (Service service : Service.values()) {
            ResourceSpans.Builder resourceSpans = null;
            for (Scope scope : Scope.values()) {
                ScopeSpans.Builder scopeSpans = null;
                for (SpanDraft s : chunk) {
                    if (s.service == service && s.scope == scope) {
                        if (scopeSpans == null) {
                            scopeSpans = ScopeSpans.newBuilder().setScope(scope.proto);
                        }
                        scopeSpans.addSpans(s.toProto());
                    }
                }
                if (scopeSpans != null) {
                    if (resourceSpans == null) {
                        resourceSpans = ResourceSpans.newBuilder().setResource(resource(service))
                                .setSchemaUrl("https://opentelemetry.io/schemas/1.34.0");
                    }
                    resourceSpans.addScopeSpans(scopeSpans);
                }
            }
            if (resourceSpans != null) {
                request.addResourceSpans(resourceSpans);
            }
        }
        return request.build();
    }

    private Resource resource(Service service) {
        if (resources[service.ordinal()] == null) {
            String pod = service.serviceName + "-7d9f8c6b5-" + HEX.formatHex(new byte[] {(byte) rng.nextInt(4)});
            resources[service.ordinal()] = Resource.newBuilder()
                    .addAttributes(kv("service.name", service.serviceName))
                    .addAttributes(kv("service.namespace", "agents"))
                    .addAttributes(kv("service.version", service.version))
                    .addAttributes(kv("deployment.environment.name", "production"))
                    .addAttributes(kv("k8s.namespace.name", "agents-" + tenant))
                    .addAttributes(kv("k8s.pod.name", pod))
                    .addAttributes(kv("host.name", pod))
                    .addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
                    .addAttributes(kv("telemetry.sdk.language", service.language))
                    .addAttributes(kv("telemetry.sdk.version", "1.45.0"))
                    .addAttributes(kv("tenant.id", tenant))
                    .build();
        }
        return resources[service.ordinal()];
    }

    private long micros(long lo, long hi) {
        return (lo + (long) (rng.nextDouble() * (hi - lo))) * 1_000L;
    }

    private long millis(long lo, long hi) {
        return micros(lo * 1000, hi * 1000);
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        rng.nextBytes(b);
        return HEX.formatHex(b);
    }

    static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static final String[] JAVA_FRAMES = {
            "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2733)",
            "org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2420)",
            "org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:372)",
            "org.postgresql.jdbc.PgStatement.executeInternal(PgStatement.java:517)",
            "org.postgresql.jdbc.PgPreparedStatement.executeWithFlags(PgPreparedStatement.java:194)",
            "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery(HikariProxyPreparedStatement.java)",
            "io.tracesift.agents.tools.SqlTool.run(SqlTool.java:88)",
            "io.tracesift.agents.runtime.ToolExecutor.execute(ToolExecutor.java:142)",
            "io.tracesift.agents.runtime.AgentLoop.step(AgentLoop.java:97)",
            "io.tracesift.agents.worker.TaskListener.onMessage(TaskListener.java:61)",
            "java.base/java.lang.Thread.run(Thread.java:1583)"};

    private static final String[] PYTHON_FRAMES = {
            "File \"/app/agents/runtime/loop.py\", line 118, in step\n    reply = await self.llm.chat(messages)",
            "File \"/app/agents/llm/client.py\", line 64, in chat\n    return await self._client.chat.completions.create(**kw)",
            "File \"/usr/local/lib/python3.12/site-packages/openai/_base_client.py\", line 1584, in request\n"
                    + "    return await self._request(cast_to=cast_to, options=options)",
            "File \"/usr/local/lib/python3.12/site-packages/openai/_base_client.py\", line 1685, in _request\n"
                    + "    raise self._make_status_error_from_response(err.response) from None"};

    /** A span under construction; attributes that depend on the outcome are added by {@link #toProto()}. */
    private final class SpanDraft {
        final Service service;
        final Scope scope;
        final String name;
        final SpanKind kind;
        final ByteString spanId;
        final SpanDraft parent;
        final long start;
        long end;
        int httpStatus;
        boolean failed;
        String errorType;
        String errorMessage;
        final List<KeyValue> attributes = new ArrayList<>();
        final List<Span.Event> events = new ArrayList<>();
        final List<Span.Link> links = new ArrayList<>();

        SpanDraft(Service service, Scope scope, String name, SpanKind kind, ByteString spanId, SpanDraft parent,
                  long start) {
            this.service = service;
            this.scope = scope;
            this.name = name;
            this.kind = kind;
            this.spanId = spanId;
            this.parent = parent;
            this.start = start;
            this.end = start;
        }

        void attr(String key, String value) {
            attributes.add(kv(key, value));
        }

        void attr(String key, long value) {
            attributes.add(KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build());
        }

        void attr(String key, double value) {
            attributes.add(KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value))
                    .build());
        }

        void attr(String key, List<String> values) {
            ArrayValue.Builder array = ArrayValue.newBuilder();
            values.forEach(v -> array.addValues(AnyValue.newBuilder().setStringValue(v)));
            attributes.add(KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setArrayValue(array))
                    .build());
        }

        void httpServer(String method, String route, String path, String host, long port) {
            attr("http.request.method", method);
            attr("http.route", route);
            attr("url.path", path);
            attr("url.scheme", port == 443 ? "https" : "http");
            attr("server.address", host);
            attr("server.port", port);
            attr("network.protocol.version", "1.1");
            attr("network.peer.address", "10.42." + rng.nextInt(256) + "." + rng.nextInt(256));
            attr("http.request.body.size", (long) (method.equals("POST") ? 200 + rng.nextInt(4000) : 0));
            attr("http.response.body.size", (long) (100 + rng.nextInt(20_000)));
            httpStatus = method.equals("POST") ? 201 : 200;
        }

        void httpClient(String method, String url, String host, long port) {
            attr("http.request.method", method);
            attr("url.full", url);
            attr("server.address", host);
            attr("server.port", port);
            attr("network.protocol.version", "1.1");
            httpStatus = method.equals("POST") ? 201 : 200;
        }

        /** Where the failure starts: an {@code exception} event with type, message and stack trace. */
        void fail(String type, String message, String[] frames) {
            int depth = Math.min(frames.length, 4 + rng.nextInt(frames.length - 3));
            StringBuilder stack = new StringBuilder(type).append(": ").append(message);
            for (int i = 0; i < depth; i++) {
                stack.append(frames == JAVA_FRAMES ? "\n\tat " : "\n  ").append(frames[i]);
            }
            events.add(Span.Event.newBuilder().setName("exception").setTimeUnixNano(end)
                    .addAttributes(kv("exception.type", type))
                    .addAttributes(kv("exception.message", message))
                    .addAttributes(kv("exception.stacktrace", stack.toString()))
                    .build());
            error(type, message);
            failed = true;
        }

        void error(String type, String message) {
            errorType = type;
            errorMessage = message;
        }

        /** W3C sampled flag, plus OTLP's "parent is remote known" bit and "is remote" when the parent is elsewhere. */
        private int flags() {
            boolean remoteParent = parent != null && parent.service != service;
            return 0x001 | 0x100 | (remoteParent ? 0x200 : 0);
        }

        Span toProto() {
            Span.Builder b = Span.newBuilder()
                    .setTraceId(traceId)
                    .setSpanId(spanId)
                    .setName(name)
                    .setKind(kind)
                    .setStartTimeUnixNano(start)
                    .setEndTimeUnixNano(end)
                    .setFlags(flags())
                    .addAllAttributes(attributes)
                    .addAllEvents(events)
                    .addAllLinks(links);
            if (parent != null) {
                b.setParentSpanId(parent.spanId);
            }
            if (httpStatus != 0) {
                b.addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
                        .setValue(AnyValue.newBuilder().setIntValue(httpStatus)));
            }
            if (errorType != null) {
                b.addAttributes(kv("error.type", errorType));
                Status.Builder status = Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR);
                if (errorMessage != null) {
                    status.setMessage(errorMessage);
                }
                b.setStatus(status);
            }
            return b.build();
        }
    }
}
