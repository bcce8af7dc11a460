package dev.tokenreduce.clustering.expedit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the official Expedit clustering/reconstruction fixtures ({@code fixtures/expedit}). */
class ExpeditFixturesTest {

    private static final double TOL = 1e-5;

    record Case(String file, GridSize grid, GridSize clusters, int iterations, int window, float t, List<Integer> ks,
            float tr) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Case> cases() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(SharedFixtures.fixture("manifest.json").toFile());
        JsonNode list = manifest.get("expedit");
        assertThat(list).as("manifest key 'expedit'").isNotNull();
        List<Case> out = new ArrayList<>();
        for (JsonNode c : list) {
            List<Integer> ks = new ArrayList<>();
            c.get("reconstruction_k").forEach(k -> ks.add(k.asInt()));
            out.add(new Case(c.get("file").asText(),
                    new GridSize(c.get("grid_hw").get(0).asInt(), c.get("grid_hw").get(1).asInt()),
                    new GridSize(c.get("cluster_hw").get(0).asInt(), c.get("cluster_hw").get(1).asInt()),
                    c.get("iterations").asInt(), c.get("window").asInt(),
                    (float) c.get("temperature_multiplier").asDouble(), ks,
                    (float) c.get("reconstruction_temperature_multiplier").asDouble()));
        }
        assertThat(out).hasSize(10);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesOfficialCode(Case c) {
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsFile f = SafetensorsFile.open(SharedFixtures.fixture(c.file()))) {
            NDArray tokens = f.load("tokens", m);
            ClusteringResult r = ExpeditClustering.builder().setClusters(c.clusters()).setTemperature(c.t())
                    .optIterations(c.iterations()).optWindow(c.window()).build().cluster(tokens, c.grid());
            StringBuilder report = new StringBuilder(c.file());
            double d = Tolerance.assertClose(r.mergedTokens(), f.load("clustered", m), TOL, c.file() + " clustered");
            report.append(String.format(" clustered %.2e", d));
            assertThat(r.mergedHardLabels().toLongArray()).as(c.file() + " hard_labels")
                    .containsExactly(f.load("hard_labels", m).toLongArray());
            NDArray x = f.load("to_reconstruct", m);
            for (int k : c.ks()) {
                NDArray y = r.reconstruction(k < 0 ? ExpeditReconstruction.ALL : k, c.tr(), ReconstructionNorm.L2)
                        .restore(x);
                NDArray expected = f.load("reconstructed.k" + k, m);
                d = Tolerance.assertClose(y, expected, TOL, c.file() + " k" + k);
                report.append(String.format(" k%d %.2e", k, d));
                // The reconstruction alone, from the reference centres (no clustering involved), through the dense
                // path and, for a finite k, through the sparse host path whatever k / M is.
                for (double sparseDensity : k < 0 ? new double[] {0} : new double[] {0, 1}) {
                    ExpeditReconstruction alone = ExpeditReconstruction.builder().setTokens(tokens)
                            .setCentres(f.load("clustered", m)).setTemperature(c.tr())
                            .optTopK(k < 0 ? ExpeditReconstruction.ALL : k).withSparseDensity(sparseDensity).build();
                    assertThat(alone.isSparse()).isEqualTo(sparseDensity > 0);
                    Tolerance.assertClose(alone.apply(x), expected, TOL,
                            c.file() + " k" + k + " from reference centres, sparse " + alone.isSparse());
                }
            }
            d = Tolerance.assertClose(r.naiveUnpooling().restore(x), f.load("naive_unpooled", m), TOL,
                    c.file() + " naive");
            report.append(String.format(" naive %.2e", d));
            System.out.println("[expedit fixture] " + report);
        }
    }
}
