package dev.mole.gpu.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.language.Language;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetShardsTest {

    @Test
    void readsBothSplitsInShardOrder(@TempDir Path dir) throws Exception {
        List<TrainingRecord> a = TrainingFixtures.records(List.of(Language.PYTHON, Language.CPP), 2, 1);
        List<TrainingRecord> b = TrainingFixtures.records(List.of(Language.GO), 3, 2);
        TrainingFixtures.writeShard(dir.resolve("train-00001.jsonl.gz"), b);
        TrainingFixtures.writeShard(dir.resolve("train-00000.jsonl.gz"), a);
        TrainingFixtures.writeShard(dir.resolve("validation-00000.jsonl.gz"), b.subList(0, 1));
        Files.writeString(dir.resolve("manifest.json"), "{}");
        DatasetShards.Splits s = DatasetShards.read(dir);
        assertThat(s.train()).hasSize(7);
        assertThat(s.train().subList(0, 4)).isEqualTo(a);
        assertThat(s.train().subList(4, 7)).isEqualTo(b);
        assertThat(s.validation()).containsExactly(b.get(0));
        assertThat(s.train().get(0).record().spans().get(0).language()).isEqualTo(Language.PYTHON);
    }

    @Test
    void aBadLineNamesItsShardAndLine(@TempDir Path dir) throws Exception {
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(dir.resolve("train-00000.jsonl.gz")))) {
            os.write("{\"id\":1,\"question\":\"q\",\"answer\":\"a\",\"language\":\"python\",\"spans\":[]}\n{\"id\":2,\"language\":\"cobol\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> DatasetShards.read(dir)).hasMessageContaining("train-00000.jsonl.gz line 2");
    }
}
