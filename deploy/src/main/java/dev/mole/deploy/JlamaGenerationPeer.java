package dev.mole.deploy;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import dev.mole.gpu.bench.GenerationPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Jlama (another Java LLaMA engine) as the generation bench's peer. It lives in the launcher module so the GPU worker
 * never carries Jlama; {@code ./mole bench generation} finds it through the service file.
 *
 * <p>Jlama's own traps, handled here: its native tensor ops give wrong logits (jlama-native is never on the classpath,
 * and the Panama ops are forced before its classes load; the JVM needs {@code --add-modules jdk.incubator.vector}, which
 * {@code ./mole bench} passes); its KV pages go to a working directory of ours, deleted afterwards; its logits are also
 * wrong when intermediate_size is not a multiple of 16 (the bench says so when that is the case).
 */
public final class JlamaGenerationPeer implements GenerationPeer {
    private static final AtomicBoolean THREADS_SET = new AtomicBoolean();

    @Override
    public String name() {
        return "Jlama 0.8.4 (F32, Panama)";
    }

    @Override
    public Run generate(Path checkpoint, List<int[]> prompts, int[] newTokens, int threads) throws Exception {
        System.setProperty("jlama.force_panama_tensor_operations", "true");
        Path work = Files.createTempDirectory("mole-jlama");
        try {
            // Jlama's executor takes a thread count once per JVM and refuses it afterwards
            boolean first = THREADS_SET.compareAndSet(false, true);
            AbstractModel model = ModelSupport.loadModel(checkpoint.toFile(), work.toFile(), DType.F32, DType.F32,
                    Optional.empty(), threads > 0 && first ? Optional.of(threads) : Optional.empty());
            try (KvBufferCache cache = new KvBufferCache(model)) {
                generate(model, cache, prompts.get(0), Math.min(newTokens[0], 8)); // warm-up: JIT and Jlama's tensor caches
                long t0 = System.nanoTime(), c0 = GenerationPeer.processCpuNanos();
                List<int[]> out = new ArrayList<>();
                for (int i = 0; i < prompts.size(); i++) out.add(generate(model, cache, prompts.get(i), newTokens[i]));
                return new Run((System.nanoTime() - t0) / 1e9, (GenerationPeer.processCpuNanos() - c0) / 1e9, out);
            } finally {
                model.close();
            }
        } finally {
            deleteTree(work);
        }
    }

    /** Greedy: the prompt in one batched forward, then one token at a time on the sequence's own KV buffer. */
    private static int[] generate(AbstractModel model, KvBufferCache cache, int[] prompt, int n) {
        int[] out = new int[n];
        try (KvBufferCache.KvBuffer kv = cache.getEphemeralKvBuffer();
             AbstractTensor logits = model.makeDenseTensor(1, model.getConfig().vocabularySize)) {
            try (AbstractTensor h = model.batchForward(prompt, 0, kv)) {
                out[0] = model.sample(h.slice(prompt.length - 1), 0f, 0f, logits);
            }
            for (int i = 1; i < n; i++) {
                try (AbstractTensor h = model.forward(out[i - 1], prompt.length + i - 1, kv, Optional.empty())) {
                    out[i] = model.sample(h, 0f, 0f, logits);
                }
            }
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
