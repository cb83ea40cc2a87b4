package dev.mole.gpu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keeps the generation bench runnable: a miniature run must print every figure and ratio (no peer engine here). */
class GenerationBenchSmokeTest {
    @Test
    void printsAllFigures() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            GenerationBench.main(new String[] {"--hidden", "64", "--intermediate", "176", "--layers", "1", "--heads", "4",
                    "--prompt", "8", "--new", "4", "--requests", "6", "--single-requests", "2", "--batches", "1,4", "--rounds", "1"});
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(out).contains("ratio batch 4 / batch 1").contains("Generator (single-sequence)")
                .contains("prefill ms per prompt").contains("no peer engine on the classpath");
    }
}
