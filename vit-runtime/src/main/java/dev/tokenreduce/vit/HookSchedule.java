package dev.tokenreduce.vit;

import dev.tokenreduce.core.op.InBlockOperator;
import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyException;
import dev.tokenreduce.core.policy.PolicyStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A policy's steps sorted by the encoder hook they run at, validated against the model's depth. */
final class HookSchedule {

    private final List<List<PolicyStep>> afterBlock;
    private final List<PolicyStep> everyBlock;
    private final List<PolicyStep> output;
    private final boolean proportionalAttention;

    private HookSchedule(List<List<PolicyStep>> afterBlock, List<PolicyStep> everyBlock, List<PolicyStep> output) {
        this.afterBlock = afterBlock;
        this.everyBlock = everyBlock;
        this.output = output;
        // In-block mergers say whether they want proportional attention (ToMe's prop_attn); sizes set by other
        // steps are always honoured.
        List<InBlockOperator> mergers = everyBlock.stream().map(PolicyStep::operator)
                .filter(InBlockOperator.class::isInstance).map(InBlockOperator.class::cast).toList();
        this.proportionalAttention = mergers.isEmpty()
                || mergers.stream().anyMatch(InBlockOperator::proportionalAttention);
    }

    /**
     * @throws PolicyException for block counts beyond {@code depth} or hook points a vision encoder does not have
     */
    static HookSchedule of(Policy policy, int depth) {
        policy.checkEncoderDepth(depth);
        List<List<PolicyStep>> after = new ArrayList<>();
        for (int i = 0; i <= depth; i++) {
            after.add(new ArrayList<>());
        }
        List<PolicyStep> every = new ArrayList<>();
        List<PolicyStep> out = new ArrayList<>();
        for (PolicyStep step : policy.steps()) {
            HookPoint at = step.at();
            if (at instanceof HookPoint.AfterBlock b) {
                after.get(b.blocks()).add(step);
            } else if (at instanceof HookPoint.EveryBlock) {
                every.add(step);
            } else if (at instanceof HookPoint.Output) {
                out.add(step);
            } else {
                throw new PolicyException(policy.where(step) + ": hook point '" + at + "' belongs to a vision-language"
                        + " model; a vision encoder has {block: N} (0.." + depth + "), blocks and output");
            }
        }
        after.replaceAll(Collections::unmodifiableList);
        return new HookSchedule(Collections.unmodifiableList(after), List.copyOf(every), List.copyOf(out));
    }

    /** Steps after {@code blocks} blocks (0 = after the embeddings). */
    List<PolicyStep> afterBlock(int blocks) {
        return afterBlock.get(blocks);
    }

    /** Steps inside every block, between the attention and the MLP residual. */
    List<PolicyStep> everyBlock() {
        return everyBlock;
    }

    /**
     * Whether attention adds log(size) when the state carries sizes: yes, unless every in-block step is an
     * {@link InBlockOperator} that declines it.
     */
    boolean proportionalAttention() {
        return proportionalAttention;
    }

    /** Steps after the final norm. */
    List<PolicyStep> output() {
        return output;
    }
}
