package dev.tokenreduce.cli.apply;

import dev.tokenreduce.core.op.OperatorRegistry;
import dev.tokenreduce.core.policy.PolicyException;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The operators {@code tokenreduce apply} can run: the adapters with a contract of their own, and every other
 * operator in the registry through {@link GenericOperatorAdapter}.
 */
public final class ApplyAdapters {

    private final OperatorRegistry registry;
    private final Map<String, OperatorAdapter> special = new TreeMap<>();

    private ApplyAdapters(OperatorRegistry registry) {
        this.registry = registry;
        for (OperatorAdapter a : new OperatorAdapter[] {new ExpeditClusterAdapter(registry),
                new ExpeditReconstructAdapter(), new TodreDiversityAdapter(), new TomeAdapter()}) {
            special.put(a.id(), a);
        }
    }

    /** Adapters over the operators on the class path. */
    public static ApplyAdapters defaults() {
        return new ApplyAdapters(OperatorRegistry.defaults());
    }

    /** Adapters over the given registry (tests). */
    public static ApplyAdapters over(OperatorRegistry registry) {
        return new ApplyAdapters(registry);
    }

    /**
     * The adapter for {@code op}.
     *
     * @throws PolicyException listing the known ids when there is none
     */
    public OperatorAdapter find(String op) {
        OperatorAdapter a = special.get(op);
        if (a != null) {
            return a;
        }
        if (registry.contains(op)) {
            return new GenericOperatorAdapter(registry, op);
        }
        throw new PolicyException("unknown op '" + op + "'; known: " + String.join(", ", ids()));
    }

    /** Every id {@link #find} accepts, sorted. */
    public TreeSet<String> ids() {
        TreeSet<String> ids = new TreeSet<>(special.keySet());
        ids.addAll(registry.factories().keySet());
        return ids;
    }
}
