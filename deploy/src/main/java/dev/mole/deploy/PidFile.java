package dev.mole.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** One platform per home: the pid file names the process that owns it, so {@code down} knows whom to stop. */
final class PidFile {
    private final Path file;

    private PidFile(Path file) {
        this.file = file;
    }

    static PidFile claim(Path file) throws IOException {
        Optional<ProcessHandle> other = running(file);
        if (other.isPresent()) {
            throw new MoleLauncher.UsageException("the platform already runs from this home (pid " + other.get().pid()
                    + "); stop it with ./mole down, or set MOLE_HOME to use another home");
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new PidFile(file);
    }

    static Optional<ProcessHandle> running(Path file) {
        try {
            long pid = Long.parseLong(Files.readString(file).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().map(c -> c.contains("java")).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    void release() {
        try {
            if (running(file).map(h -> h.pid() == ProcessHandle.current().pid()).orElse(false)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a stale pid file is harmless: running() checks the process is alive
        }
    }
}
