package dev.tokenreduce.vit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.Tensors;
import dev.tokenreduce.core.op.AbstractTokenReducer;
import dev.tokenreduce.core.op.ReducedVisual;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.op.TokenOperator;
import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyException;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.core.policy.PolicyStep;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Steps run at the hook they name, see the tokens of that point, and their results flow into later blocks. */
class HookPointTest {

    static VisionEncoder vit;

    @BeforeAll
    static void load() {
        vit = VisionEncoder.load(SharedFixtures.fixture("vit/vit_plain/timm"));
    }

    @AfterAll
    static void close() {
        vit.close();
    }

    /** What a probe saw at one call. */
    record Seen(HookPoint at, int layerIndex, NDArray tokens, NDArray keys) {}

    /** Records where it ran and the tokens it saw; changes nothing. */
    static final class Probe implements TokenOperator {
        final List<Seen> seen = new ArrayList<>();

        @Override
        public String id() {
            return "probe";
        }

        @Override
        public Reduction apply(TokenState state, StepContext context) {
            seen.add(new Seen(context.at(), context.layerIndex(), state.tokens(),
                    context.signal(StepContext.KEY_METRIC).orElse(null)));
            int v = state.layout().visual();
            ReductionRecord record = new ReductionRecord(id(), context.at().toString(), v, v, 0, Map.of());
            return new Reduction(state.toBuilder().addRecord(record).build(), record);
        }
    }

    /** Keeps the first {@code k} visual tokens (a selection, so the base class restores by nearest kept token). */
    static final class KeepFirst extends AbstractTokenReducer {
        final int k;

        KeepFirst(int k) {
            this.k = k;
        }

        @Override
        public String id() {
            return "keep-first";
        }

        @Override
        protected ReducedVisual reduce(NDArray visual, TokenLayout layout, TokenState state, StepContext context) {
            long b = visual.getShape().get(0);
            return ReducedVisual.kept(Tensors.arangeLong(context.manager(), 0, k).expandDims(0).repeat(0, b));
        }
    }

    static Policy policy(PolicyStep... steps) {
        return new Policy("test", List.of(steps), null);
    }

    static PolicyStep step(int index, TokenOperator op, HookPoint at) {
        return new PolicyStep(index, op.id(), at, op, Map.of());
    }

    @Test
    void afterBlockAndOutputStepsSeeTheTokensOfTheirHook() {
        Probe probe = new Probe();
        Policy policy = policy(step(1, probe, new HookPoint.AfterBlock(0)), step(2, probe, new HookPoint.AfterBlock(2)),
                step(3, probe, new HookPoint.AfterBlock(4)), step(4, probe, new HookPoint.Output()));
        try (NDManager scope = NDManager.newBaseManager();
                SafetensorsFile ref = SafetensorsFile.open(SharedFixtures.fixture("vit/vit_plain/io_64x64.safetensors"))) {
            EncoderOutput out = vit.encode(ref.load("pixel_values", scope), policy, scope);
            assertThat(probe.seen).extracting(Seen::at).containsExactly(new HookPoint.AfterBlock(0),
                    new HookPoint.AfterBlock(2), new HookPoint.AfterBlock(4), new HookPoint.Output());
            assertThat(probe.seen).extracting(Seen::layerIndex).containsOnly(-1);
            assertThat(probe.seen).extracting(Seen::keys).containsOnlyNulls();
            Tolerance.assertClose(probe.seen.get(0).tokens(), ref.load("embeddings", scope), 1e-4, "block 0 hook");
            Tolerance.assertClose(probe.seen.get(1).tokens(), ref.load("block.1", scope), 1e-4, "block 2 hook");
            Tolerance.assertClose(probe.seen.get(2).tokens(), ref.load("block.3", scope), 1e-4, "block 4 hook");
            Tolerance.assertClose(probe.seen.get(3).tokens(), ref.load("final", scope), 1e-4, "output hook");
            assertThat(out.records()).hasSize(4).allMatch(r -> r.op().equals("probe"));
        }
    }

    @Test
    void everyBlockStepsRunInsideEachBlockWithTheKeyMetric() {
        Probe probe = new Probe();
        try (NDManager scope = NDManager.newBaseManager()) {
            NDArray pixels = scope.randomNormal(new Shape(2, 3, 64, 64));
            vit.encode(pixels, policy(step(1, probe, new HookPoint.EveryBlock())), scope);
            assertThat(probe.seen).extracting(Seen::layerIndex).containsExactly(0, 1, 2, 3);
            for (Seen s : probe.seen) {
                assertThat(s.keys().getShape()).isEqualTo(new Shape(2, 65, 16));
                assertThat(s.tokens().getShape()).isEqualTo(new Shape(2, 65, 64));
            }
        }
    }

