package dev.mole.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxProgram;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HumanEvalPackTest {

    @Test
    void everyLanguageHas164TasksInOrderWithTheFieldsEvaluationNeeds() {
        for (Language l : Language.humanEvalPack()) {
            List<HumanEvalTask> tasks = HumanEvalPack.load(l);
            assertThat(tasks).hasSize(164);
            for (int i = 0; i < tasks.size(); i++) {
                HumanEvalTask t = tasks.get(i);
                assertThat(t.taskId()).isEqualTo(l.taskPrefix() + "/" + i);
                assertThat(t.number()).isEqualTo(i);
                assertThat(t.language()).isEqualTo(l);
                assertThat(List.of(t.prompt(), t.declaration(), t.canonicalSolution(), t.buggySolution(), t.test(),
                        t.entryPoint(), t.docstring(), t.instruction())).as(t.taskId()).noneMatch(String::isBlank);
            }
        }
        assertThat(HumanEvalPack.task(Language.GO, 0).goTestSetup()).contains("testify");
        assertThat(HumanEvalPack.task(Language.PYTHON, 0).goImport()).isEmpty();
        assertThat(HumanEvalPack.task(Language.JAVA, 0).entryPoint()).isEqualTo("hasCloseElements");
    }

    @Test
    void findsTasksByNumberOrIdAndNamesTheValidRange() {
        assertThat(HumanEvalPack.task("Go/10").entryPoint()).isEqualTo("MakePalindrome");
        assertThat(HumanEvalPack.task("js/3")).isSameAs(HumanEvalPack.task(Language.JAVASCRIPT, 3));
        assertThatThrownBy(() -> HumanEvalPack.task(Language.GO, 164)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no task Go/164").hasMessageContaining("Go/0 to Go/163");
        assertThatThrownBy(() -> HumanEvalPack.task(Language.RUST, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HumanEvalPack.task("Go/ten")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Go/ten");
        assertThatThrownBy(() -> HumanEvalPack.task("10")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HumanEvalPack.task("C/1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a HumanEvalPack language");
        assertThatThrownBy(() -> HumanEvalPack.load(Language.CSHARP)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a HumanEvalPack language");
    }

    @Test
    void readsTheSameLayoutFromADirectory(@TempDir Path dir) throws IOException {
        try (InputStream in = HumanEvalPack.class.getResourceAsStream(HumanEvalPack.RESOURCE_DIR + "humanevalpack_js.jsonl")) {
            Files.copy(in, dir.resolve("humanevalpack_js.jsonl"));
        }
        assertThat(HumanEvalPack.load(dir, Language.JAVASCRIPT)).isEqualTo(HumanEvalPack.load(Language.JAVASCRIPT));
        assertThatThrownBy(() -> HumanEvalPack.load(dir, Language.GO)).hasMessageContaining("humanevalpack_go.jsonl");
    }

    @Test
    void theDirectoryOverrideRedirectsTheClasspathLoad(@TempDir Path dir) throws IOException {
        String line = "{\"task_id\": \"Python/0\", \"prompt\": \"def f():\\n\", \"entry_point\": \"f\"}\n";
        Files.writeString(dir.resolve("humanevalpack_python.jsonl"), line);
        System.setProperty(HumanEvalPack.DIR_PROPERTY, dir.toString());
        try {
            assertThat(HumanEvalPack.load(Language.PYTHON)).singleElement()
                    .satisfies(t -> assertThat(t.prompt()).isEqualTo("def f():\n"))
                    .satisfies(t -> assertThat(t.docstring()).isEmpty());
            assertThat(HumanEvalPack.source()).isEqualTo(dir.toString());
        } finally {
            System.clearProperty(HumanEvalPack.DIR_PROPERTY);
        }
        assertThat(HumanEvalPack.load(Language.PYTHON)).hasSize(164);
        assertThat(HumanEvalPack.source()).startsWith("classpath:");
    }

    @Test
    void rejectsFilesOutOfOrder(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("humanevalpack_go.jsonl"), "{\"task_id\": \"Go/1\"}\n");
        assertThatThrownBy(() -> HumanEvalPack.load(dir, Language.GO)).hasMessageContaining("expected task 0, found Go/1");
    }

    @Test
    void aTasksProgramIsItsPromptCompletedByTheSolution() {
        HumanEvalTask t = HumanEvalPack.task(Language.JAVASCRIPT, 5);
        SandboxProgram p = t.canonicalProgram();
        assertThat(p.id()).isEqualTo("JavaScript/5/canonical");
        assertThat(p.language()).isEqualTo("js");
        assertThat(p.prompt()).isEqualTo(t.prompt());
        assertThat(p.solution()).isEqualTo(t.canonicalSolution());
        assertThat(p.test()).isEqualTo(t.test());
        assertThat(t.buggyProgram().solution()).isEqualTo(t.buggySolution());
    }

    @Test
    void taskIdsMustBelongToTheirLanguage() {
        assertThatThrownBy(() -> new HumanEvalTask(Language.GO, "Python/1", "", "", "", "", "", "", "", "", "", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Go/N");
        assertThatThrownBy(() -> new HumanEvalTask(Language.GO, "Go/x", "", "", "", "", "", "", "", "", "", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task number");
    }
}
