package dev.tokenreduce.vit.lvlm;

import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyException;
import dev.tokenreduce.core.policy.PolicyStep;
import dev.tokenreduce.pruning.transprune.TransPruneOperator;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy checked against a LLaVA model and split by hook point: {@code vision-output} steps,
 * decoder-side steps ({@code {decoder-layer: N}} and {@code decoder}) in policy order, and the one TransPrune step
 * whose session the decoder drives. Errors name the file, the step and the problem.
 */
final class LvlmPolicy {

    private final Policy policy;
    private final List<PolicyStep> visionOutput = new ArrayList<>();
    private final List<PolicyStep> decoder = new ArrayList<>();
    private PolicyStep transPrune;

    private LvlmPolicy(Policy policy) {
        this.policy = policy;
    }

    static LvlmPolicy of(Policy policy, int numLayers) {
        LvlmPolicy p = new LvlmPolicy(policy == null ? Policy.none() : policy);
        for (PolicyStep s : p.policy.steps()) {
            HookPoint at = s.at();
            String where = p.policy.where(s);
            if (at instanceof HookPoint.VisionOutput) {
                p.visionOutput.add(s);
            } else if (at instanceof HookPoint.AfterDecoderLayer after) {
                if (after.layers() > numLayers) {
                    throw new PolicyException(where + ": hook point 'decoder-layer " + after.layers()
                            + "' is beyond the language model's " + numLayers + " layers");
                }
                if (s.operator() instanceof TransPruneOperator) {
                    throw new PolicyException(where + ": transprune manages its own layer schedule; place it at "
                            + "'decoder'");
                }
                p.decoder.add(s);
            } else if (at instanceof HookPoint.Decoder) {
                if (s.operator() instanceof TransPruneOperator) {
                    if (p.transPrune != null) {
                        throw new PolicyException(where + ": only one transprune step per policy (the first is "
                                + p.policy.where(p.transPrune) + ")");
                    }
                    p.transPrune = s;
                } else {
                    p.decoder.add(s);
                }
            } else {
                throw new PolicyException(where + ": hook point '" + at + "' is not available in the LLaVA runtime;"
                        + " use vision-output, {decoder-layer: N} (1.." + numLayers + ") or decoder");
            }
        }
        if (p.transPrune != null && !p.decoder.isEmpty()) {
            throw new PolicyException(p.policy.where(p.decoder.get(0)) + ": cannot combine with "
                    + p.policy.where(p.transPrune) + ": transprune tracks the decoder sequence itself, so no other "
                    + "step may change it inside the decoder (vision-output steps are fine)");
        }
        return p;
    }

    Policy policy() {
        return policy;
    }

    List<PolicyStep> visionOutput() {
        return visionOutput;
    }

    /** Decoder-side steps that run after layer {@code index} (0-based), in policy order. */
    List<PolicyStep> afterLayer(int index) {
        List<PolicyStep> out = new ArrayList<>();
        for (PolicyStep s : decoder) {
            if (s.at() instanceof HookPoint.Decoder
                    || (s.at() instanceof HookPoint.AfterDecoderLayer a && a.layers() == index + 1)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The transprune operator, or {@code null}. */
    TransPruneOperator transPrune() {
        return transPrune == null ? null : (TransPruneOperator) transPrune.operator();
    }
}
