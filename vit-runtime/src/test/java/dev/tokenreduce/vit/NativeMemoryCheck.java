package dev.tokenreduce.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs many forward passes of the {@code vit_plain} fixture model, each in its own NDManager scope, and reports
 * native memory: the process resident set (VmRSS from {@code /proc/self/status}) after a warm-up and after the
 * measured passes, and the arrays the encoder's own manager holds before and after. Passes alternate a baseline
 * at the native grid, a baseline at a resampled grid, the Expedit hourglass policy (dense weights), ToMe and the
 * hourglass with k small enough for host-computed sparse weights, so operator outputs, restorations, cached position
 * and tile tables and both weight paths are all exercised.
 *
 * <p>Run it in a JVM whose heap is fixed and pre-touched, so heap growth does not show up as RSS growth:
 * <pre>
 * java -Xms192m -Xmx192m -XX:+AlwaysPreTouch -Dai.djl.offline=true -Dtokenreduce.testdata=/path/to/testdata \
 *      -cp TEST_CLASSPATH dev.tokenreduce.vit.NativeMemoryCheck [passes=500] [warmUp=300] [traceEvery=0]
 * </pre>
 * {@link NativeMemoryTest} does exactly that. The last line printed is
 * {@code RESULT passes=N rssGrowthKb=G arraysBefore=A arraysAfter=A2}.
 */
public final class NativeMemoryCheck {

    /** Policy of each pass, cyclically: none (native grid), none (resampled), hourglass, ToMe, hourglass sparse. */
    private static final int[] PASS_POLICY = {0, 0, 1, 2, 3};

    private NativeMemoryCheck() {}

    static long rssKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in " + status);
    }

    public static void main(String[] args) throws IOException {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int traceEvery = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        PolicyLoader loader = PolicyLoader.withDefaults();
        List<Policy> policies = List.of(Policy.none(),
                loader.parse("steps:\n - {op: expedit-cluster, at: {block: 2}, params: {clusters: 4x4, window: 3,"
                        + " temperature: 0.003}}\n - {op: expedit-reconstruct, at: output, params: {k: 3,"
                        + " temperature: 0.003}}\n", false, "hourglass", "hourglass", null),
                loader.parse("steps:\n - {op: tome, at: blocks, params: {r: 4}}\n", false, "tome", "tome", null),
                // k 1 of 16 clusters: the weights are computed on the host and applied as a sparse product
                loader.parse("steps:\n - {op: expedit-cluster, at: {block: 2}, params: {clusters: 4x4, window: 3,"
                        + " temperature: 0.003}}\n - {op: expedit-reconstruct, at: output, params: {k: 1,"
                        + " temperature: 0.003}}\n", false, "hourglass-sparse", "hourglass-sparse", null));
        try (VisionEncoder vit = VisionEncoder.load(SharedFixtures.fixture("vit/vit_plain/timm"));
                NDManager inputs = NDManager.newBaseManager();
                SafetensorsFile a = SafetensorsFile.open(SharedFixtures.fixture("vit/vit_plain/io_64x64.safetensors"));
                SafetensorsFile b = SafetensorsFile.open(SharedFixtures.fixture("vit/vit_plain/io_80x96.safetensors"))) {
            NDArray native64 = a.load("pixel_values", inputs);
            NDArray resampled = b.load("pixel_values", inputs);
            long start = System.nanoTime();
            long rssAfterWarmUp = 0;
            int arraysBefore = -1;
            for (int i = 0; i < warmUp + passes; i++) {
                if (i == warmUp) {
                    System.gc();
                    rssAfterWarmUp = rssKb();
                    arraysBefore = vit.retainedArrays();
                }
                if (traceEvery > 0 && i % traceEvery == 0) {
                    System.out.printf("pass %d: RSS %d kB%n", i, rssKb());
                }
                try (NDManager scope = NDManager.newBaseManager()) {
                    NDArray pixels = i % 5 == 1 ? resampled : native64;
                    Policy policy = policies.get(PASS_POLICY[i % 5]);
                    vit.encode(pixels, policy, scope, EncodeOptions.builder().optRecord(EncodeOptions.FINAL).build());
                }
            }
            System.gc();
            long growth = rssKb() - rssAfterWarmUp;
            int inputArrays = inputs.getManagedArrays().size();
            System.out.printf("RESULT passes=%d rssGrowthKb=%d arraysBefore=%d arraysAfter=%d inputArrays=%d"
                    + " seconds=%.1f%n", passes, growth, arraysBefore, vit.retainedArrays(), inputArrays,
                    (System.nanoTime() - start) / 1e9);
        }
    }
}
