package dev.tokenreduce.cli;

import dev.tokenreduce.core.op.InBlockOperator;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.op.TokenOperator;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyStep;
import dev.tokenreduce.core.token.TokenState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of a policy whose operators remember what each step did: the token state before its first call, the
 * state after its last call and the records of all its calls (an in-block step such as ToMe runs once per block). One forward pass under
 * {@link #policy()} then gives the state after every step, without the runtime having to expose them. The states'
 * arrays belong to the forward pass's scope. One capture serves one forward pass.
 */
final class StepCapture {

    private final Policy policy;
    private final Map<Integer, Step> steps = new LinkedHashMap<>();

    private StepCapture(Policy original) {
        List<PolicyStep> wrapped = new ArrayList<>();
        for (PolicyStep s : original.steps()) {
            // in-block operators keep their schedule check and proportional-attention choice
            TokenOperator op = s.operator() instanceof InBlockOperator inBlock ? new ObservedInBlock(s, inBlock)
                    : new Observed(s, s.operator());
            wrapped.add(new PolicyStep(s.index(), s.op(), s.at(), op, s.params()));
        }
        this.policy = new Policy(original.name(), wrapped, original.source());
    }

    /** A capture of {@code policy}'s steps. */
    static StepCapture of(Policy policy) {
        return new StepCapture(policy);
    }

    /** The policy to run: the same steps, hook points and parameters, observed. */
    Policy policy() {
        return policy;
    }

    /** The steps that ran, in the order they first ran. */
    List<Step> steps() {
        return Collections.unmodifiableList(new ArrayList<>(steps.values()));
    }

    private void observe(PolicyStep step, TokenState before, Reduction reduction) {
        steps.computeIfAbsent(step.index(), i -> new Step(step, before)).add(reduction);
    }

    /** What one policy step did: the state it started from, its last resulting state and every record it wrote. */
    static final class Step {
        private final PolicyStep step;
        private final TokenState before;
        private final List<ReductionRecord> records = new ArrayList<>();
        private TokenState state;

        private Step(PolicyStep step, TokenState before) {
            this.step = step;
            this.before = before;
        }

        private void add(Reduction r) {
            records.add(r.record());
            state = r.state();
        }

        PolicyStep step() {
            return step;
        }

        /** The state its first call was given. */
        TokenState before() {
            return before;
        }

        /** The state right after the step's last call. */
        TokenState state() {
            return state;
        }

        List<ReductionRecord> records() {
            return Collections.unmodifiableList(records);
        }

        /** Whether any call changed the number of visual tokens. */
        boolean reduced() {
            return records.stream().anyMatch(ReductionRecord::changedCount);
        }

        /** Visual tokens before the first call. */
        int tokensIn() {
            return records.get(0).tokensIn();
        }

        /** Visual tokens after the last call. */
        int tokensOut() {
            return records.get(records.size() - 1).tokensOut();
        }
    }

    private class Observed implements TokenOperator {
        private final PolicyStep step;
        private final TokenOperator delegate;

        Observed(PolicyStep step, TokenOperator delegate) {
            this.step = step;
            this.delegate = delegate;
        }

        @Override
        public String id() {
            return delegate.id();
        }

        @Override
        public Reduction apply(TokenState state, StepContext context) {
            Reduction r = delegate.apply(state, context);
            observe(step, state, r);
            return r;
        }
    }

    private final class ObservedInBlock extends Observed implements InBlockOperator {
        private final InBlockOperator delegate;

        ObservedInBlock(PolicyStep step, InBlockOperator delegate) {
            super(step, delegate);
            this.delegate = delegate;
        }

        @Override
        public void checkDepth(int depth) {
            delegate.checkDepth(depth);
        }

        @Override
        public boolean proportionalAttention() {
            return delegate.proportionalAttention();
        }
    }
}
