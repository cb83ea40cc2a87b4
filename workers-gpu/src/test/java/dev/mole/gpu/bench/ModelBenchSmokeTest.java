package dev.mole.gpu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keeps the bench runnable: a miniature run must print every figure and ratio. */
class ModelBenchSmokeTest {
    @Test
    void printsAllFigures() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            ModelBench.main(new String[] {"--hidden", "64", "--intermediate", "176", "--layers", "1", "--heads", "4", "--seq", "24",
                    "--iters", "3", "--gen", "4", "--prompt", "8", "--svd-m", "96", "--svd-n", "160", "--svd-k", "16"});
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(out).contains("ratio MoLE(grouped) / single LoRA").contains("ratio naive / grouped routing")
                .contains("ratio full recompute / KV cache").contains("ratio exact / randomised time")
                .contains("share of exact top-16 spectrum captured");
    }
}
