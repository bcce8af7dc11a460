package dev.tokenreduce.pruning.transprune;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.pruning.Manifest;
import dev.tokenreduce.pruning.PositionIds;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fixtures/transprune/ttv_and_selection (liaolea/TransPrune code form): per-layer TTV and accumulated TTV within
 * 1e−5 · max(1, max|ref|); kept sequence positions identical, from the fixture's IGA and the manifest's α and keep.
 */
class TransPruneFixtureTest {

    private static final double TOL = 1e-5;

    private String file;
    private int length;
    private int imageFrom;
    private int imageTo;
    private int keep;
    private double alpha;

    @BeforeEach
    void readManifest() {
        JsonNode entry = Manifest.entries("transprune").get(0);
        file = entry.get("file").asText();
        length = entry.get("sequence_length").asInt();
        imageFrom = entry.get("image_span").get(0).asInt();
        imageTo = entry.get("image_span").get(1).asInt();
        keep = entry.get("keep").asInt();
        alpha = entry.get("alpha").asDouble();
    }

    private TokenLayout layout() {
        return TokenLayout.sequence(imageFrom, imageTo - imageFrom, length - imageTo);
    }

    @Test
    void perLayerAndAccumulatedTtv() {
        try (NDManager m = NDManager.newBaseManager(); SafetensorsFile f = SafetensorsFile.open(SharedFixtures.fixture(file))) {
            TtvAccumulator acc = new TtvAccumulator();
            for (int l = 0; l < 3; l++) {
                String p = "layer" + l + ".";
                NDArray ttv = TokenTransitionVariation.layer(f.load(p + "attn_in", m), f.load(p + "attn_out", m),
                        f.load(p + "ffn_in", m), f.load(p + "ffn_out", m), TtvDirection.CODE);
                Tolerance.assertClose(ttv, f.load(p + "ttv", m), TOL, "layer " + l + " TTV");
                acc.add(l + 1, ttv);
            }
            Tolerance.assertClose(acc.sumUpTo(3), f.load("ttv_accumulated", m), TOL, "accumulated TTV");
            Tolerance.assertClose(acc.sumUpTo(1), f.load("layer0.ttv", m), TOL, "TTV up to layer 1");
        }
    }

    @Test
    void keptPositionsFromScore() {
        try (NDManager m = NDManager.newBaseManager(); SafetensorsFile f = SafetensorsFile.open(SharedFixtures.fixture(file))) {
            NDArray ttv = f.load("ttv_accumulated", m).get(":, {}:{}", imageFrom, imageTo);
            NDArray iga = f.load("iga", m).expandDims(0);
            NDArray kept = TransPruneScore.select(ttv, iga, alpha, keep);
            assertThat(kept.add(imageFrom).toLongArray()).containsExactly(f.readLongs("kept_indices"));
        }
    }

    @Test
    void sessionObservesPrunesAndReindexes() {
        try (NDManager m = NDManager.newBaseManager(); SafetensorsFile f = SafetensorsFile.open(SharedFixtures.fixture(file))) {
            double ratio = (double) keep / (imageTo - imageFrom);
            TransPruneOperator op = new TransPruneOperator(TransPruneSchedule.of(List.of(1, 2, 3), List.of(3),
                    List.of(ratio)), alpha, TtvDirection.CODE, PositionIds.RENUMBER);
            TransPruneSession s = op.newSession(layout(), null, 4);
            for (int l = 0; l < 3; l++) {
                String p = "layer" + l + ".";
                assertThat(s.prunesAfter(l)).isEqualTo(l == 2);
                s.observe(l, f.load(p + "attn_in", m), f.load(p + "attn_out", m), f.load(p + "ffn_in", m),
                        f.load(p + "ffn_out", m));
            }
            NDArray hidden = f.load("layer2.attn_in", m);
            TransPruneStep step = s.prune(2, hidden, f.load("iga", m).expandDims(0));
            long[] expected = f.readLongs("kept_indices");
            assertThat(step.originalImageIndices().add(imageFrom).toLongArray()).containsExactly(expected);
            assertThat(step.layout()).isEqualTo(TokenLayout.sequence(imageFrom, keep, length - imageTo));
            // The hidden states that remain are the prefix, the kept image rows and the suffix, in order.
            long[] rows = LongStream.concat(LongStream.concat(LongStream.range(0, imageFrom), LongStream.of(expected)),
                    LongStream.range(imageTo, length)).toArray();
            assertThat(step.sequenceIndex().toLongArray()).containsExactly(rows);
            assertThat(step.hiddenState().squeeze(0).toFloatArray())
                    .containsExactly(hidden.squeeze(0).get(m.create(rows)).toFloatArray());
            assertThat(step.positionIds().toLongArray()).containsExactly(LongStream.range(0, rows.length).toArray());
            assertThat(s.removedTokens()).isEqualTo(imageTo - imageFrom - keep);
            // Stored TTV vectors were re-indexed with the sequence.
            assertThat(s.accumulator().sumUpTo(3).getShape().get(1)).isEqualTo(rows.length);
            Tolerance.assertClose(s.accumulator().sumUpTo(3), f.load("ttv_accumulated", m).get(":, {}", m.create(rows)),
                    TOL, "re-indexed TTV");
            assertThat(s.records()).hasSize(1);
            assertThat(s.records().get(0).tokensOut()).isEqualTo(keep);
        }
    }

    @Test
    void statelessOperatorStepFromSignals() {
        try (NDManager m = NDManager.newBaseManager(); SafetensorsFile f = SafetensorsFile.open(SharedFixtures.fixture(file))) {
            double ratio = (double) keep / (imageTo - imageFrom);
            TransPruneOperator op = new TransPruneOperator(TransPruneSchedule.of(List.of(1, 2, 3), List.of(3),
                    List.of(ratio)), alpha, TtvDirection.CODE, PositionIds.KEEP);
            TokenState state = TokenState.of(f.load("layer2.attn_in", m), layout());
            StepContext ctx = StepContext.builder(new HookPoint.Decoder(), m).optLayerIndex(2)
                    .optSignal(TransPruneSignals.TTV, f.load("ttv_accumulated", m))
                    .optSignal(TransPruneSignals.IGA, f.load("iga", m).expandDims(0)).build();
            Reduction r = op.apply(state, ctx);
            long[] expected = f.readLongs("kept_indices");
            assertThat(r.state().visualIndex().add(imageFrom).toLongArray()).containsExactly(expected);
            assertThat(r.record().tokensIn()).isEqualTo(imageTo - imageFrom);
            assertThat(r.record().tokensOut()).isEqualTo(keep);
            // positions: keep → the original sequence positions of the remaining tokens
            long[] pos = r.state().positionIds().toLongArray();
            assertThat(pos).hasSize(length - (imageTo - imageFrom) + keep);
            assertThat(pos[imageFrom]).isEqualTo(expected[0]);
            // Other layers pass the state through, recorded as skipped.
            Reduction other = op.apply(state, StepContext.builder(new HookPoint.Decoder(), m).optLayerIndex(0).build());
            assertThat(other.state().layout()).isEqualTo(layout());
            assertThat(other.record().details()).containsEntry("skipped", "not a prune-after layer");
        }
    }
}
