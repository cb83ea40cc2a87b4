package dev.mole.orchestrator.curation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputRootsTest {
    @TempDir
    Path dir;

    @Test
    void allowsFilesBelowARootOnly() throws Exception {
        Path root = Files.createDirectories(dir.resolve("inputs"));
        Path inside = Files.writeString(Files.createDirectories(root.resolve("a/b")).resolve("rows.jsonl"), "{}\n");
        Path outside = Files.writeString(dir.resolve("other.jsonl"), "{}\n");
        InputRoots roots = new InputRoots(List.of(root));

        assertThat(roots.allows(inside)).isTrue();
        assertThat(roots.allows(outside)).isFalse();
        assertThat(roots.allows(root.resolve("../other.jsonl"))).as("'..' is resolved before the check").isFalse();
        assertThatThrownBy(() -> roots.requireAllowed(outside)).isInstanceOf(CurationInputException.class)
                .hasMessageContaining(outside.toString()).hasMessageContaining("mole.curation.input-roots");
    }

    @Test
    void followsLinksBeforeDeciding() throws Exception {
        Path root = Files.createDirectories(dir.resolve("inputs"));
        Path outside = Files.writeString(dir.resolve("secret.jsonl"), "{}\n");
        Path link = Files.createSymbolicLink(root.resolve("looks-inside.jsonl"), outside);
        Path linkedRoot = Files.createSymbolicLink(dir.resolve("linked-inputs"), root);
        Path inside = Files.writeString(root.resolve("rows.jsonl"), "{}\n");

        assertThat(new InputRoots(List.of(root)).allows(link)).isFalse();
        assertThat(new InputRoots(List.of(linkedRoot)).allows(inside)).as("a root given through a link").isTrue();
    }

    @Test
    void aMissingRootAllowsNothingAndAMissingFileIsLeftToTheReader() throws Exception {
        Path file = Files.writeString(dir.resolve("rows.jsonl"), "{}\n");
        InputRoots none = new InputRoots(List.of(dir.resolve("does-not-exist")));
        assertThat(none.allows(file)).isFalse();
        none.requireAllowed(dir.resolve("missing.jsonl")); // reported as "not found" by the reader, not as outside
        assertThat(new InputRoots(List.of()).allows(file)).isFalse();
    }
}
