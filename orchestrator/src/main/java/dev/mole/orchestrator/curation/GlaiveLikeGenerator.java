package dev.mole.orchestrator.curation;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes deterministic Glaive-code-assistant-like JSONL ({@code question}, {@code answer}) for demos, tests and the
 * throughput benchmark. Same seed, same rows, same bytes. The mix roughly follows the paper: the eight languages in
 * Table I proportions, written with realistic aliases ({@code py}, {@code c++}, {@code js}, {@code golang}, ...), plus
 * prose-only answers, answers with little code, unknown tags ({@code bash}, {@code sql}, ...), unlabelled fences, code in
 * the question, CRLF line ends, unterminated fences, fences inside fences and non-ASCII text. With
 * {@link #withMalformedShare(double)} a share of lines is deliberately unreadable (broken JSON, invalid UTF-8, missing,
 * empty or non-string fields). Rows average about 1 KB.
 */
public final class GlaiveLikeGenerator {

    /** Table I sample counts, used as weights. */
    private static final int[] WEIGHTS = {15_773, 37_136, 11_320, 9_533, 24_010, 22_958, 52_642, 18_835};
    private static final String[][] ALIASES = {
        {"c", "c", "c", "c", "c", "c", "c", "c", "c", "h"},
        {"cpp", "cpp", "cpp", "cpp", "cpp", "cpp", "c++", "c++", "cc", "CPP"},
        {"csharp", "csharp", "csharp", "csharp", "csharp", "csharp", "csharp", "cs", "c#", "C#"},
        {"go", "go", "go", "go", "go", "go", "go", "go", "golang", "golang"},
        {"java", "java", "java", "java", "java", "java", "java", "java", "java", "Java"},
        {"javascript", "javascript", "javascript", "javascript", "javascript", "js", "js", "js", "jsx", "node"},
        {"python", "python", "python", "python", "python", "python", "py", "python3", "python3", "Python"},
        {"rust", "rust", "rust", "rust", "rust", "rust", "rust", "rust", "rs", "rust"},
    };
    private static final String[][] CODE = {
        {"#include <stdio.h>", "int main(void) {", "    int total = 0;", "    for (int i = 0; i < n; i++) {",
            "        total += values[i] * 2;", "    }", "    printf(\"%d\\n\", total);", "    return 0;", "}",
            "static char *buffer = malloc(size + 1);", "if (ptr == NULL) { return -1; }"},
        {"#include <vector>", "std::vector<int> values{1, 2, 3};", "for (auto& v : values) {",
            "    std::cout << v << std::endl;", "}", "template <typename T> T clamp(T x, T lo, T hi) {",
            "    return std::max(lo, std::min(x, hi));", "class Widget : public Base {", "  public:",
            "    explicit Widget(int size) : size_(size) {}", "};"},
        {"using System.Linq;", "public class Program {", "    static void Main(string[] args) {",
            "        var items = new List<int> { 1, 2, 3 };", "        Console.WriteLine(items.Sum());", "    }", "}",
            "public async Task<string> FetchAsync(HttpClient client) =>", "    await client.GetStringAsync(url);"},
        {"package main", "import \"fmt\"", "func main() {", "    values := []int{1, 2, 3}",
            "    for i, v := range values {", "        fmt.Println(i, v)", "    }", "}",
            "func (s *Server) Handle(w http.ResponseWriter, r *http.Request) {", "if err != nil { return err }"},
        {"import java.util.*;", "public class Main {", "    public static void main(String[] args) {",
            "        List<Integer> xs = new ArrayList<>();", "        xs.add(42);", "        System.out.println(xs);",
            "    }", "}", "Map<String, Integer> counts = new HashMap<>();", "counts.merge(word, 1, Integer::sum);"},
        {"const values = [1, 2, 3];", "function sum(xs) {", "  return xs.reduce((a, b) => a + b, 0);", "}",
            "console.log(sum(values));", "document.getElementById('out').textContent = total;",
            "const res = await fetch(url);", "export default class Store { constructor() { this.items = []; } }"},
        {"import numpy as np", "def mean(values):", "    return sum(values) / len(values)",
            "for i, v in enumerate(values):", "    print(f\"{i}: {v}\")", "class Model(nn.Module):",
            "    def __init__(self, size=128):", "        super().__init__()", "result = [x * 2 for x in data if x > 0]",
            "with open(path) as f:", "    lines = f.readlines()"},
        {"use std::collections::HashMap;", "fn main() {", "    let mut counts: HashMap<String, usize> = HashMap::new();",
            "    for w in text.split_whitespace() {", "        *counts.entry(w.to_string()).or_insert(0) += 1;", "    }",
            "    println!(\"{:?}\", counts);", "}", "impl Display for Point {", "fn parse(s: &str) -> Result<u32, Error> {"},
    };
    private static final String[] PROSE = {
        "How can I write a function that computes the sum of a list?",
        "I am getting an error when I run this code, can someone explain why?",
        "You can solve this by iterating over the elements and keeping a running total.",
        "This approach runs in linear time and uses constant extra memory.",
        "Make sure the input is validated before it is used.",
        "Here is an example that shows how to do it:",
        "The function returns the result once all elements are processed.",
        "Note that the standard library already provides a helper for this.",
        "Qu'est-ce que cela signifie ? Voilà une explication détaillée — naïve café.",
        "这个函数的作用是什么？请解释一下。",
        "Which library would you recommend for parsing dates, and why?",
        "In summary, the program reads the file, counts the words, and prints the result.",
    };
    private static final String[] UNKNOWN_TAGS = {"bash", "sql", "html", "css", "typescript", "ruby", "php",
        "kotlin", "swift", "shell", "json", "yaml", "r", "scala", "matlab"};

    private final long seed;
    private double malformedShare;

