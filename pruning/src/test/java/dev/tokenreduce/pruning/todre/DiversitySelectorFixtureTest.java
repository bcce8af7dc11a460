package dev.tokenreduce.pruning.todre;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.pruning.Manifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ToDRE stage 1 against the float64 reference orders of fixtures/todre (pivot = argmax [CLS] attention). */
class DiversitySelectorFixtureTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode entry : Manifest.entries("todre")) {
            for (DiversityMode mode : DiversityMode.values()) {
                for (int lookahead : new int[] {0, DiversitySelector.DEFAULT_CPU_LOOKAHEAD}) {
                    out.add(Arguments.of(entry.get("file").asText(), entry.get("k").asInt(),
                            entry.get("pivot").asInt(), mode, lookahead));
                }
            }
        }
        assertThat(out).hasSize(4 * 2 * 2);
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {3} lookahead {4}")
    @MethodSource("cases")
    void matchesReferenceOrder(String file, int k, int pivot, DiversityMode mode, int lookahead) {
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsFile f = SafetensorsFile.open(SharedFixtures.fixture(file))) {
            NDArray tokens = f.load("visual_tokens", m);
            NDArray cls = f.load("cls_attention", m);
            long[] expected = f.readLongs(mode == DiversityMode.MAX_SUM ? "max_sum_order" : "k_center_order");
            assertThat(expected).hasSize(k);
            assertThat(expected[0]).as("reference pivot").isEqualTo(pivot);

            DiversitySelection s = DiversitySelector.builder().optMode(mode).optLookahead(lookahead).build()
                    .select(tokens, cls, k);

            assertThat(s.order().getShape().dimension()).isEqualTo(1);
            assertThat(s.order().toLongArray()).as("selection order").containsExactly(expected);
            long[] sorted = expected.clone();
            Arrays.sort(sorted);
            assertThat(s.kept().toLongArray()).as("kept indices").containsExactly(sorted);
        }
    }
}
