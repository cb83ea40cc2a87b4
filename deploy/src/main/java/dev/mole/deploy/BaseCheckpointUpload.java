package dev.mole.deploy;

import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A base model folder on this machine, put into the object store where GPU workers fetch it. It lands under
 * {@code models/<folder name>-<content hash>/}: the same files always go to the same place (a second finetune from the
 * folder uploads nothing), and a changed file never overwrites what an earlier run trained from. The destination is
 * known before anything is sent, so the rest of a finetune order can be checked first.
 *
 * @param folder where the files go
 */
record BaseCheckpointUpload(Path dir, List<Path> files, ObjectRef folder) {

    static BaseCheckpointUpload plan(Path dir, String bucket) {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new MoleLauncher.UsageException("--base " + dir + " holds no config.json: give the folder with the "
                    + "base model's config.json, *.safetensors and tokenizer.json");
        }
        return of(dir, bucket, "models/", "base checkpoint");
    }

    /** A trained output folder (its manifest.json and the files it lists), put under {@code adapters/<folder>-<hash>/}. */
    static BaseCheckpointUpload adapters(Path dir, String bucket) {
        if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
            throw new MoleLauncher.UsageException(dir + " holds no manifest.json: give a trained output folder (as a "
                    + "finetune run writes it) or the s3:// URI of its manifest");
        }
        return of(dir, bucket, "adapters/", "trained output");
    }

    /**
     * A curation input file outside the platform's input roots (which the worker may not read), put under
     * {@code inputs/<file name>-<hash>/<file name>} so that its name still tells its format.
     */
    static BaseCheckpointUpload input(Path file, String bucket) {
        if (!Files.isRegularFile(file)) {
            throw new MoleLauncher.UsageException("curation input " + file + " is not a file");
        }
        Path dir = file.toAbsolutePath().normalize().getParent();
        try {
            List<Path> files = List.of(file.toAbsolutePath().normalize());
            String name = file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
            return new BaseCheckpointUpload(dir, files,
                    new ObjectRef(bucket, "inputs/" + name + "-" + contentHash(dir, files).substring(0, 16)));
        } catch (IOException e) {
            throw new MoleLauncher.UsageException("cannot read the curation input " + file + ": " + e.getMessage());
        }
    }

    /** The one object of an {@link #input} upload. */
    ObjectRef onlyObject() {
        return folder.child(files.get(0).getFileName().toString());
    }

    private static BaseCheckpointUpload of(Path dir, String bucket, String prefix, String what) {
        try {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(Files::isRegularFile).filter(f -> !dir.relativize(f).startsWith("checkpoints")).sorted().toList();
            }
            String name = dir.toAbsolutePath().normalize().getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
            return new BaseCheckpointUpload(dir, files,
                    new ObjectRef(bucket, prefix + name + "-" + contentHash(dir, files).substring(0, 16)));
        } catch (IOException e) {
            throw new MoleLauncher.UsageException("cannot read the " + what + " folder " + dir + ": " + e.getMessage());
        }
    }

    /** Sends every file the store does not hold yet (same destination and size: same content). */
    void run(BlobStore blobs, PrintStream out) {
        long bytes = 0;
        int sent = 0;
        try {
            for (Path f : files) {
                ObjectRef ref = folder.child(dir.relativize(f).toString().replace('\\', '/'));
                if (blobs.size(ref).orElse(-1L) == Files.size(f)) {
                    continue;
                }
                blobs.putFile(ref, f, "application/octet-stream");
                bytes += Files.size(f);
                sent++;
            }
        } catch (IOException e) {
            throw new MoleLauncher.UsageException("cannot read " + dir + ": " + e.getMessage());
        }
        String what = folder.key().startsWith("models/") ? "Base checkpoint"
                : folder.key().startsWith("inputs/") ? "Curation input" : "Trained output";
        out.printf("%s %s in %s (%d of %d files uploaded now, %,d bytes)%n", what, dir, folder, sent, files.size(), bytes);
    }

    /** sha256 over every file's relative name and bytes, in name order. */
    private static String contentHash(Path dir, List<Path> files) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 20];
        for (Path f : files) {
            sha.update((dir.relativize(f).toString().replace('\\', '/') + "\n").getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(f)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
