package dev.mole.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process's operations endpoints, on the JDK's HTTP server at {@link OpsSettings} (loopback unless configured):
 * <ul>
 *   <li>{@code GET /health}: 200 while the process runs (liveness);
 *   <li>{@code GET /ready}: 200 when every {@link ReadinessCheck} answers, else 503; the JSON body names each check
 *       and, for one that failed, why;
 *   <li>{@code GET /metrics}: Prometheus text format: the meters this process's code registers on Micrometer's global
 *       registry (training, sandbox) plus the binders given here (read on scrape: runs by state, queue backlogs).
 * </ul>
 * See docs/architecture.md, "Operability".
 */
public final class OpsServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    private final String process;
    private final List<ReadinessCheck> checks;

    private OpsServer(HttpServer http, ExecutorService executor, PrometheusMeterRegistry registry, String process,
            List<ReadinessCheck> checks) {
        this.http = http;
        this.executor = executor;
        this.registry = registry;
        this.process = process;
        this.checks = checks;
    }

    /** @param process what this process is ({@code platform}, {@code cpu-worker}, ...), reported by /health */
    public static OpsServer start(OpsSettings settings, String process, List<ReadinessCheck> checks,
            List<MeterBinder> binders) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve health and metrics on " + settings.bindAddress() + ":"
                    + settings.port() + " (" + e.getMessage() + "); set MOLE_OPS_PORT to a free port, 0 for any", e);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("process", process);
        new JvmMemoryMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        binders.forEach(b -> b.bindTo(registry));
        // Event meters (training steps, sandbox verdicts) are registered globally by the code that sees the events.
        Metrics.globalRegistry.add(registry);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        OpsServer server = new OpsServer(http, executor, registry, process, List.copyOf(checks));
        http.setExecutor(executor);
        http.createContext("/health", ex -> server.answer(ex, 200, "application/json",
                json(Map.of("status", "up", "process", process))));
        http.createContext("/ready", server::ready);
        http.createContext("/metrics", ex -> server.answer(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape()));
        http.start();
        return server;
    }

    public URI url() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    /** One line for a process's start-up banner. */
    public String describe() {
        return "health, readiness and metrics of " + process + " at " + url() + " (/health /ready /metrics)";
    }

    /** The checks, run in parallel, each bounded by {@link ReadinessCheck#TIMEOUT_SECONDS}. */
    Readiness readiness() {
        Map<String, Future<?>> running = new LinkedHashMap<>();
        for (ReadinessCheck c : checks) {
            running.put(c.name(), executor.submit(() -> {
                c.probe().run();
                return null;
            }));
        }
        Map<String, String> result = new LinkedHashMap<>();
        running.forEach((name, f) -> result.put(name, outcome(f)));
        return new Readiness(result);
    }

    private static String outcome(Future<?> f) {
        try {
            f.get(ReadinessCheck.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return Readiness.OK;
        } catch (TimeoutException e) {
            f.cancel(true);
            return "no answer within " + ReadinessCheck.TIMEOUT_SECONDS + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = cause.getMessage();
            return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
        }
    }

    private void ready(HttpExchange ex) throws IOException {
        Readiness r = readiness();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", r.ready() ? "ready" : "not ready");
        body.put("process", process);
        if (!r.ready()) {
            body.put("notReady", r.failing());
        }
        body.put("checks", r.checks());
        answer(ex, r.ready() ? 200 : 503, "application/json", json(body));
    }

    private void answer(HttpExchange ex, int status, String contentType, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                byte[] b = "{\"error\":\"only GET\"}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, b.length);
                ex.getResponseBody().write(b);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        Metrics.globalRegistry.remove(registry);
        http.stop(0);
        executor.shutdownNow();
        registry.close();
    }

    /** Each check's outcome: {@link #OK} or why it is not ready. */
    record Readiness(Map<String, String> checks) {
        static final String OK = "ok";

        boolean ready() {
            return checks.values().stream().allMatch(OK::equals);
        }

        List<String> failing() {
            return checks.entrySet().stream().filter(e -> !OK.equals(e.getValue())).map(Map.Entry::getKey).toList();
        }
    }
}
