package dev.mole.gpu.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.gpu.model.CodeSpan;
import dev.mole.gpu.model.CodeSpans;
import dev.mole.gpu.model.CuratedRecord;
import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.TinyCheckpointFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** A tiny base checkpoint (written once per JVM) and small generated curated datasets with learnable patterns per language. */
final class TrainingFixtures {

    private static Path base;

    private TrainingFixtures() {}

    /** hidden 64, 2 layers, intermediate 176: union rank 64 (MoLE-48+16, AllLang r64) is exactly the projection size. */
    static synchronized Path base() {
        if (base == null) {
            try {
                Path dir = Files.createTempDirectory("mole-train-base");
                base = TinyCheckpointFactory.write(dir, TinyCheckpointFactory.Options.defaults().withSeed(7));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return base;
    }

    /** Per-language code bodies built from the tokenizer's single-token words, so patterns are short and learnable. */
    private static final Map<Language, List<String>> BODIES = Map.of(
            Language.PYTHON, List.of("def add(x):\n    return x + n\n", "def sum(list):\n    print(list)\n", "import std\nprint(x)\n"),
            Language.RUST, List.of("fn main() {\n    let x = n;\n}\n", "fn add(x) {\n    let n = x + i;\n}\n", "fn sum() {\n    let value = x;\n}\n"),
            Language.GO, List.of("package main\nfunc add() {\n}\n", "func main() {\n    x = n\n}\n", "func sum() {\n    i = x\n}\n"),
            Language.JAVA, List.of("public static void main() {\n}\n", "public class x {\n}\n", "public static int add() {\n}\n"),
            Language.CPP, List.of("int main() {\n    return x;\n}\n", "void add() {\n    x = n;\n}\n", "int sum() {\n}\n"),
            Language.JAVASCRIPT, List.of("const x = n;\n", "function add() {\n    return x;\n}\n", "let value = i;\n"),
            Language.C, List.of("int main() {\n    return n;\n}\n", "void sum() {\n}\n", "int x = n;\n"),
            Language.CSHARP, List.of("public static void main() {\n}\n", "public class value {\n}\n", "static int x = n;\n"));

    private static final List<String> QUESTIONS = List.of("Write a function", "Write the code of a function", "Write a sum function",
            "Write an add function", "Write the main function");

    /** One record of language l: prose, one fenced block in the answer, prose. */
    static TrainingRecord record(long id, Language l, SplittableRandom r) {
        String q = QUESTIONS.get(r.nextInt(QUESTIONS.size())) + " in " + l.id() + ".";
        String body = BODIES.get(l).get(r.nextInt(BODIES.get(l).size()));
        String pre = "Here is the code:\n";
        String block = "```" + l.id() + "\n" + body + "```";
        String answer = pre + block + "\nThe function is " + (r.nextBoolean() ? "a" : "the") + " code.";
        return new TrainingRecord(id, l, new CuratedRecord(q, answer, CodeSpans.of(answer, "answer")));
    }

    static List<TrainingRecord> records(List<Language> langs, int perLanguage, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<TrainingRecord> out = new ArrayList<>();
        long id = 0;
        for (int i = 0; i < perLanguage; i++) for (Language l : langs) out.add(record(id++, l, r));
        return out;
    }

    static DatasetShards.Splits splits(List<Language> langs, int trainPer, int valPer) {
        return new DatasetShards.Splits(records(langs, trainPer, 1), records(langs, valPer, 2));
    }

    /** Writes records as curation does: gzip JSONL, the record format of the dataset manifest. */
    static void writeShard(Path file, List<TrainingRecord> records) {
        ObjectMapper om = new ObjectMapper();
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (TrainingRecord t : records) {
                ObjectNode n = om.createObjectNode();
                n.put("id", t.id()).put("question", t.record().question()).put("answer", t.record().answer()).put("language", t.language().id());
                var spans = n.putArray("spans");
                for (CodeSpan s : t.record().spans()) {
                    spans.addObject().put("field", s.field()).put("start", s.start()).put("end", s.end()).put("language", s.language().id());
                }
                os.write((n + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Small and fast: lr high enough that a random tiny model learns the templates in tens of steps. */
    static TrainingHyperParameters hyper(int batch, int epochs) {
        return new TrainingHyperParameters(3e-3, 0.9, 0.95, 1e-6, 0.0, 0.05, 0.1, batch, epochs, 256, 0, 0, 0, "fp32");
    }
}
