package dev.tokenreduce.eval.flops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The FLOPs of one forward pass by component ({@code patch-embed}, {@code attention-linear}, {@code attention},
 * {@code mlp}, {@code norms-residuals}, {@code reducer:<op>}, ...), per layer, and the token schedule they were
 * computed for. Immutable; {@link #plus} returns a new breakdown with one more component (a reducer, a head).
 */
public final class FlopsBreakdown {

    private final TokenSchedule schedule;
    private final Map<String, FlopCount> components;
    private final List<FlopCount> perLayer;

    /**
     * @param schedule tokens per layer the counts were computed for
     * @param components named parts, in the order they run
     * @param perLayer the FLOPs of each layer (its attention, MLP, norms and adds)
     */
    public FlopsBreakdown(TokenSchedule schedule, Map<String, FlopCount> components, List<FlopCount> perLayer) {
        this.schedule = schedule;
        this.components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
        this.perLayer = List.copyOf(perLayer);
    }

    public TokenSchedule schedule() {
        return schedule;
    }

    /** Named parts, in order. */
    public Map<String, FlopCount> components() {
        return components;
    }

    /** A component, or {@link FlopCount#ZERO} when absent. */
    public FlopCount component(String name) {
        return components.getOrDefault(name, FlopCount.ZERO);
    }

    /** Per-layer counts (attention, MLP, norms and adds of each layer). */
    public List<FlopCount> perLayer() {
        return perLayer;
    }

    /** A new breakdown with {@code count} added under {@code name} (added to an existing entry of that name). */
    public FlopsBreakdown plus(String name, FlopCount count) {
        Map<String, FlopCount> next = new LinkedHashMap<>(components);
        next.merge(name, count, FlopCount::plus);
        return new FlopsBreakdown(schedule, next, perLayer);
    }

    /** The sum of every component. */
    public FlopCount total() {
        FlopCount t = FlopCount.ZERO;
        for (FlopCount c : components.values()) {
            t = t.plus(c);
        }
        return t;
    }

    /** The sum of the components whose name starts with {@code reducer:}. */
    public FlopCount reducers() {
        FlopCount t = FlopCount.ZERO;
        for (Map.Entry<String, FlopCount> e : components.entrySet()) {
            if (e.getKey().startsWith("reducer:")) {
                t = t.plus(e.getValue());
            }
        }
        return t;
    }

    /** Total FLOPs (matmul and other, reducers included) in units of 10⁹. */
    public double gflops() {
        return total().gflops();
    }

    /** Component names and values, for results files. */
    public Map<String, Map<String, Long>> asMap() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Map.Entry<String, FlopCount> e : components.entrySet()) {
            out.put(e.getKey(), Map.of("matmul", e.getValue().matmul(), "other", e.getValue().other()));
        }
        return out;
    }

    /**
     * A multi-line description: total, the components, the conventions and the per-layer token table, so the
     * figure is never printed without how it was counted.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        FlopCount t = total();
        sb.append(String.format(Locale.ROOT, "total %.4f GFLOPs (matmul %.4f = %.4f GMACs x 2, other %.4f)%n",
                t.gflops(), t.matmul() / 1e9, t.macs() / 1e9, t.other() / 1e9));
        for (Map.Entry<String, FlopCount> e : components.entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %-22s matmul %14d  other %12d%n", e.getKey(),
                    e.getValue().matmul(), e.getValue().other()));
        }
        sb.append("conventions: 1 multiply-add = 2 FLOPs; attention counts the full N x N_k scores; norms ")
                .append(Flops.NORM_PER_ELEMENT).append("/element, softmax ").append(Flops.SOFTMAX_PER_ELEMENT)
                .append("/score, activations ").append(Flops.ACTIVATION_PER_ELEMENT).append("/element as 'other'")
                .append(System.lineSeparator());
        sb.append("token schedule: ").append(schedule.compact()).append(System.lineSeparator());
        sb.append(schedule.table());
        return sb.toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.4f GFLOPs [%s]", gflops(), schedule.compact());
    }

    /** Accumulates components in order (used by the counters). */
    static final class Accumulator {
        private final Map<String, FlopCount> components = new LinkedHashMap<>();
        private final List<FlopCount> perLayer = new ArrayList<>();

        void add(String name, FlopCount count) {
            components.merge(name, count, FlopCount::plus);
        }

        void addLayer(FlopCount count) {
            perLayer.add(count);
        }

        FlopsBreakdown build(TokenSchedule schedule) {
            return new FlopsBreakdown(schedule, components, perLayer);
        }
    }
}
