package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.orchestrator.finetune.FinetuneOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ./mole finetune} flags into a finetune order, and the sentence each mistake gets. */
class FinetuneArgsTest {
    private static final ObjectRef MANIFEST = ObjectRef.parse("s3://mole/datasets/abc/manifest.json");

    @TempDir
    Path dir;

    @Test
    void everyFlagReachesTheOrder() {
        FinetuneArgs a = parse("--dataset", "abc123", "--base", "s3://mole/models/base/", "--name", "cli run",
                "--method", "per_lang", "--variant", "32", "--init", "std", "--seeds", "4, 5,6", "--epochs", "3",
                "--batch", "16", "--lr", "3e-4", "--max-steps", "120", "--max-length", "512", "--precision", "fp16");
        assertThat(a.localBase()).isEmpty();
        FinetuneOrder o = a.order();
        assertThat(o.dataset()).isEqualTo("abc123");
        assertThat(o.baseCheckpoint()).isEqualTo("s3://mole/models/base/");
        assertThat(o.seeds()).containsExactly(4L, 5L, 6L);

        FinetuneRequest r = o.toRequest(dataset -> MANIFEST);
        assertThat(r.name()).isEqualTo("cli run");
        assertThat(r.method()).isEqualTo(TrainingMethod.PER_LANG);
        assertThat(r.variant()).isEqualTo("32");
        assertThat(r.init()).isEqualTo("std");
        assertThat(r.baseCheckpoint().uri()).as("trailing slash dropped").isEqualTo("s3://mole/models/base");
        assertThat(r.hyper().epochs()).isEqualTo(3);
        assertThat(r.hyper().effectiveBatch()).isEqualTo(16);
        assertThat(r.hyper().learningRate()).isEqualTo(3e-4);
        assertThat(r.hyper().maxSteps()).isEqualTo(120);
        assertThat(r.hyper().precision()).isEqualTo("fp16");
        assertThat(r.hyper().maxLength()).isEqualTo(512);
    }

    @Test
    void leftOutFlagsGetThePaperSettingsAndMoLE() {
        FinetuneRequest r = parse("--dataset", "abc123", "--base", "s3://mole/models/base").order()
                .toRequest(dataset -> MANIFEST);
        assertThat(r.method()).isEqualTo(TrainingMethod.MOLE);
        assertThat(r.variant()).isEqualTo("48+16");
        assertThat(r.init()).isEqualTo("shared_first");
        assertThat(r.seeds()).containsExactly(1L, 2L, 3L);
        assertThat(r.hyper()).isEqualTo(dev.mole.contracts.training.TrainingHyperParameters.paper());
        assertThat(r.name()).isEqualTo("mole 48+16");
    }

    @Test
    void aLocalBaseFolderIsKeptForUploadAndItsPlanNamesAContentAddressedFolder() throws Exception {
        Path base = Files.createDirectories(dir.resolve("tiny model"));
        Files.writeString(base.resolve("config.json"), "{\"hidden_size\": 8}");
        Files.writeString(base.resolve("tokenizer.json"), "{}");
        FinetuneArgs a = parse("--dataset", "abc123", "--base", base.toString());
        assertThat(a.localBase()).contains(base.toAbsolutePath());
        assertThat(a.order().baseCheckpoint()).isNull();

        BaseCheckpointUpload plan = BaseCheckpointUpload.plan(base, "mole");
        assertThat(plan.files()).extracting(p -> p.getFileName().toString()).containsExactly("config.json", "tokenizer.json");
        assertThat(plan.folder().uri()).matches("s3://mole/models/tiny_model-[0-9a-f]{16}");
        assertThat(BaseCheckpointUpload.plan(base, "mole").folder()).as("same content, same folder").isEqualTo(plan.folder());
        Files.writeString(base.resolve("config.json"), "{\"hidden_size\": 16}");
        assertThat(BaseCheckpointUpload.plan(base, "mole").folder()).as("changed content, new folder")
                .isNotEqualTo(plan.folder());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> BaseCheckpointUpload.plan(empty, "mole")).isInstanceOf(MoleLauncher.UsageException.class)
                .hasMessageContaining("holds no config.json");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no dataset         | --base s3://mole/m                              | finetune needs --dataset",
        "no base            | --dataset abc                                   | finetune needs --base",
        "missing base dir   | --dataset abc --base /no/such/folder            | --base /no/such/folder is neither an s3:// folder nor a local folder",
        "seeds not numbers  | --dataset abc --base s3://mole/m --seeds 1,a    | --seeds needs whole numbers separated by commas, such as 1,2,3; got '1,a'",
        "epochs not whole   | --dataset abc --base s3://mole/m --epochs 1.5   | --epochs needs a whole number, got '1.5'",
        "lr not a number    | --dataset abc --base s3://mole/m --lr fast      | --lr needs a number, got 'fast'",
        "value left out     | --dataset abc --method --base s3://mole/m       | --method needs a value",
        "value at the end   | --dataset abc --base                            | --base needs a value",
        "unknown flag       | --dataset abc --base s3://mole/m --gpus 2       | unexpected argument '--gpus'. Usage: ./mole finetune",
        "stray word         | abc --base s3://mole/m                          | unexpected argument 'abc'",
    })
    void mistakesInTheFlagsAreOneSentence(String label, String args, String message) {
        assertThatThrownBy(() -> FinetuneArgs.parse(List.of(args.trim().split("\\s+"))))
                .isInstanceOf(MoleLauncher.UsageException.class).hasMessageStartingWith(message);
    }

    @Test
    void wrongValuesPassTheFlagsAndAreRefusedByTheOrderCheckTheApiMakesToo() {
        FinetuneOrder bad = parse("--dataset", "abc", "--base", "s3://mole/m", "--method", "lora").order();
        assertThatThrownBy(() -> bad.toRequest(dataset -> MANIFEST)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("method must be one of [MOLE, ALL_LANG, PER_LANG, FULL_FT, NO_FT, MULTIPL_MOE]; got 'lora'");
        // MultiPL-MoE takes neither a variant nor an init, and gets the paper's settings
        var moe = parse("--dataset", "abc", "--base", "s3://mole/m", "--method", "multipl_moe").order().toRequest(dataset -> MANIFEST);
        org.assertj.core.api.Assertions.assertThat(moe.moe()).isEqualTo(dev.mole.contracts.training.MoeSettings.paper());
        FinetuneOrder moeVariant = parse("--dataset", "abc", "--base", "s3://mole/m", "--method", "multipl_moe", "--variant", "48+16").order();
        assertThatThrownBy(() -> moeVariant.toRequest(dataset -> MANIFEST)).hasMessageContaining("variant does not apply to MULTIPL_MOE");
        FinetuneOrder zeroBatch = parse("--dataset", "abc", "--base", "s3://mole/m", "--batch", "0").order();
        assertThatThrownBy(() -> zeroBatch.toRequest(dataset -> MANIFEST))
                .hasMessage("effectiveBatch must be between 1 and 65536; got 0");
    }

    private static FinetuneArgs parse(String... args) {
        return FinetuneArgs.parse(List.of(args));
    }
}
