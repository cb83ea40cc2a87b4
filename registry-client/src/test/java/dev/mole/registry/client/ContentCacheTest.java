package dev.mole.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentCacheTest {
    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha(byte[] b) {
        return HexFormat.of().formatHex(ContentCache.sha256Digest().digest(b));
    }

    @Test
    void twoThreadsAndTwoProcessesFetchingOneFileEndWithTheOneVerifiedFile(@TempDir Path dir) throws Exception {
        byte[] data = bytes(4 << 20, 1);
        String sha = sha(data);
        AtomicInteger served = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/blob", ex -> {
            served.incrementAndGet();
            ex.sendResponseHeaders(200, data.length);
            try (OutputStream out = ex.getResponseBody()) {
                for (int off = 0; off < data.length; off += 64 << 10) { // slowly, so the fetches overlap
                    out.write(data, off, Math.min(64 << 10, data.length - off));
                    out.flush();
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/blob";
        Path cacheDir = dir.resolve("cache");
        try {
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Process> children = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                children.add(new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), CacheFetcher.class.getName(),
                        cacheDir.toString(), sha, Long.toString(data.length), url).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("child-" + i + ".log").toFile()).start());
            }
            ContentCache cache = new ContentCache(cacheDir);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Path>> threads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                threads.add(pool.submit(() -> {
                    go.await();
                    return cache.get(sha, data.length, "blob", () -> java.net.URI.create(url).toURL().openStream());
                }));
            }
            go.countDown();
            for (Future<Path> f : threads) assertThat(f.get()).isEqualTo(cache.pathOf(sha));
            pool.shutdown();
            for (int i = 0; i < children.size(); i++) {
                assertThat(children.get(i).waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(children.get(i).exitValue()).as(Files.readString(dir.resolve("child-" + i + ".log"))).isZero();
            }
            assertThat(sha(Files.readAllBytes(cache.pathOf(sha)))).isEqualTo(sha);
            try (Stream<Path> files = Files.walk(cacheDir)) {
                assertThat(files.filter(Files::isRegularFile).toList()).as("no .part file left").containsExactly(cache.pathOf(sha));
            }
            int before = served.get();
            cache.get(sha, data.length, "blob", () -> java.net.URI.create(url).toURL().openStream());
            assertThat(served.get()).as("a cached file is not fetched again").isEqualTo(before);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void bytesThatDoNotMatchTheirSha256AreNotCached(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(dir);
        byte[] good = bytes(1000, 2), bad = bytes(1000, 3);
        assertThatThrownBy(() -> cache.get(sha(good), good.length, "adapter-shared.safetensors", () -> new ByteArrayInputStream(bad)))
                .isInstanceOf(RegistryClientException.class).hasMessageContaining("adapter-shared.safetensors did not verify");
        assertThat(cache.contains(sha(good), good.length)).isFalse();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
        }
        assertThat(cache.get(sha(good), good.length, "x", () -> new ByteArrayInputStream(good))).exists();
    }
}