    public GlaiveLikeGenerator(long seed) {
        this.seed = seed;
    }

    /** Share of lines (0..1) that are deliberately unreadable. */
    public GlaiveLikeGenerator withMalformedShare(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in [0, 1]");
        }
        this.malformedShare = share;
        return this;
    }

    /** Writes {@code rows} lines to a file (gzip when the name ends in {@code .gz}); returns the file size. */
    public long write(Path file, long rows) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            OutputStream target = file.toString().endsWith(".gz") ? new GZIPOutputStream(out, 1 << 16) : out;
            write(target, rows);
            target.close();
        }
        return Files.size(file);
    }

    /** Writes {@code rows} lines to a stream (not closed). */
    public void write(OutputStream out, long rows) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
        JsonFactory factory = new JsonFactory();
        factory.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder q = new StringBuilder(512);
        StringBuilder a = new StringBuilder(2048);
        try (JsonGenerator g = factory.createGenerator(buffered, JsonEncoding.UTF8)) {
            g.setRootValueSeparator(null);
            for (long i = 0; i < rows; i++) {
                q.setLength(0);
                a.setLength(0);
                if (malformedShare > 0 && random.nextDouble() < malformedShare) {
                    writeMalformed(g, buffered, random, i);
                    continue;
                }
                row(random, q, a);
                g.writeStartObject();
                g.writeStringField("question", q.toString());
                g.writeStringField("answer", a.toString());
                g.writeEndObject();
                g.writeRaw('\n');
            }
            g.flush();
        }
        buffered.flush();
    }

    private static void writeMalformed(JsonGenerator g, OutputStream out, SplittableRandom random, long i)
            throws IOException {
        g.flush();
        String line = switch (random.nextInt(5)) {
            case 0 -> "{\"question\": \"broken row " + i + "\", \"answer\": \"```python\\nx = 1\\n```\"";
            case 1 -> null; // invalid UTF-8, below
            case 2 -> "{\"question\": \"only a question " + i + "\"}";
            case 3 -> "{\"question\": \"   \", \"answer\": \"```python\\nx = 1\\n```\"}";
            default -> "{\"question\": \"numeric answer " + i + "\", \"answer\": 42}";
        };
        if (line == null) {
            out.write("{\"question\": \"bad bytes ".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
            out.write("\", \"answer\": \"```python\\nx = 1\\n```\"}\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
    }

    private static void row(SplittableRandom r, StringBuilder q, StringBuilder a) {
        int lang = pickLanguage(r);
        String nl = "\n";
        double kind = r.nextDouble();
        prose(r, q, 1 + r.nextInt(2));
        if (kind < 0.08) { // prose only: library suggestions and the like
            prose(r, a, 3 + r.nextInt(5));
            return;
        }
        if (kind < 0.14) { // mostly prose, a one-line block: fails the code-share filter
            prose(r, a, 8 + r.nextInt(6));
            a.append("\n\n");
            block(r, a, tag(r, lang), lang, 1, nl, true);
            return;
        }
        if (kind < 0.20) { // a tag none of the eight
            prose(r, a, 1);
            a.append("\n\n");
            block(r, a, UNKNOWN_TAGS[r.nextInt(UNKNOWN_TAGS.length)], lang, 4 + r.nextInt(8), nl, true);
            return;
        }
        if (kind < 0.23) { // an unlabelled fence
            prose(r, a, 1);
            a.append("\n\n");
            block(r, a, "", lang, 4 + r.nextInt(8), nl, true);
            return;
        }
        if (kind < 0.29) { // code in the question too
            q.append("\n\n");
            block(r, q, tag(r, lang), lang, 3 + r.nextInt(6), nl, true);
        }
        if (kind >= 0.29 && kind < 0.31) { // fences inside a longer fence (markdown about markdown): unknown tag
            a.append("Use a fenced block:\n\n````markdown\n");
            block(r, a, tag(r, lang), lang, 3, nl, true);
            a.append("\n````\n");
            return;
        }
        if (kind >= 0.31 && kind < 0.33) {
            nl = "\r\n";
        }
        boolean terminated = !(kind >= 0.33 && kind < 0.34);
        prose(r, a, 1 + r.nextInt(2));
        a.append(nl).append(nl);
        block(r, a, tag(r, lang), lang, 6 + r.nextInt(18), nl, terminated);
        if (!terminated) {
            return;
        }
        if (r.nextDouble() < 0.12) { // a second language, e.g. a C header next to C++
            a.append(nl).append(nl);
            int other = pickLanguage(r);
            block(r, a, tag(r, other), other, 2 + r.nextInt(6), nl, true);
        }
        a.append(nl).append(nl);
        prose(r, a, 1 + r.nextInt(3));
    }

    private static int pickLanguage(SplittableRandom r) {
        int x = r.nextInt(192_207);
        for (int i = 0; i < WEIGHTS.length; i++) {
            x -= WEIGHTS[i];
            if (x < 0) {
                return i;
            }
        }
        return WEIGHTS.length - 1;
    }

    private static String tag(SplittableRandom r, int lang) {
        String[] options = ALIASES[lang];
        return options[r.nextInt(options.length)];
    }

    private static void block(SplittableRandom r, StringBuilder sb, String tag, int lang, int lines, String nl,
            boolean terminated) {
        sb.append("```").append(tag).append(nl);
        String[] pool = CODE[lang];
        for (int i = 0; i < lines; i++) {
            sb.append(pool[r.nextInt(pool.length)]).append(nl);
        }
        if (terminated) {
            sb.append("```");
        }
    }

    private static void prose(SplittableRandom r, StringBuilder sb, int sentences) {
        for (int i = 0; i < sentences; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(PROSE[r.nextInt(PROSE.length)]);
        }
    }
}
