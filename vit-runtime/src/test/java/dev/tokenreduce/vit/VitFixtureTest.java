package dev.tokenreduce.vit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.vit.config.PositionResampling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture model in every layout it is published in, at the native (64×64) and a resampled, non-square
 * (80×96) resolution: embeddings, each block and the final tokens match timm within the fixtures' tolerance.
 */
class VitFixtureTest {

    static final double TOL = 1e-4;
    static final List<String> MODELS = List.of("vit_plain", "vit_clip", "vit_reg_layerscale", "deit_distilled",
            "vit_noclass_avg");
    static final List<String> IO = List.of("io_64x64.safetensors", "io_80x96.safetensors");
    static final Map<String, Double> MEASURED = new LinkedHashMap<>();

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String model : MODELS) {
            Path dir = SharedFixtures.fixture("vit/" + model);
            for (String layout : List.of("timm", "hf")) {
                if (Files.isDirectory(dir.resolve(layout))) {
                    for (String io : IO) {
                        out.add(Arguments.of(model, layout, io));
                    }
                }
            }
        }
        return out.stream();
    }

    @Test
    void everyModelHasTheExpectedLayouts() {
        // A fixture that disappears must fail here instead of silently shrinking the parameterised test.
        long count = cases().count();
        assertThat(count).isEqualTo((MODELS.size() + 2) * IO.size());
    }

    @ParameterizedTest(name = "{0}/{1} {2}")
    @MethodSource("cases")
    void matchesReference(String model, String layout, String io) {
        Path dir = SharedFixtures.fixture("vit/" + model);
        try (VisionEncoder vit = VisionEncoder.load(dir.resolve(layout));
                NDManager scope = NDManager.newBaseManager();
                SafetensorsFile ref = SafetensorsFile.open(SharedFixtures.fixture("vit/" + model + "/" + io))) {
            NDArray pixels = ref.load("pixel_values", scope);
            EncoderOutput out = vit.encode(pixels, Policy.none(), scope,
                    EncodeOptions.builder().optRecordAll().build());
            double worst = 0;
            List<String> names = new ArrayList<>();
            names.add(EncodeOptions.EMBEDDINGS);
            for (int i = 0; i < vit.config().depth(); i++) {
                names.add(EncodeOptions.block(i));
            }
            names.add(EncodeOptions.FINAL);
            for (String name : names) {
                NDArray expected = ref.load(name, scope);
                double d = Tolerance.assertClose(out.intermediate(name), expected, TOL, model + "/" + layout + " " + io
                        + " " + name);
                worst = Math.max(worst, d);
            }
            Tolerance.assertClose(out.finalTokens(), ref.load("final", scope), TOL, "finalTokens");
            assertThat(out.reconstructed()).isNull();
            assertThat(out.records()).isEmpty();
            synchronized (MEASURED) {
                MEASURED.put(model + "/" + layout + " " + io, worst);
            }
        }
    }

    @Test
    void plainBicubicResamplingIsNotWhatTimmDoes() {
        // Guards the resampling path: HF-style bicubic (a = -0.75, edge replication) misses timm's antialiased
        // kernel at 80x96 but is irrelevant at the native 64x64 grid.
        Path dir = SharedFixtures.fixture("vit/vit_plain");
        try (VisionEncoder vit = VisionEncoder.builder().setModelPath(dir.resolve("timm"))
                        .optPositionResampling(PositionResampling.BICUBIC).build();
                NDManager scope = NDManager.newBaseManager();
                SafetensorsFile native64 = SafetensorsFile.open(dir.resolve("io_64x64.safetensors"));
                SafetensorsFile resampled = SafetensorsFile.open(dir.resolve("io_80x96.safetensors"))) {
            EncodeOptions embeddings = EncodeOptions.builder().optRecord(EncodeOptions.EMBEDDINGS).build();
            NDArray a = vit.encode(native64.load("pixel_values", scope), Policy.none(), scope, embeddings)
                    .intermediate(EncodeOptions.EMBEDDINGS);
            Tolerance.assertClose(a, native64.load("embeddings", scope), TOL, "native grid");
            NDArray b = vit.encode(resampled.load("pixel_values", scope), Policy.none(), scope, embeddings)
                    .intermediate(EncodeOptions.EMBEDDINGS);
            double diff = Tolerance.maxAbsDiff(b.toFloatArray(), resampled.load("embeddings", scope).toFloatArray());
            assertThat(diff).isGreaterThan(1e-3);
        }
    }

    @AfterAll
    static void report() {
        MEASURED.forEach((k, v) -> System.out.printf("max|a-b| %-45s %.3e%n", k, v));
    }
}
