package dev.mole.gpu.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.storage.ObjectRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both stores: the newest COMPLETE checkpoint wins; missing or damaged markers and parts are never taken for whole. */
class CheckpointStoreTest {

    static InProcessS3 s3;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        s3 = new InProcessS3(dir);
        s3.store.ensureBucket("checkpoints");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    static Map<String, byte[]> parts(long step) {
        Map<String, byte[]> p = new LinkedHashMap<>();
        p.put("state.json", ("{\"step\":" + step + "}").getBytes(StandardCharsets.UTF_8));
        p.put("trainable.safetensors", new byte[] {1, 2, 3, (byte) step});
        return p;
    }

    static void assertParts(CheckpointStore.Checkpoint c, long step) {
        assertThat(c.step()).isEqualTo(step);
        parts(step).forEach((k, v) -> assertThat(c.parts().get(k)).isEqualTo(v));
    }

    @Test
    void localDirectory(@TempDir Path root) throws Exception {
        LocalCheckpointStore store = new LocalCheckpointStore(root, 2);
        assertThat(store.latest()).isEmpty();
        store.save(3, parts(3));
        store.save(6, parts(6));
        assertParts(store.latest().orElseThrow(), 6);
        store.save(9, parts(9));
        // keeps two
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("step-000000000006", "step-000000000009");
        }
        // a damaged part: that checkpoint is skipped, the previous complete one is used
        Files.write(root.resolve("step-000000000009/trainable.safetensors"), new byte[] {9});
        assertParts(store.latest().orElseThrow(), 6);
        // a half-written checkpoint left by a crash (no marker, as a leftover temp dir or a copied folder) is ignored
        Files.createDirectories(root.resolve(".tmp-step-000000000012-x"));
        Files.createDirectories(root.resolve("step-000000000012"));
        Files.write(root.resolve("step-000000000012/state.json"), parts(12).get("state.json"));
        assertParts(store.latest().orElseThrow(), 6);
        // a garbage marker too
        Files.write(root.resolve("step-000000000012/checkpoint.json"), "{not json".getBytes(StandardCharsets.UTF_8));
        assertParts(store.latest().orElseThrow(), 6);
    }

    @Test
    void objectStore() {
        ObjectRef prefix = new ObjectRef("checkpoints", "run-1/checkpoints/main");
        ObjectStoreCheckpointStore store = new ObjectStoreCheckpointStore(s3.store, prefix, 2);
        assertThat(store.latest()).isEmpty();
        store.save(2, parts(2));
        store.save(4, parts(4));
        assertParts(store.latest().orElseThrow(), 4);
        // a worker that died after writing the parts but before the marker: step 6 is not complete
        ObjectRef six = prefix.child("step-000000000006");
        parts(6).forEach((k, v) -> s3.store.put(six.child(k), v, "application/octet-stream"));
        assertParts(store.latest().orElseThrow(), 4);
        // a marker whose part was later overwritten: refused as well
        s3.store.put(six.child("checkpoint.json"), CheckpointStore.marker(6, parts(6)), "application/json");
        assertParts(store.latest().orElseThrow(), 6);
        s3.store.put(six.child("trainable.safetensors"), new byte[] {0}, "application/octet-stream");
        assertParts(store.latest().orElseThrow(), 4);
        // pruning keeps the newest two complete checkpoints
        store.save(8, parts(8));
        assertThat(s3.store.exists(prefix.child("step-000000000002").child("checkpoint.json"))).isFalse();
        assertThat(s3.store.exists(prefix.child("step-000000000004").child("checkpoint.json"))).isFalse();
        assertParts(store.latest().orElseThrow(), 8);
    }
}
