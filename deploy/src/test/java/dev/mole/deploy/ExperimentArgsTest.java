package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.experiment.ExperimentArm;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.training.TrainingMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./mole experiment start}'s flags: arms as METHOD[:VARIANT[:INIT]][=NAME], limits shared by every arm. */
class ExperimentArgsTest {
    @Test
    void armsSeedsLimitsAndTheEvaluationParse() {
        ExperimentArgs a = ExperimentArgs.parse(List.of("--dataset", "abc123", "--base", "s3://mole/models/tiny",
                "--arm", "mole:48+16", "--arm", "ALL-LANG:64", "--arm", "mole:48+16:nl_expert=mole-nl", "--arm", "no_ft",
                "--seeds", "1,2", "--max-steps", "24", "--tasks", "synthesis", "--languages", "python,rs", "--limit", "8",
                "--json"));
        assertThat(a.arms()).extracting(ExperimentArm::name).containsExactly("mole-48+16", "all_lang-64", "mole-nl", "no_ft");
        assertThat(a.arms()).extracting(ExperimentArm::method)
                .containsExactly(TrainingMethod.MOLE, TrainingMethod.ALL_LANG, TrainingMethod.MOLE, TrainingMethod.NO_FT);
        assertThat(a.arms().get(2).init()).isEqualTo("nl_expert");
        assertThat(a.arms()).allSatisfy(arm -> assertThat(arm.hyper().maxSteps()).isEqualTo(24));
        assertThat(a.seeds()).containsExactly(1L, 2L);
        assertThat(a.evaluation().kinds()).containsExactly(TaskKind.SYNTHESIS);
        assertThat(a.evaluation().languages()).containsExactly(Language.PYTHON, Language.RUST);
        assertThat(a.evaluation().pairs()).isEmpty();
        assertThat(a.json()).isTrue();
    }

    @Test
    void mistakesAreOneSentenceNamingTheFlag() {
        assertThatThrownBy(() -> ExperimentArgs.parse(List.of("--base", "s3://m/b", "--arm", "mole")))
                .hasMessageContaining("exactly one of --dataset ID and --input FILE");
        assertThatThrownBy(() -> ExperimentArgs.parse(List.of("--dataset", "d", "--base", "s3://m/b")))
                .hasMessageContaining("at least one --arm");
        assertThatThrownBy(() -> ExperimentArgs.parse(List.of("--dataset", "d", "--base", "s3://m/b", "--arm", "lorax:8")))
                .hasMessageContaining("unknown method 'lorax'");
        assertThatThrownBy(() -> ExperimentArgs.parse(List.of("--dataset", "d", "--base", "s3://m/b", "--arm", "mole:48x16")))
                .hasMessageContaining("--arm mole:48x16: MoLE variant '48x16' is not shared+expert ranks");
        assertThatThrownBy(() -> ExperimentArgs.parse(List.of("--dataset", "d", "--base", "s3://m/b", "--arm", "mole",
                "--tasks", "translation", "--pairs", "python-python"))).hasMessageContaining("--pairs");
    }
}