    @Test
    void reductionAtABlockShortensLaterBlocksAndRestoresTheGrid() {
        Probe probe = new Probe();
        Policy policy = policy(step(1, new KeepFirst(10), new HookPoint.AfterBlock(1)),
                step(2, probe, new HookPoint.EveryBlock()));
        try (NDManager scope = NDManager.newBaseManager()) {
            NDArray pixels = scope.randomNormal(new Shape(2, 3, 64, 64));
            EncoderOutput out = vit.encode(pixels, policy, scope,
                    EncodeOptions.builder().optRecord("block.0", "block.1").build());
            assertThat(out.intermediate("block.0").getShape()).isEqualTo(new Shape(2, 65, 64));
            assertThat(out.intermediate("block.1").getShape()).isEqualTo(new Shape(2, 11, 64));
            assertThat(out.finalTokens().getShape()).isEqualTo(new Shape(2, 11, 64));
            assertThat(out.reconstructed().getShape()).isEqualTo(new Shape(2, 64, 64));
            // block 0 ran on 65 tokens, blocks 1..3 on 11
            assertThat(probe.seen).extracting(s -> s.tokens().getShape().get(1)).containsExactly(65L, 11L, 11L, 11L);
            // records in run order: the probe inside block 0, then keep-first after block 1, then probes
            assertThat(out.records()).extracting(ReductionRecord::op).containsExactly("probe", "keep-first", "probe",
                    "probe", "probe");
            ReductionRecord keep = out.records().get(1);
            assertThat(keep.tokensIn()).isEqualTo(64);
            assertThat(keep.tokensOut()).isEqualTo(10);
            // the first 10 grid tokens are restored from themselves
            Tolerance.assertClose(out.reconstructed().get(new NDIndex(":, :10")), out.patchTokens(), 0, "kept rows");
        }
    }

    @Test
    void tomeInEveryBlockMatchesTheReferencePatchedModel() {
        Policy tome = PolicyLoader.withDefaults().parse("steps:\n  - {op: tome, at: blocks, params: {r: 4}}\n", false,
                "tome.yaml", "tome", null);
        try (NDManager scope = NDManager.newBaseManager();
                SafetensorsFile ref = SafetensorsFile.open(SharedFixtures.fixture("tome/vit_plain_r4.safetensors"))) {
            EncoderOutput out = vit.encode(ref.load("pixel_values", scope), tome, scope);
            double d = Tolerance.assertClose(out.finalTokens(), ref.load("final", scope), 1e-4, "tome r=4 final");
            System.out.printf("max|a-b| tome/vit_plain_r4 final %.3e%n", d);
            assertThat(out.records()).hasSize(4).allMatch(r -> r.tokensIn() - r.tokensOut() == 4);
            assertThat(out.reconstructed().getShape()).isEqualTo(new Shape(2, 64, 64));
        }
    }

    @Test
    void rejectsHooksBeyondTheDepthAndLanguageModelHooks() {
        Probe probe = new Probe();
        try (NDManager scope = NDManager.newBaseManager()) {
            NDArray pixels = scope.zeros(new Shape(1, 3, 64, 64));
            assertThatThrownBy(() -> vit.encode(pixels, policy(step(1, probe, new HookPoint.AfterBlock(5))), scope))
                    .isInstanceOf(PolicyException.class).hasMessageContaining("block 5").hasMessageContaining("4 blocks");
            assertThatThrownBy(() -> vit.encode(pixels, policy(step(1, probe, new HookPoint.VisionOutput())), scope))
                    .isInstanceOf(PolicyException.class).hasMessageContaining("vision-output");
        }
    }

    @Test
    void rejectsMalformedPixels() {
        try (NDManager scope = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> vit.encode(scope.zeros(new Shape(3, 64, 64)), Policy.none(), scope))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("(B, 3, H, W)");
            assertThatThrownBy(() -> vit.encode(scope.zeros(new Shape(1, 64, 64, 3)), Policy.none(), scope))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("channels");
            assertThatThrownBy(() -> vit.encode(scope.zeros(new Shape(1, 3, 60, 64)), Policy.none(), scope))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("multiple of the patch size 8");
            NDArray nan = scope.zeros(new Shape(1, 3, 64, 64));
            nan.set(new NDIndex("0, 1, 5, 7"), Float.NaN);
            assertThatThrownBy(() -> vit.encode(nan, Policy.none(), scope))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
            assertThatThrownBy(() -> vit.encode(scope.zeros(new Shape(1, 3, 64, 64)), Policy.none(), scope,
                    EncodeOptions.builder().optRecord("block.4").build()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("block.3");
        }
    }
}
