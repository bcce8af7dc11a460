package dev.tokenreduce.pruning.todre;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.core.op.OperatorRegistry;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stage 1 of fixtures/llava/todre_e2e: todre-diversity on the tiny LLaVA's projected image features with the
 * vision tower's CLS attention (stage 2 needs the decoder runtime and is checked there).
 */
class TodreLlavaStage1Test {

    @Test
    void matchesTheEndToEndSelection() throws Exception {
        JsonNode todre = new ObjectMapper().readTree(SharedFixtures.fixture("llava/manifest.json").toFile()).get("todre");
        int keep = todre.get("keep").asInt();
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsFile prefill = SafetensorsFile.open(SharedFixtures.fixture("llava/tiny_llava_prefill.safetensors"));
                SafetensorsFile e2e = SafetensorsFile.open(SharedFixtures.fixture(todre.get("file").asText()))) {
            var features = prefill.load("image_features", m);
            TokenState state = TokenState.of(features, TokenLayout.sequence(0, (int) features.getShape().get(1), 0));
            StepContext ctx = StepContext.builder(new HookPoint.VisionOutput(), m)
                    .optSignal(StepContext.CLS_ATTENTION, prefill.load("vision_cls_attention", m)).build();
            Reduction r = OperatorRegistry.defaults().create("todre-diversity",
                    new Params(Map.of("keep", keep, "mode", todre.get("mode").asText()), "llava e2e")).apply(state, ctx);
            long[] order = e2e.readLongs("selection_order");
            assertThat(order[0]).isEqualTo(todre.get("pivot").asLong());
            assertThat((int[]) r.record().details().get("selection-order"))
                    .containsExactly(Arrays.stream(order).mapToInt(Math::toIntExact).toArray());
            assertThat(r.state().visualIndex().toLongArray()).containsExactly(e2e.readLongs("kept_image_indices"));
        }
    }
}
