package dev.mole.gpu.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streaming by a tail window hands out exactly what decoding everything gives, and never lags behind it. */
class IncrementalDetokenizerTest {

    static LlamaModel model;

    @BeforeAll
    static void load() {
        model = LlamaModel.load(TestCheckpoints.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Pieces of token ids: words, multi-byte characters (split into byte tokens by this tokenizer), raw bytes, specials. */
    static List<long[]> pieces() {
        List<long[]> p = new ArrayList<>();
        for (String s : List.of(" def", " return", "```", "python", "\n", "    ", " x", "é", "中文", "😀", "ß", "€", "a",
                "ÿ", "🦀 rust", " sum")) {
            p.add(model.tokenizer().encode(s, false, false).getIds());
        }
        return p;
    }

    String decode(List<Long> ids) {
        return model.tokenizer().decode(ids.stream().mapToLong(Long::longValue).toArray(), false);
    }

    @Test
    void streamedTextEqualsFullDecoding() {
        List<long[]> pieces = pieces();
        assertThat(pieces.stream().filter(p -> p.length > 1).count()).as("multi-byte characters split into byte tokens").isGreaterThan(3);
        SplittableRandom rnd = new SplittableRandom(17);
        int pending = 0;
        for (int trial = 0; trial < 200; trial++) {
            List<Long> ids = new ArrayList<>();
            int n = 1 + rnd.nextInt(40);
            while (ids.size() < n) {
                double kind = rnd.nextDouble();
                if (kind < 0.7) {
                    for (long id : pieces.get(rnd.nextInt(pieces.size()))) ids.add(id);
                } else if (kind < 0.95) {
                    ids.add(2L + rnd.nextInt(256)); // one raw byte: often a broken or unfinished character
                } else {
                    ids.add((long) rnd.nextInt(2)); // bos / eos
                }
            }
            IncrementalDetokenizer d = new IncrementalDetokenizer(model.tokenizer());
            StringBuilder streamed = new StringBuilder();
            String full = decode(ids);
            for (int i = 0; i < ids.size(); i++) {
                streamed.append(d.push(ids.get(i).intValue()));
                String sofar = decode(ids.subList(0, i + 1));
                assertThat(full).startsWith(streamed);
                assertThat(d.text()).isEqualTo(streamed.toString());
                if (!sofar.endsWith("\uFFFD")) {
                    assertThat(streamed.toString()).as("nothing held back once the text is complete").isEqualTo(sofar);
                } else {
                    pending++;
                }
            }
            streamed.append(d.finish());
            assertThat(streamed.toString()).as("trial %d: %s", trial, ids).isEqualTo(full);
        }
        assertThat(pending).as("incomplete characters were met").isGreaterThan(50);
    }
}
