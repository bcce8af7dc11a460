package dev.tokenreduce.vit.lvlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.Tensors;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.policy.PolicyStep;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.pruning.DecoderSignals;
import dev.tokenreduce.pruning.PositionIds;
import dev.tokenreduce.pruning.transprune.TransPruneOperator;
import dev.tokenreduce.pruning.transprune.TransPruneSession;
import dev.tokenreduce.pruning.transprune.TransPruneStep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One prefill under a policy: merges the image into the prompt, runs the {@code vision-output} steps, then the
 * decoder layer by layer with the decoder-side steps after each layer (queries and keys of the layer as signals)
 * and, when the policy has one, a TransPrune session (sub-module taps, IGA from the next layer, pruning). The
 * {@link TokenState} carries the sequence, its layout and position ids. After the vision-output steps the sequence
 * is the decoder's input and its position ids are renumbered 0..L'−1 (unless the options keep them); when a
 * decoder-side step removes tokens, the following layers see the shorter sequence with the ids the step chose
 * (ToDRE and FastV keep them, TransPrune renumbers), and only their KV caches hold it.
 */
final class PrefillRun {

    private final LanguageModel lm;
    private final LvlmPolicy policy;
    private final GenerateOptions options;
    private final NDManager pass;
    private final KvCache cache;
    private final Map<String, NDArray> hidden = new LinkedHashMap<>();
    private final NDArray clsAttention;
    private TokenState state;
    private Rope rope;

    PrefillRun(LanguageModel lm, LvlmPolicy policy, GenerateOptions options, NDManager pass, KvCache cache,
            NDArray clsAttention) {
        this.lm = lm;
        this.policy = policy;
        this.options = options;
        this.pass = pass;
        this.cache = cache;
        this.clsAttention = clsAttention;
    }

    /** The merged sequence [prefix ids, image features, suffix ids] with position ids 0..L−1. */
    void start(ImagePrompt prompt, NDArray features) {
        NDList parts = new NDList();
        if (prompt.prefix().length > 0) {
            parts.add(lm.embed(prompt.prefix(), pass));
        }
        parts.add(features);
        if (prompt.suffix().length > 0) {
            parts.add(lm.embed(prompt.suffix(), pass));
        }
        NDArray tokens = parts.size() == 1 ? features : NDArrays.concat(parts, 1);
        int length = prompt.length();
        state = TokenState.builder()
                .setTokens(tokens)
                .setLayout(TokenLayout.sequence(prompt.prefix().length, prompt.imageTokens(), prompt.suffix().length))
                .optPositionIds(Tensors.arangeLong(pass, 0, length).expandDims(0))
                .build();
    }

    /** Runs the vision-output steps, every decoder layer, and returns the final hidden states (1, L', C). */
    NDArray run() {
        for (PolicyStep step : policy.visionOutput()) {
            state = apply(step, context(step, -1, null, null));
        }
        if (!policy.visionOutput().isEmpty() && options.visionOutputPositions() == PositionIds.RENUMBER) {
            // The reduced image block is the language model's input: contiguous positions, as if the prompt had
            // held fewer image tokens (LLaVA-style pre-LLM pruners and the reference runs do this).
            state = state.toBuilder()
                    .optPositionIds(Tensors.arangeLong(pass, 0, state.layout().total()).expandDims(0))
                    .build();
        }
        int layers = lm.config().numLayers();
        TransPruneOperator tp = policy.transPrune();
        TransPruneSession session = tp == null ? null : tp.newSession(state.layout(), state.positionIds(), layers);
        rope = newRope();
        NDArray h = state.tokens();
        for (int i = 0; i < layers; i++) {
            List<PolicyStep> after = policy.afterLayer(i);
            boolean taps = session != null && tp.schedule().accumulates(i + 1) && state.layout().visual() > 0;
            DecoderLayer.Output out = lm.layer(i).forward(h, rope, cache, !after.isEmpty(), taps, pass);
            h = out.hidden();
            if (options.recordHidden()) {
                hidden.put("decoder.layer." + i, h);
            }
            state = state.toBuilder().setTokens(h).build();
            if (session != null) {
                if (taps) {
                    NDArray[] t = out.taps();
                    session.observe(i, t[0], t[1], t[2], t[3]);
                }
                if (session.prunesAfter(i)) {
                    TransPruneStep step = session.prune(i, h, session.iga(h, lm.igaWeights(i + 1, pass)));
                    state = afterStage(step);
                    rope = newRope();
                }
            }
            NDArray queries = out.queries();
            NDArray keys = out.keys();
            for (PolicyStep step : after) {
                int before = state.layout().total();
                state = apply(step, context(step, i, queries, keys));
                if (state.layout().total() != before) {
                    queries = null; // the layer's queries and keys no longer line up with the sequence
                    keys = null;
                    rope = newRope();
                }
            }
            h = state.tokens();
        }
        return h;
    }

    TokenState state() {
        return state;
    }

    Map<String, NDArray> hidden() {
        return hidden;
    }

    /** The position id the first decoded token takes: one after the last prompt position. */
    long nextPosition() {
        NDArray pos = state.positionIds();
        return pos.get(":, -1").getLong() + 1;
    }

    private TokenState apply(PolicyStep step, StepContext context) {
        Reduction r = step.operator().apply(state, context);
        return r.state();
    }

    private StepContext context(PolicyStep step, int layerIndex, NDArray queries, NDArray keys) {
        StepContext.Builder b = StepContext.builder(step.at(), pass)
                .optSeed(options.seed())
                .optCheckFinite(options.checkInputs())
                .optLayerIndex(layerIndex)
                .optSignal(StepContext.CLS_ATTENTION, alignedClsAttention())
                .optSignal(DecoderSignals.QUERIES, queries)
                .optSignal(DecoderSignals.KEYS, keys);
        return b.build();
    }

    /** The [CLS] attention of the image tokens still in the sequence, in their order. */
    private NDArray alignedClsAttention() {
        if (clsAttention == null || state.layout().visual() == 0) {
            return null;
        }
        NDArray index = state.visualIndex();
        return index == null ? clsAttention : clsAttention.gather(index, 1);
    }

    /** The token state after a TransPrune stage: shorter sequence, its position ids, the original image indices. */
    private TokenState afterStage(TransPruneStep step) {
        NDArray kept = step.keptImageIndices();
        return state.toBuilder()
                .setTokens(step.hiddenState())
                .setLayout(step.layout())
                .optPositionIds(step.positionIds())
                .optVisualIndex(state.visualIndexAfterKeeping(kept))
                .optRestoration(null)
                .optSizes(null)
                .addRecord(step.record())
                .build();
    }

    private Rope newRope() {
        return Rope.of(state.positionIds(), lm.config().headDim(), lm.config().ropeTheta(), pass);
    }
}
