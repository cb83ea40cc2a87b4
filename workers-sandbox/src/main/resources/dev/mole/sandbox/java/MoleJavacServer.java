import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.SourceVersion;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * The sandbox's warm Java compiler (workers-sandbox/README.md, "Java: the slot's javac server"). Runs inside
 * bubblewrap like every other step, as its own uid, with no writable host path: source comes in on stdin, diagnostics
 * and class files go back on stdout.
 * It only compiles (annotation processing off, nothing of the program is loaded or run here); each program then runs in
 * its own fresh sandbox. A warm javac compiles a HumanEvalPack program in tens of milliseconds, where a fresh JVM spends
 * about half a second loading and warming up the compiler.
 *
 * <p>It compiles as the JDK 17 single-file source launcher ({@code java Main.java}, which the sandbox used before) does:
 * the same options, no source path, any type name accepted in any file name, a {@code #!} first line ignored. So a
 * program is accepted or rejected exactly as before.
 *
 * <p>Server protocol, all big-endian ({@link DataOutputStream}). Ready: int {@code 0x4d4f4c45}. Request: int source
 * length, UTF path, source bytes (UTF-8). Answer: int status (0 compiled, 1 rejected by javac, 2 javac itself failed:
 * the worker then compiles the program in a sandbox of its own), int length + diagnostics (UTF-8, as javac prints
 * them), int class count and per class UTF binary name, int length, bytes; last, long process CPU nanoseconds.
 *
 * <p>{@code --compile SOURCE OUTDIR}: one compile, class files laid out as {@code javac -d} does, diagnostics on stderr,
 * exit status 0, 1 (rejected) or 4 (javac failed): the per-program fallback, with the very same compiler settings.
 */
public final class MoleJavacServer {
    private static final int READY = 0x4d4f4c45;

    /** The options the JDK 17 source launcher adds (com.sun.tools.javac.launcher.Main#getJavacOpts). */
    private static final List<String> OPTIONS = List.of("-proc:none", "-Xdiags:verbose", "-Xlint:deprecation",
            "-Xlint:unchecked", "-Xlint:-options");

    public static void main(String[] args) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StandardJavaFileManager standard = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);
        // As the launcher: no source path, so javac never falls back to looking for sources on the class path. The
        // launcher's class path was its working directory, the sandbox's empty /tmp; here it is empty outright (an API
        // caller's default would be this server's own class path).
        standard.setLocation(StandardLocation.SOURCE_PATH, List.of());
        standard.setLocation(StandardLocation.CLASS_PATH, List.of());
        if (args.length == 3 && args[0].equals("--compile")) {
            System.exit(compileOnce(javac, standard, Path.of(args[1]), Path.of(args[2])));
        }
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        // The answers are the only thing on stdout; anything else javac or the JVM print goes to stderr.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        out.writeInt(READY);
        out.flush();
        while (true) {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                return;
            }
            String path = in.readUTF();
            byte[] source = in.readNBytes(length);
            if (source.length != length) {
                return;
            }
            answer(out, compile(javac, standard, path, source));
        }
    }

    private static int compileOnce(JavaCompiler javac, StandardJavaFileManager standard, Path source, Path outDir)
            throws IOException {
        Result r = compile(javac, standard, source.toString(), Files.readAllBytes(source));
        System.err.print(r.diagnostics());
        System.err.flush();
        for (Map.Entry<String, byte[]> c : r.classes().entrySet()) {
            Path target = outDir.resolve(c.getKey().replace('.', '/') + ".class");
            Files.createDirectories(target.getParent());
            Files.write(target, c.getValue());
        }
        return r.status() == 2 ? 4 : r.status();
    }

    private record Result(int status, String diagnostics, Map<String, byte[]> classes) {}

    private static Result compile(JavaCompiler javac, StandardJavaFileManager standard, String path, byte[] bytes) {
        StringWriter diagnostics = new StringWriter();
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try {
            String text = new String(bytes, StandardCharsets.UTF_8);
            // The launcher drops a "#!" first line but keeps its line break, so that line numbers stay the same.
            String source = text.startsWith("#!") ? System.lineSeparator() + text.substring(afterFirstLine(text)) : text;
            JavaFileObject unit = new SimpleJavaFileObject(URI.create("file://" + path), JavaFileObject.Kind.SOURCE) {
                @Override
                public String getName() {
                    return path;
                }

                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }

                @Override
                public boolean isNameCompatible(String simpleName, JavaFileObject.Kind kind) {
                    return kind == JavaFileObject.Kind.SOURCE && SourceVersion.isIdentifier(simpleName);
                }
            };
            JavaFileManager memory = new ForwardingJavaFileManager<>(standard) {
                @Override
                public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                           FileObject sibling) throws IOException {
                    if (kind != JavaFileObject.Kind.CLASS) {
                        throw new IOException("only class files are written: " + className + " " + kind);
                    }
                    return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                        @Override
                        public OutputStream openOutputStream() {
                            return new ByteArrayOutputStream() {
                                @Override
                                public void close() {
                                    classes.put(className, toByteArray());
                                }
                            };
                        }
                    };
                }
            };
            boolean ok = javac.getTask(diagnostics, memory, null, OPTIONS, null, List.of(unit)).call();
            return new Result(ok ? 0 : 1, diagnostics.toString(), ok ? classes : Map.of());
        } catch (VirtualMachineError e) {
            throw e; // -XX:+ExitOnOutOfMemoryError ends the server; the worker sees the pipe close
        } catch (Throwable t) {
            return new Result(2, diagnostics + "\n" + t, Map.of());
        }
    }

    /** Where the second line starts (after \n, \r or \r\n, as BufferedReader.readLine sees lines). */
    private static int afterFirstLine(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                return i + 1;
            }
            if (c == '\r') {
                return i + 1 < text.length() && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
            }
        }
        return text.length();
    }

    private static void answer(DataOutputStream out, Result r) throws IOException {
        out.writeInt(r.status());
        byte[] d = r.diagnostics().getBytes(StandardCharsets.UTF_8);
        out.writeInt(d.length);
        out.write(d);
        List<Map.Entry<String, byte[]>> classes = new ArrayList<>(r.classes().entrySet());
        out.writeInt(classes.size());
        for (Map.Entry<String, byte[]> c : classes) {
            out.writeUTF(c.getKey());
            out.writeInt(c.getValue().length);
            out.write(c.getValue());
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        out.writeLong(os.getProcessCpuTime());
        out.flush();
    }
}
