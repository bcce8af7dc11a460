package dev.tokenreduce.core.op;

import dev.tokenreduce.core.policy.PolicyException;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The operators on the class path, by id, found with {@link ServiceLoader}. */
public final class OperatorRegistry {

    private static volatile OperatorRegistry defaultRegistry;

    private final Map<String, OperatorFactory> factories;

    private OperatorRegistry(Map<String, OperatorFactory> factories) {
        this.factories = Collections.unmodifiableMap(new TreeMap<>(factories));
    }

    /** All factories the class path provides (cached). */
    public static OperatorRegistry defaults() {
        OperatorRegistry r = defaultRegistry;
        if (r == null) {
            synchronized (OperatorRegistry.class) {
                r = defaultRegistry;
                if (r == null) {
                    r = load(OperatorRegistry.class.getClassLoader());
                    defaultRegistry = r;
                }
            }
        }
        return r;
    }

    /** Loads the factories visible to {@code loader}; duplicate ids are an error. */
    public static OperatorRegistry load(ClassLoader loader) {
        Map<String, OperatorFactory> map = new TreeMap<>();
        for (OperatorFactory f : ServiceLoader.load(OperatorFactory.class, loader)) {
            OperatorFactory old = map.put(f.id(), f);
            if (old != null && !old.getClass().equals(f.getClass())) {
                throw new IllegalStateException("two operators claim id '" + f.id() + "': "
                        + old.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        return new OperatorRegistry(map);
    }

    /** A registry of exactly these factories (tests, embedding applications). */
    public static OperatorRegistry of(OperatorFactory... factories) {
        Map<String, OperatorFactory> map = new TreeMap<>();
        for (OperatorFactory f : factories) {
            map.put(f.id(), f);
        }
        return new OperatorRegistry(map);
    }

    public Map<String, OperatorFactory> factories() {
        return factories;
    }

    public boolean contains(String id) {
        return factories.containsKey(id);
    }

    /** The factory for {@code id}, or an error listing the known ids. */
    public OperatorFactory factory(String id, String where) {
        OperatorFactory f = factories.get(id);
        if (f == null) {
            throw new PolicyException(where + ": unknown op '" + id + "'; known: " + String.join(", ", factories.keySet()));
        }
        return f;
    }

    /** Creates and validates an operator: unknown parameters are an error. */
    public TokenOperator create(String id, Params params) {
        TokenOperator op = factory(id, params.where()).create(params);
        params.requireAllUsed();
        return op;
    }
}
