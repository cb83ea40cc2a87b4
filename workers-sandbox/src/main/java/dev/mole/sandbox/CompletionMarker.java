package dev.mole.sandbox;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The proof that a program's tests ran to their end: a line with a fresh random nonce that the assembled program
 * prints only after its last test statement. Exit status 0 alone proves nothing, since a candidate can end the process
 * itself ({@code sys.exit(0)}, {@code process.exit(0)}, {@code exit(0)}, {@code System.exit(0)}...) before any test
 * has run. The nonce is drawn per run from {@link SecureRandom}, so a candidate cannot print it from a guess or from a
 * constant learned on another run.
 *
 * <p>What it does not stop: the candidate runs in the same process as the tests, so one that reads the program's own
 * source, binary or memory can find the nonce, as it could rewrite the tests themselves. It is proof against ending the
 * run early, not against a candidate written to forge the harness.
 *
 * @param line the whole line the program prints, without line breaks
 */
public record CompletionMarker(String line) {
    private static final String PREFIX = "mole-tests-finished-";
    private static final Pattern LINE = Pattern.compile(Pattern.quote(PREFIX) + "[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public CompletionMarker {
        if (!LINE.matcher(line).matches()) {
            // Assemblers put the line into string literals of six languages: only letters, digits and '-' are safe there.
            throw new IllegalArgumentException("not a completion marker line: " + line);
        }
    }

    /** A marker no earlier run has used (128 random bits). */
    public static CompletionMarker fresh() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return new CompletionMarker(PREFIX + HexFormat.of().formatHex(nonce));
    }

    /**
     * What the program writes: the line with a line break before it, so that it stands on a line of its own even when
     * the program's output so far does not end with one.
     */
    public String emitted() {
        return "\n" + line + "\n";
    }

    /**
     * {@link #emitted()} as a double-quoted string literal with {@code \n} escapes, which reads the same in all six
     * languages (Rust takes it as a byte string with a {@code b} before it).
     */
    public String quotedLiteral() {
        return "\"\\n" + line + "\\n\"";
    }

    /** Whether {@code stdout} holds the marker as a whole line (not merely as part of some other line). */
    public boolean isShownIn(String stdout) {
        return stdout.lines().anyMatch(line::equals);
    }

    /** {@code stdout} as the program's own code wrote it: the marker is the sandbox's, not output to show. */
    public String strippedFrom(String stdout) {
        return stdout.replace(emitted(), "").replace(line, "");
    }
}
