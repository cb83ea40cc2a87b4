package dev.mole.contracts.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.storage.ObjectRef;
import org.junit.jupiter.api.Test;

class MoeSettingsTest {

    @Test
    void thePapersSettingsAndTheRouterLayout() {
        MoeSettings p = MoeSettings.paper();
        assertThat(p.routerRows()).isEqualTo(12);
        assertThat(p.window()).isEqualTo(64);
        assertThat(p.tokenWeight()).isEqualTo(0.7);
        assertThat(p.segmentWeight()).isEqualTo(0.3);
        assertThat(MoeSettings.lowRank(16).expertRank()).isEqualTo(16);
        assertThatThrownBy(() -> new MoeSettings(6, 6, 64, 1.0, 4, 0.0, 0.0, 1e-2, 1e-3, MoeSettings.ExpertSize.FULL, 0, 0))
                .hasMessageContaining("not both 0");
        assertThatThrownBy(() -> new MoeSettings(6, 6, 64, 1.0, 4, 0.7, 0.3, 1e-2, 1e-3, MoeSettings.ExpertSize.FULL, 8, 8))
                .hasMessageContaining("FULL experts need 0");
        assertThatThrownBy(() -> new MoeSettings(6, 6, 0, 1.0, 4, 0.7, 0.3, 1e-2, 1e-3, MoeSettings.ExpertSize.FULL, 0, 0))
                .hasMessageContaining("window must be at least 1");
    }

    @Test
    void onlyMultiplMoeRequestsCarrySettingsAndTheyTravelAsJson() throws Exception {
        ObjectRef m = ObjectRef.parse("s3://mole/d/manifest.json"), b = ObjectRef.parse("s3://mole/base");
        TrainingRequest moe = new TrainingRequest("r", TrainingMethod.MULTIPL_MOE, null, null, 1L, null, m, b, ObjectRef.parse("s3://mole/out"));
        assertThat(moe.moe()).isEqualTo(MoeSettings.paper());
        assertThat(new TrainingRequest("r", TrainingMethod.MOLE, null, null, 1L, null, m, b, ObjectRef.parse("s3://mole/out")).moe()).isNull();
        assertThatThrownBy(() -> new FinetuneRequest("x", TrainingMethod.MOLE, null, null, null, null, m, b, null, MoeSettings.paper()))
                .hasMessageContaining("do not apply to MOLE");
        ObjectMapper om = new ObjectMapper();
        TrainingRequest low = new TrainingRequest("r", TrainingMethod.MULTIPL_MOE, null, null, 1L, null, m, b, ObjectRef.parse("s3://mole/out"),
                "randomized", null, MoeSettings.lowRank(8));
        assertThat(om.readValue(om.writeValueAsString(low), TrainingRequest.class)).isEqualTo(low);
    }
}
