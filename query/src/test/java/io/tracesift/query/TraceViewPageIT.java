package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace view page in headless Chromium (Debian's chromium and chromium-driver) against a real HTTP server
 * over query stores: ask for the key, search, see failed and slow traces stand out, open a trace, click the
 * failing span, read its exception; then a 10,000-span, 30-minute trace rendered only where visible.
 * Screenshots go to target/screenshots/.
 */
class TraceViewPageIT {
    static final String KEY = TenantScopeTest.ACME_KEY;
    static final Path SHOTS = Path.of("target", "screenshots");
    static final String FAILED = TestTraces.id(1);
    static final String SLOW = TestTraces.id(2);
    static final String BIG = TestTraces.id(3);
    static final int BIG_SPANS = 10_000;

    static TopologyTestDriver driver;
    static HttpServer server;
    static ChromeDriver browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        long t0 = (now.toEpochMilli() - 40 * 60_000L) * 1_000_000;
        QuerySettings settings = new QuerySettings(QuerySettings.DEFAULT_RETENTION, Duration.ofMinutes(1), 100, 1500,
                Duration.ofSeconds(5), TenantScopeTest.KEYS);
        driver = RecentTracesTest.driver(settings, now);
        RecentTracesTest.send(driver, "acme", FAILED, failedCheckout(t0), now);
        RecentTracesTest.send(driver, "acme", SLOW, TestTraces.trace(SLOW, t0 + 60_000_000_000L)
                .span("frontend", 0, -1, "GET /report", 0, 4200, false)
                .span("reports", 1, 0, "render", 200, 4100, false).request(), now);
        for (int i = 0; i < 4; i++) {
            String id = TestTraces.id(10 + i);
            RecentTracesTest.send(driver, "acme", id, TestTraces.trace(id, t0 + (i + 2) * 60_000_000_000L)
                    .span("frontend", 0, -1, "GET /home", 0, 40 + i, false)
                    .span("cart", 1, 0, "load-cart", 5, 30, false).request(), now);
        }
        RecentTracesTest.send(driver, "acme", BIG, bigWorkflow(t0), now);

        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Cluster.Host self = new Cluster.Host("127.0.0.1", server.getAddress().getPort());
        InternalApi internal = new InternalApi(RecentTracesTest.storeOf(driver), OpenTraceSource.NONE);
        QueryHttp http = new QueryHttp(new ClusterTraceQueries(new QueryHttpTest.SingleInstance(self), internal,
                new PeerClient(), settings.timeout()), internal, settings, Clock.systemUTC());
        http.routes().forEach(r -> server.createContext(r.path(), r.handler()));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1500,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop(0);
        }
        if (driver != null) {
            driver.close();
        }
    }

    /** A checkout whose payment fails with an exception event carrying a stack trace. */
    static ExportTraceServiceRequest failedCheckout(long t0) {
        ExportTraceServiceRequest.Builder b = TestTraces.trace(FAILED, t0)
                .span("frontend", 0, -1, "POST /checkout", 0, 900, true, "http.route", "/checkout")
                .span("cart", 1, 0, "load-cart", 100, 300, false, "cart.items", "3")
                .span("payments", 2, 0, "charge", 350, 800, true, "payment.provider", "acme-pay")
                .request().toBuilder();
        Span.Builder charge = b.getResourceSpansBuilder(2).getScopeSpansBuilder(0).getSpansBuilder(0);
        charge.addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(t0 + 790_000_000L)
                .addAttributes(text("exception.type", "com.acme.pay.CardDeclinedException"))
                .addAttributes(text("exception.message", "card declined: insufficient funds"))
                .addAttributes(text("exception.stacktrace", "com.acme.pay.CardDeclinedException: card declined\n"
                        + "\tat com.acme.pay.Gateway.charge(Gateway.java:42)\n\tat com.acme.pay.Api.pay(Api.java:7)")));
        charge.addLinks(Span.Link.newBuilder().setTraceId(b.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId())
                .setSpanId(b.getResourceSpans(1).getScopeSpans(0).getSpans(0).getSpanId()));
        return b.build();
    }

    /** 10,000 spans over 30 minutes: an orchestrator, agents taking turns with idle waits between their tasks. */
    static ExportTraceServiceRequest bigWorkflow(long t0) {
        TestTraces t = TestTraces.trace(BIG, t0);
        long totalMs = 30 * 60_000L;
        t.span("orchestrator", 0, -1, "invoke_agent workflow", 0, totalMs, false, "gen_ai.operation.name", "invoke_agent");
        String[] agents = {"planner-agent", "research-agent", "coder-agent", "review-agent"};
        int tasks = 9;
        long slot = totalMs / tasks;
        int number = 1;
        int perTask = (BIG_SPANS - 1) / tasks;
        for (int task = 0; task < tasks && number < BIG_SPANS; task++) {
            long start = task * slot;
            long busy = slot * 6 / 10; // the rest of each slot is an idle wait (a human, a queue)
            int taskSpan = number++;
            String agent = agents[task % agents.length];
            t.span(agent, taskSpan, 0, "task " + task, start, start + busy, false, "gen_ai.agent.name", agent);
            for (int i = 0; i < perTask - 1 && number < BIG_SPANS; i++) {
                long s = start + (busy * i) / perTask;
                t.span(agent, number++, taskSpan, i % 2 == 0 ? "chat gpt-4o" : "execute_tool search", s, s + busy / perTask, false);
            }
        }
        while (number < BIG_SPANS) {
            t.span("orchestrator", number++, 0, "heartbeat", totalMs - 10, totalMs - 5, false);
        }
        return t.request();
    }

    private static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private void screenshot(String name) throws Exception {
        browser.executeScript("window.scrollTo(0, 0)");
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SHOTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private void enterKey() {
        browser.get(base + "/");
        browser.executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        WebElement dialog = waitUpTo(10).until(d -> {
            WebElement e = d.findElement(By.id("key-dialog"));
            return e.isDisplayed() ? e : null;
        });
        assertThat(dialog.getText()).contains("API key");
        browser.findElement(By.id("api-key")).sendKeys(KEY);
        browser.findElement(By.id("key-save")).click();
        waitUpTo(10).until(d -> new Select(d.findElement(By.id("service"))).getOptions().size() > 1);
    }

    @Test
    void searchOpenATraceAndClickTheFailingSpan() throws Exception {
        enterKey();
        assertThat(new Select(browser.findElement(By.id("service"))).getOptions()).extracting(WebElement::getText)
                .contains("(all services)", "cart", "frontend", "payments", "orchestrator");
        assertThat(browser.findElement(By.id("key-dialog")).isDisplayed()).isFalse();
        screenshot("search-form.png");

        browser.findElement(By.id("find")).click();
        List<WebElement> results = waitUpTo(15).until(d -> {
            List<WebElement> r = d.findElements(By.cssSelector("#results .result"));
            return r.size() == 7 ? r : null;
        });
        WebElement failed = browser.findElement(By.cssSelector(".result[data-trace-id='" + FAILED + "']"));
        assertThat(failed.getAttribute("class")).contains("failed");
        assertThat(failed.getText()).contains("frontend: POST /checkout").contains("900.0ms").contains("2 errors");
        WebElement slow = browser.findElement(By.cssSelector(".result[data-trace-id='" + SLOW + "']"));
        assertThat(slow.getAttribute("class")).contains("slow").doesNotContain("failed");
        assertThat(slow.getText()).contains("4.20s");
        assertThat(results.get(0).getAttribute("data-trace-id")).as("newest first").isEqualTo(TestTraces.id(13));
        assertThat(results.get(6).getAttribute("data-trace-id")).as("oldest last").isIn(FAILED, BIG);
        assertThat(browser.findElement(By.cssSelector(".result[data-trace-id='" + TestTraces.id(10) + "']"))
                .getAttribute("class")).isEqualTo("result");
        assertThat(browser.findElement(By.id("search-status")).getText()).isEqualTo("7 traces");

        failed.click();
        waitUpTo(10).until(d -> d.findElement(By.id("trace")).isDisplayed()
                && d.findElements(By.cssSelector("#rows .row:not([hidden])")).size() == 3);
        assertThat(browser.findElement(By.id("trace-title")).getText()).isEqualTo("frontend: POST /checkout");
        assertThat(browser.findElement(By.id("legend")).getText()).contains("frontend").contains("cart").contains("payments");
        List<String> colours = browser.findElements(By.cssSelector("#legend i")).stream()
                .map(e -> e.getCssValue("background-color")).distinct().toList();
        assertThat(colours).hasSize(3);
        WebElement charge = browser.findElements(By.cssSelector("#rows .row:not([hidden])")).stream()
                .filter(r -> r.getText().contains("charge")).findFirst().orElseThrow();
        assertThat(charge.getAttribute("class")).contains("err");

        charge.click();
        WebElement detail = waitUpTo(5).until(d -> {
            WebElement e = d.findElement(By.id("detail"));
            return e.isDisplayed() ? e : null;
        });
        assertThat(detail.findElement(By.cssSelector(".detail-title")).getText()).isEqualTo("payments · charge");
        assertThat(detail.findElement(By.cssSelector(".exception .message")).getText())
                .isEqualTo("com.acme.pay.CardDeclinedException: card declined: insufficient funds");
        assertThat(detail.findElement(By.cssSelector(".exception .stacktrace")).getText())
                .contains("at com.acme.pay.Gateway.charge(Gateway.java:42)");
        assertThat(detail.getText()).contains("payment.provider").contains("acme-pay").contains("Events (1)")
                .contains("Links (1)").contains("otel.status_code");
        screenshot("trace-view.png");

        detail.findElement(By.cssSelector(".links a")).click();
        waitUpTo(5).until(d -> d.findElement(By.cssSelector(".detail-title")).getText().equals("cart · load-cart"));
    }

    @Test
    void aTenThousandSpanThirtyMinuteTraceRendersOnlyWhatIsVisible() throws Exception {
        enterKey();
        WebElement id = browser.findElement(By.id("trace-id"));
        id.clear();
        id.sendKeys(BIG);
        long started = System.nanoTime();
        browser.findElement(By.id("lookup")).click();
        waitUpTo(30).until(d -> d.findElement(By.id("trace-title")).getText().equals("orchestrator: invoke_agent workflow"));
        long openMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(browser.findElement(By.id("trace-meta")).getText()).contains("10000 spans").contains("Duration 30m 0s");
        int rendered = browser.findElements(By.cssSelector("#rows .row")).size();
        assertThat(rendered).as("row elements in the DOM for 10,000 spans").isBetween(20, 120);
        assertThat(browser.findElements(By.cssSelector("#gaps .gap"))).as("idle gaps between agent tasks").hasSizeGreaterThanOrEqualTo(8);
        assertThat(browser.findElement(By.cssSelector("#gaps .gap")).getAttribute("title")).startsWith("idle ");

        JavascriptExecutor js = browser;
        long scrollStarted = System.nanoTime();
        for (int i = 1; i <= 20; i++) {
            js.executeScript("const w = document.getElementById('waterfall'); w.scrollTop = w.scrollHeight * arguments[0] / 20;", i);
        }
        js.executeScript("return new Promise(r => requestAnimationFrame(() => r()))");
        long scrollMs = (System.nanoTime() - scrollStarted) / 1_000_000;
        waitUpTo(5).until(d -> !d.findElements(By.cssSelector("#rows .row[data-index='" + (BIG_SPANS - 1) + "']:not([hidden])")).isEmpty());
        // The row pool may grow a little with the viewport, but never towards the span count.
        assertThat(browser.findElements(By.cssSelector("#rows .row")).size()).as("row elements after scrolling").isBetween(20, 120);
        screenshot("big-trace.png");
        System.out.printf("10,000-span trace: opened in %d ms (fetch + render), 20 scroll jumps in %d ms, %d row elements%n",
                openMs, scrollMs, rendered);
    }

    @Test
    void aWrongKeyIsAskedForAgain() {
        browser.get(base + "/");
        browser.executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        waitUpTo(10).until(d -> d.findElement(By.id("key-dialog")).isDisplayed());
        browser.findElement(By.id("api-key")).sendKeys("wrong-key-000000");
        browser.findElement(By.id("key-save")).click();
        WebElement error = waitUpTo(10).until(d -> {
            WebElement e = d.findElement(By.id("key-error"));
            return e.isDisplayed() ? e : null;
        });
        assertThat(error.getText()).isEqualTo("invalid credential: the API key is not known");
        assertThat(browser.findElements(By.cssSelector("#service option"))).hasSize(1);
    }
}
