package dev.mole.sandbox.internal.runners;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Paths of the Debian toolchains, as seen both on the host and inside the sandbox (/usr is mounted at /usr). Absolute
 * paths on purpose: PATH on a developer machine may put rustup's or pyenv's binaries first, which the sandbox cannot see.
 */
public record Toolchain(String gpp, String go, String javaHome, String node, String python, String rustc, String cargo) {

    public static Toolchain detect() {
        return new Toolchain("/usr/bin/g++", "/usr/bin/go", detectJavaHome(), firstExisting("/usr/bin/node", "/usr/bin/nodejs"),
                "/usr/bin/python3", "/usr/bin/rustc", "/usr/bin/cargo");
    }

    /** Debian's JDK 17 (what the set-up installs), else another JDK under /usr/lib/jvm. */
    private static String detectJavaHome() {
        return firstExisting(
                List.of("/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/java-21-openjdk-amd64", "/usr/lib/jvm/default-java")
                        .stream().filter(h -> Files.isExecutable(Path.of(h, "bin/javac"))).toArray(String[]::new));
    }

    private static String firstExisting(String... candidates) {
        for (String c : candidates) {
            if (Files.exists(Path.of(c))) {
                return c;
            }
        }
        return candidates.length > 0 ? candidates[0] : "/nonexistent";
    }

    public String java() {
        return javaHome + "/bin/java";
    }

    public String javac() {
        return javaHome + "/bin/javac";
    }
}
