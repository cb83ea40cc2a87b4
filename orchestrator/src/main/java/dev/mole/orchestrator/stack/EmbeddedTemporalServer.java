package dev.mole.orchestrator.stack;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's Java test server on a gRPC port bound to one address. The stock {@code TestServer} main binds every
 * interface, so the services are mounted on our own loopback-bound server instead. Time skipping is locked: this is a
 * platform, not a unit test. The server keeps history in memory; durable state lives in PostgreSQL and the object store.
 */
final class EmbeddedTemporalServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedTemporalServer.class);
    private final TestServicesStarter services;
    private final Server server;
    private final String target;

    private EmbeddedTemporalServer(TestServicesStarter services, Server server, String target) {
        this.services = services;
        this.server = server;
        this.target = target;
    }

    static EmbeddedTemporalServer start(String bindAddress, int port) {
        PortGuard.requireFree(bindAddress, port, "embedded Temporal server", "MOLE_TEMPORAL_PORT");
        TestServicesStarter services = new TestServicesStarter(true, 0);
        try {
            ServerBuilder<?> builder = NettyServerBuilder.forAddress(new InetSocketAddress(bindAddress, port));
            GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
            Server server = builder.build().start();
            String target = bindAddress + ":" + server.getPort();
            log.info("embedded Temporal test server on {}", target);
            return new EmbeddedTemporalServer(services, server, target);
        } catch (IOException e) {
            services.close();
            throw new StackStartException("embedded Temporal server did not start on " + bindAddress + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    String target() {
        return target;
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
        services.close();
    }
}
