package dev.mole.console;

import dev.mole.console.internal.ConsoleConfiguration;
import dev.mole.console.internal.HostHeaderGuard;
import dev.mole.console.internal.RegistryAuth;
import dev.mole.registry.AdapterRegistry;
import dev.mole.orchestrator.CurationService;
import dev.mole.orchestrator.EvaluationService;
import dev.mole.orchestrator.ExperimentService;
import dev.mole.orchestrator.experiment.ExperimentComparisons;
import dev.mole.orchestrator.FinetuneService;
import dev.mole.orchestrator.evaluation.EvaluationCatalog;
import dev.mole.orchestrator.finetune.FinetuneCatalog;
import dev.mole.orchestrator.finetune.FinetuneOrders;
import dev.mole.orchestrator.datasets.DatasetCatalog;
import dev.mole.orchestrator.platform.Platform;
import dev.mole.contracts.storage.BlobStore;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The web console and its JSON API, served from an embedded Tomcat inside the process that owns the {@link Platform}.
 * The console holds no state of its own: every answer is read from the platform's catalog, object store or Temporal.
 */
public final class ConsoleServer implements AutoCloseable {
    /**
     * Tomcat logs through java.util.logging; without Spring's logging system (see {@link #start}) its INFO lines would
     * go to stderr. JUL holds loggers weakly, so the quieted ones are kept here.
     */
    private static final List<Logger> QUIETED_JUL_LOGGERS = List.of(
            Logger.getLogger("org.apache.catalina"), Logger.getLogger("org.apache.coyote"),
            Logger.getLogger("org.apache.tomcat"));

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleServer.class);

    private final ConfigurableApplicationContext context;
    private final String bindAddress;
    private final int port;

    private ConsoleServer(ConfigurableApplicationContext context, String bindAddress, int port) {
        this.context = context;
        this.bindAddress = bindAddress;
        this.port = port;
    }

    /**
     * Starts the console on {@code bindAddress:port}; port 0 takes a free port (see {@link #port()}). Nothing listens
     * beyond {@code bindAddress}, so the loopback default keeps the unauthenticated console on this machine.
     */
    public static ConsoleServer start(Platform platform, String bindAddress, int port) {
        return start(platform, bindAddress, port, registryReadsNeedToken());
    }

    /**
     * As {@link #start(Platform, String, int)}; {@code registryReadsNeedToken} makes the registry API ask a bearer token
     * of reads too (writes always need one). The 3-argument form reads it from {@code Setting.REGISTRY_READS_NEED_TOKEN}.
     */
    public static ConsoleServer start(Platform platform, String bindAddress, int port, boolean registryReadsNeedToken) {
        long startedAt = System.nanoTime();
        requireBindable(bindAddress, port);
        QUIETED_JUL_LOGGERS.forEach(l -> l.setLevel(Level.WARNING));
        SpringApplication app = new SpringApplicationBuilder(ConsoleConfiguration.class)
                .web(WebApplicationType.SERVLET)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false) // the host closes it, before the platform it reads from
                .properties(properties(bindAddress, port))
                .initializers(ctx -> registerPlatformBeans((GenericApplicationContext) ctx, platform, bindAddress,
                        registryReadsNeedToken))
                .build();
        // The host process owns logging (its own logback configuration); Spring's logging listener would reset the
        // whole logback context to Spring's defaults.
        List<ApplicationListener<?>> listeners = app.getListeners().stream()
                .filter(l -> !(l instanceof LoggingApplicationListener)).toList();
        app.setListeners(listeners);
        ConfigurableApplicationContext context;
        try {
            context = app.run();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the console on " + bindAddress + ":" + port + ": "
                    + rootMessage(e), e);
        }
        int actualPort = ((WebServerApplicationContext) context).getWebServer().getPort();
        ConsoleServer server = new ConsoleServer(context, bindAddress, actualPort);
        LOG.info("console on {} (started in {} ms)", server.url(), (System.nanoTime() - startedAt) / 1_000_000);
        return server;
    }

    /**
     * Fails with one clear line when the address cannot be bound, before Spring starts: Spring would log a failure
     * report of its own and leave the host with a nested exception. (A port taken between this check and Tomcat's bind
     * still fails, through the catch in {@link #start}.)
     */
    private static void requireBindable(String bindAddress, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(bindAddress, port));
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage()).contains("in use")
                    ? "port " + port + " is already in use (choose another with mole.console.port)"
                    : e.getMessage();
            throw new IllegalStateException("cannot start the console on " + bindAddress + ":" + port + ": " + why, e);
        }
    }

    private static Map<String, Object> properties(String bindAddress, int port) {
        return Map.of(
                "server.address", bindAddress,
                "server.port", port,
                // Only this module's page, not whatever other jars keep under /static or /public.
                "spring.web.resources.static-locations", "classpath:/mole-console/",
                // A misspelt field in a request must be an error, not a silently applied default.
                "spring.jackson.deserialization.fail-on-unknown-properties", true,
                // Settings come from the platform, never from a stray application.properties on the classpath.
                "spring.config.name", "mole-console",
                "server.error.whitelabel.enabled", false,
                "spring.mvc.problemdetails.enabled", false,
                "springdoc.api-docs.path", "/api/v1/openapi.json",
                "springdoc.paths-to-match", "/api/v1/**");
    }

    private static boolean registryReadsNeedToken() {
        return Boolean.parseBoolean(dev.mole.contracts.config.Setting.REGISTRY_READS_NEED_TOKEN.read().orElse("false"));
    }

    private static void registerPlatformBeans(GenericApplicationContext ctx, Platform platform, String bindAddress,
                                              boolean registryReadsNeedToken) {
        // the registry's own JPA context lives and dies with the console (closed by Spring: AdapterRegistry.close)
        ctx.registerBean(AdapterRegistry.class, () -> AdapterRegistry.open(platform.dataSource(), platform.blobStore(),
                platform.bucket()));
        ctx.registerBean(RegistryAuth.class, () -> new RegistryAuth(ctx.getBean(AdapterRegistry.class), registryReadsNeedToken,
                ctx.getBean(com.fasterxml.jackson.databind.ObjectMapper.class)));
        ctx.registerBean(DatasetCatalog.class, () -> new DatasetCatalog(platform.dataSource()));
        ctx.registerBean(CurationService.class, () -> new CurationService(platform.workflowClient()));
        ctx.registerBean(FinetuneCatalog.class, () -> new FinetuneCatalog(platform.dataSource()));
        ctx.registerBean(FinetuneService.class, () -> new FinetuneService(platform.workflowClient()));
        ctx.registerBean(FinetuneOrders.class, () -> new FinetuneOrders(new DatasetCatalog(platform.dataSource()),
                platform.blobStore()));
        ctx.registerBean(EvaluationCatalog.class, () -> new EvaluationCatalog(platform.dataSource()));
        ctx.registerBean(EvaluationService.class, () -> new EvaluationService(platform.workflowClient(),
                platform.blobStore()));
        // The platform owns these and outlives the console: an empty destroy method keeps Spring from closing one that is
        // (or becomes) AutoCloseable when the console stops.
        ctx.registerBean(ExperimentService.class, () -> new ExperimentService(platform.workflowClient(),
                platform.blobStore(), platform.dataSource()));
        ctx.registerBean(ExperimentComparisons.class, () -> new ExperimentComparisons(platform.dataSource(),
                platform.blobStore()));
        ctx.registerBean(BlobStore.class, platform::blobStore, bd -> bd.setDestroyMethodName(""));
        ctx.registerBean(WorkflowClient.class, platform::workflowClient, bd -> bd.setDestroyMethodName(""));
        ctx.registerBean(HostHeaderGuard.class, () -> new HostHeaderGuard(bindAddress));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The registry the console's API serves (owned by the console: closed with it). */
    public AdapterRegistry registry() {
        return context.getBean(AdapterRegistry.class);
    }

    public int port() {
        return port;
    }

    /** The console's base URL, without a trailing slash. */
    public String url() {
        String host = bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
        if ("0.0.0.0".equals(bindAddress) || "::".equals(bindAddress)) {
            host = "127.0.0.1";
        }
        return "http://" + host + ":" + port;
    }

    @Override
    public void close() {
        context.close();
    }
}
