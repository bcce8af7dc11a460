package dev.tokenreduce.core.policy;

import dev.tokenreduce.core.op.InBlockOperator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A named, ordered list of steps, each an operator at a hook point. Loaded from YAML or JSON by
 * {@link PolicyLoader}; immutable and reusable across forward passes.
 *
 * @param name shown in reports
 * @param steps in the order they run at each hook point
 * @param source the file it came from, or {@code null}
 */
public record Policy(String name, List<PolicyStep> steps, Path source) {

    public Policy {
        steps = List.copyOf(steps);
    }

    /** The policy that reduces nothing (the baseline). */
    public static Policy none() {
        return new Policy("baseline", List.of(), null);
    }

    /** Loads and validates a policy file against the operators on the class path. */
    public static Policy load(Path file) {
        return PolicyLoader.withDefaults().load(file);
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** The steps that run at {@code at}, in order. */
    public List<PolicyStep> stepsAt(HookPoint at) {
        List<PolicyStep> out = new ArrayList<>();
        for (PolicyStep s : steps) {
            if (s.at().equals(at)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Steps that run at an encoder block count beyond {@code depth}, or in-block steps whose schedule does not fit
     * {@code depth} blocks ({@link InBlockOperator#checkDepth}): an error naming the first.
     */
    public void checkEncoderDepth(int depth) {
        for (PolicyStep s : steps) {
            if (s.at() instanceof HookPoint.AfterBlock b && b.blocks() > depth) {
                throw new PolicyException(where(s) + ": hook point 'block " + b.blocks() + "' is beyond the model's "
                        + depth + " blocks");
            }
            if (s.at() instanceof HookPoint.EveryBlock && s.operator() instanceof InBlockOperator op) {
                try {
                    op.checkDepth(depth);
                } catch (PolicyException e) {
                    throw new PolicyException(where(s) + ": " + e.getMessage());
                }
            }
        }
    }

    /** "file, step N (op)" for messages. */
    public String where(PolicyStep step) {
        return (source != null ? source.getFileName() + ", " : "") + "step " + step.index() + " (" + step.op() + ")";
    }

    /** Provenance: the policy as data, for results files. */
    public Map<String, Object> describe() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (PolicyStep s : steps) {
            list.add(Map.of("op", s.op(), "at", s.at().toString(), "params", s.params()));
        }
        return Map.of("name", name, "steps", list);
    }
}
