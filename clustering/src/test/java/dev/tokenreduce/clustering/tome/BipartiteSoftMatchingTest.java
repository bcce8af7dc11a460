package dev.tokenreduce.clustering.tome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class BipartiteSoftMatchingTest {

    /** The one-step fixtures listed under "tome" in the manifest (entries with an "r"). */
    static Stream<Arguments> mergeFixtures() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(SharedFixtures.fixture("manifest.json").toFile());
        List<Arguments> out = new ArrayList<>();
        for (JsonNode entry : manifest.get("tome")) {
            if (entry.has("r")) {
                out.add(Arguments.of(entry.get("file").asText(), entry.get("r").asInt(),
                        entry.get("class_token").asBoolean()));
            }
        }
        assertThat(out).as("merge fixtures in the manifest").hasSizeGreaterThanOrEqualTo(2);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mergeFixtures")
    void matchesReferenceFixture(String file, int r, boolean classToken) {
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsFile f = SafetensorsFile.open(SharedFixtures.fixture(file))) {
            NDArray metric = f.load("metric", m);
            NDArray x = f.load("x", m);
            TokenMatching matching = BipartiteSoftMatching.builder().setR(r).optProtectedPrefix(classToken ? 1 : 0)
                    .build().match(metric);
            WeightedMerge merged = matching.mergeWeighted(x, null);
            double dx = Tolerance.assertClose(merged.tokens(), f.load("merged", m), 1e-5, file + " merged");
            double ds = Tolerance.assertClose(merged.sizes(), f.load("size", m), 1e-5, file + " size");
            System.out.printf("%s: max|merged diff| = %.3g, max|size diff| = %.3g%n", file, dx, ds);
            assertThat(matching.r()).isEqualTo(r);
            assertSourceIndexConsistent(matching, x, merged);
        }
    }

    static Stream<Arguments> referenceCases() {
        // (tokens, r, class token, distillation token)
        return Stream.of(Arguments.of(17, 4, true, false), Arguments.of(16, 5, true, false),
                Arguments.of(18, 3, true, true), Arguments.of(19, 8, true, true), Arguments.of(12, 4, false, false),
                Arguments.of(13, 6, false, false), Arguments.of(65, 16, true, false), Arguments.of(9, 100, true, false));
    }

    @ParameterizedTest(name = "N={0} r={1} cls={2} dist={3}")
    @MethodSource("referenceCases")
    void matchesLiteralPortOfTheReference(int n, int r, boolean cls, boolean dist) {
        int b = 2;
        int c = 8;
        int channels = 5;
        Random random = new Random(31L * n + r);
        float[][][] metric = randomTokens(random, b, n, c);
        float[][][] x = randomTokens(random, b, n, channels);
        float[][] sizes = new float[b][n];
        for (float[] row : sizes) {
            for (int i = 0; i < n; i++) {
                row[i] = 1 + random.nextInt(4);
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            TokenMatching matching = BipartiteSoftMatching.builder().setR(r)
                    .optProtectedPrefix((cls ? 1 : 0) + (dist ? 1 : 0)).build().match(toArray(m, metric));
            WeightedMerge merged = matching.mergeWeighted(toArray(m, x), toArray(m, sizes).expandDims(2));
            for (int i = 0; i < b; i++) {
                TomeReference.Result ref = TomeReference.mergeWavg(metric[i], x[i], sizes[i], r, cls, dist);
                Tolerance.assertClose(merged.tokens().get(i).toFloatArray(), flatten(ref.tokens()), 1e-5,
                        "tokens of batch " + i);
                Tolerance.assertClose(merged.sizes().get(i).toFloatArray(), ref.sizes(), 1e-6, "sizes of batch " + i);
            }
        }
    }

    @Test
    void clipsROnlyToWhatTheReferenceAllows() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray metric = m.randomNormal(new Shape(1, 17, 4));
            TokenMatching clipped = BipartiteSoftMatching.builder().setR(9).optProtectedPrefix(1).build()
                    .match(metric);
            assertThat(BipartiteSoftMatching.maxR(17, 1)).isEqualTo(8);
            assertThat(clipped.requestedR()).isEqualTo(9);
            assertThat(clipped.r()).isEqualTo(8);
            assertThat(clipped.outputTokens()).isEqualTo(9);
            // the largest allowed r leaves exactly the B tokens (and CLS)
            assertThat(clipped.mergeWeighted(m.randomNormal(new Shape(1, 17, 3)), null).sizes().sum().getFloat())
                    .isEqualTo(17f);
            TokenMatching none = BipartiteSoftMatching.builder().setR(3).optProtectedPrefix(1).build()
                    .match(m.randomNormal(new Shape(1, 2, 4)));
            assertThat(none.r()).isZero();
            NDArray x = m.randomNormal(new Shape(1, 2, 3));
            assertThat(none.merge(x).toFloatArray()).containsExactly(x.toFloatArray());
            assertThat(none.sourceIndex().toLongArray()).containsExactly(0L);
        }
    }

    @Test
    void rejectsInvalidArguments() {
        assertThatThrownBy(() -> BipartiteSoftMatching.builder().setR(-1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("tome").hasMessageContaining("r must be >= 0");
        assertThatThrownBy(() -> BipartiteSoftMatching.builder().build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("r is required");
        try (NDManager m = NDManager.newBaseManager()) {
            BipartiteSoftMatching bsm = BipartiteSoftMatching.builder().setR(2).optProtectedPrefix(1).build();
            assertThatThrownBy(() -> bsm.match(m.ones(new Shape(5, 4)))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("metric");
            TokenMatching matching = bsm.match(m.randomNormal(new Shape(2, 9, 4)));
            assertThatThrownBy(() -> matching.merge(m.ones(new Shape(2, 8, 3))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("(2, 9, C)");
            assertThatThrownBy(() -> matching.mergeWeighted(m.ones(new Shape(2, 9, 3)), m.ones(new Shape(2, 9, 2))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("sizes");
            assertThatThrownBy(() -> matching.unmerge(m.ones(new Shape(2, 9, 3))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("(2, 7, C)");
            assertThatThrownBy(() -> BipartiteSoftMatching.builder().setR(1).optProtectedPrefix(4).build()
                    .match(m.ones(new Shape(1, 3, 2)))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("protected");
        }
    }

    @Test
    void tiesAreBrokenDeterministicallyByLowerIndex() {
        // one-hot metric rows: scores are exactly 0 or 1, so many best matches tie
        int n = 11;
        int c = 3;
        float[][][] metric = new float[1][n][c];
        for (int i = 0; i < n; i++) {
            metric[0][i][i % c] = 1f;
        }
        float[][][] x = randomTokens(new Random(7), 1, n, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            BipartiteSoftMatching bsm = BipartiteSoftMatching.builder().setR(3).optProtectedPrefix(1).build();
            WeightedMerge first = bsm.match(toArray(m, metric)).mergeWeighted(toArray(m, x), null);
            for (int repeat = 0; repeat < 3; repeat++) {
                TokenMatching again = bsm.match(toArray(m, metric));
                assertThat(again.mergeWeighted(toArray(m, x), null).tokens().toFloatArray())
                        .containsExactly(first.tokens().toFloatArray());
            }
            TomeReference.Result ref = TomeReference.mergeWavg(metric[0], x[0], null, 3, true, false);
            Tolerance.assertClose(first.tokens().toFloatArray(), flatten(ref.tokens()), 1e-6, "tied tokens");
            assertThat(first.sizes().toFloatArray()).containsExactly(ref.sizes());
        }
    }

    @ParameterizedTest(name = "N={0} prefix={1}")
    @CsvSource({"17, 1", "18, 2", "21, 5", "12, 0"})
    void unmergeRestoresConstantsAndMatchesSizes(int n, int prefix) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray metric = m.randomNormal(0, 1, new Shape(2, n, 6), DataType.FLOAT32);
            TokenMatching matching = BipartiteSoftMatching.builder().setR(4).optProtectedPrefix(prefix).build()
                    .match(metric);
            NDArray x = m.randomNormal(0, 1, new Shape(2, n, 3), DataType.FLOAT32);
            WeightedMerge merged = matching.mergeWeighted(x, null);
            assertThat(merged.sizes().sum().getFloat()).isEqualTo(2f * n);
            NDArray constant = m.full(new Shape(2, n - 4, 2), 2.5f);
            assertThat(matching.unmerge(constant).toFloatArray()).containsOnly(2.5f).hasSize(2 * n * 2);
            assertSourceIndexConsistent(matching, x, merged);
            // unmerge(merge(x)) puts every token's group mean in its place; the prefix comes back untouched
            NDArray restored = matching.unmerge(merged.tokens());
            assertThat(restored.getShape()).isEqualTo(x.getShape());
            if (prefix > 0) {
                assertThat(restored.get(":, :{}", prefix).toFloatArray())
                        .containsExactly(x.get(":, :{}", prefix).toFloatArray());
            }
        }
    }

    /**
     * The source map agrees with the merge: each merged span token holds exactly size-many originals and equals
     * their mean (unit input sizes).
     */
    private static void assertSourceIndexConsistent(TokenMatching matching, NDArray x, WeightedMerge merged) {
        int p = matching.protectedPrefix();
        int mOut = matching.mergedSpanTokens();
        NDArray source = matching.sourceIndex(); // (B, span)
        assertThat(source.getShape()).isEqualTo(new Shape(x.getShape().get(0), matching.spanTokens()));
        NDManager m = source.getManager();
        NDArray oneHot = source.expandDims(2).eq(m.arange(0, mOut).toType(DataType.INT64, false).reshape(1, 1, mOut))
                .toType(DataType.FLOAT32, false); // (B, span, M)
        NDArray counts = oneHot.sum(new int[] {1});
        NDArray spanSizes = merged.sizes().get(":, {}:, 0", p);
        assertThat(counts.toFloatArray()).containsExactly(spanSizes.toFloatArray());
        NDArray spanX = x.get(":, {}:", p);
        NDArray means = oneHot.transpose(0, 2, 1).matMul(spanX).div(counts.expandDims(2));
        Tolerance.assertClose(means, merged.tokens().get(":, {}:", p), 1e-5, "means by source map");
    }

    static float[][][] randomTokens(Random random, int b, int n, int c) {
        float[][][] out = new float[b][n][c];
        for (float[][] row : out) {
            for (float[] t : row) {
                for (int k = 0; k < c; k++) {
                    t[k] = (float) random.nextGaussian();
                }
            }
        }
        return out;
    }

    static NDArray toArray(NDManager m, float[][][] v) {
        int b = v.length;
        int n = v[0].length;
        int c = v[0][0].length;
        float[] flat = new float[b * n * c];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                System.arraycopy(v[i][j], 0, flat, (i * n + j) * c, c);
            }
        }
        return m.create(flat, new Shape(b, n, c));
    }

    static NDArray toArray(NDManager m, float[][] v) {
        return m.create(flatten(v), new Shape(v.length, v[0].length));
    }

    static float[] flatten(float[][] v) {
        int total = 0;
        for (float[] row : v) {
            total += row.length;
        }
        float[] flat = new float[total];
        int at = 0;
        for (float[] row : v) {
            System.arraycopy(row, 0, flat, at, row.length);
            at += row.length;
        }
        return flat;
    }
}
