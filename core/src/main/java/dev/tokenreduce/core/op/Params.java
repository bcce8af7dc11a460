package dev.tokenreduce.core.op;

import dev.tokenreduce.core.Budget;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.PolicyException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An operator's parameters as written in a policy or on the command line, with typed accessors whose errors name
 * where the value came from ({@code policy.yaml, step 2 (expedit-cluster), field 'window'}). Every accessor records
 * the key as known, so {@link #requireAllUsed()} can reject unknown keys after a factory has read what it needs.
 */
public final class Params {

    private final Map<String, Object> values;
    private final String where;
    private final Set<String> used = new LinkedHashSet<>();

    /**
     * @param values raw values: numbers, strings, booleans, lists
     * @param where where they came from, for error messages (e.g. {@code "policy.yaml, step 1 (tome)"})
     */
    public Params(Map<String, ?> values, String where) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values == null ? Map.of() : values));
        this.where = where == null ? "parameters" : where;
    }

    /** Parameters from {@code key=value} strings (command line). Values stay strings; accessors convert. */
    public static Params fromKeyValues(List<String> pairs, String where) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new PolicyException(where + ": parameter '" + pair + "' is not of the form key=value");
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return new Params(map, where);
    }

    public static Params empty(String where) {
        return new Params(Map.of(), where);
    }

    public String where() {
        return where;
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String key) {
        used.add(key);
        return values.containsKey(key) && values.get(key) != null;
    }

    private PolicyException error(String key, String problem) {
        return new PolicyException(where + ", field '" + key + "': " + problem);
    }

    private Object raw(String key) {
        used.add(key);
        Object v = values.get(key);
        if (v == null) {
            throw error(key, "missing (required)");
        }
        return v;
    }

    public int requireInt(String key) {
        Object v = raw(key);
        try {
            double d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw error(key, "expected a whole number, got " + v);
            }
            return (int) d;
        } catch (NumberFormatException e) {
            throw error(key, "expected a whole number, got '" + v + "'");
        }
    }

    public int optInt(String key, int fallback) {
        return has(key) ? requireInt(key) : fallback;
    }

    /** An int within [min, max]. */
    public int optInt(String key, int fallback, int min, int max) {
        int v = optInt(key, fallback);
        if (v < min || v > max) {
            throw error(key, "must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    public double requireDouble(String key) {
        Object v = raw(key);
        double d;
        try {
            d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw error(key, "expected a number, got '" + v + "'");
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw error(key, "must be finite, got " + v);
        }
        return d;
    }

    public double optDouble(String key, double fallback) {
        return has(key) ? requireDouble(key) : fallback;
    }

    /** A number that must be strictly positive (temperatures, scales). */
    public double requirePositive(String key) {
        double d = requireDouble(key);
        if (!(d > 0)) {
            throw error(key, "must be > 0, got " + d);
        }
        return d;
    }

    public long optLong(String key, long fallback) {
        if (!has(key)) {
            return fallback;
        }
        Object v = raw(key);
        try {
            return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw error(key, "expected a whole number, got '" + v + "'");
        }
    }

    public boolean optBoolean(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        Object v = raw(key);
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw error(key, "expected true or false, got '" + v + "'");
    }

    public String requireString(String key) {
        return raw(key).toString();
    }

    public String optString(String key, String fallback) {
        return has(key) ? requireString(key) : fallback;
    }

    /** One of the allowed words (case-insensitive); returns it lower-cased. */
    public String optChoice(String key, String fallback, String... allowed) {
        String v = optString(key, fallback).toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw error(key, "must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
    }

    public GridSize requireGrid(String key) {
        Object v = raw(key);
        try {
            return v instanceof Number n ? GridSize.square(n.intValue()) : GridSize.parse(v.toString());
        } catch (InvalidInputException e) {
            throw error(key, e.getMessage());
        }
    }

    public Budget requireBudget(String key) {
        Object v = raw(key);
        try {
            if (v instanceof Number n) {
                return Budget.of(n);
            }
            String s = v.toString().trim();
            return s.matches("[+]?\\d+") ? Budget.of(Long.parseLong(s)) : Budget.of(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            throw error(key, "expected a count (16) or a ratio (0.1), got '" + v + "'");
        } catch (InvalidInputException e) {
            throw error(key, e.getMessage());
        }
    }

    /** A list of numbers: a YAML/JSON list, a single number, or a comma-separated string ("7,9,12"). */
    public List<Double> requireNumberList(String key) {
        Object v = raw(key);
        List<Object> items = new ArrayList<>();
        if (v instanceof List<?> list) {
            items.addAll(list);
        } else if (v instanceof Number) {
            items.add(v);
        } else {
            for (String s : v.toString().replace("[", "").replace("]", "").split(",")) {
                if (!s.isBlank()) {
                    items.add(s.trim());
                }
            }
        }
        List<Double> out = new ArrayList<>();
        for (Object item : items) {
            try {
                double d = item instanceof Number n ? n.doubleValue() : Double.parseDouble(item.toString());
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw error(key, "list values must be finite, got " + item);
                }
                out.add(d);
            } catch (NumberFormatException e) {
                throw error(key, "expected a list of numbers, got '" + item + "'");
            }
        }
        if (out.isEmpty()) {
            throw error(key, "list must not be empty");
        }
        return out;
    }

    /** A list of whole numbers. */
    public List<Integer> requireIntList(String key) {
        List<Integer> out = new ArrayList<>();
        for (double d : requireNumberList(key)) {
            if (d != Math.rint(d)) {
                throw error(key, "expected whole numbers, got " + d);
            }
            out.add((int) d);
        }
        return out;
    }

    /** Fails naming the first key no accessor asked for (a typo or a parameter of another operator). */
    public void requireAllUsed() {
        for (String key : values.keySet()) {
            if (!used.contains(key)) {
                List<String> known = new ArrayList<>(used);
                throw new PolicyException(where + ": unknown parameter '" + key + "'"
                        + (known.isEmpty() ? " (this operator takes none)" : "; known: " + String.join(", ", known)));
            }
        }
    }

    /** A validation failure on a key, for factories checking ranges themselves. */
    public PolicyException invalid(String key, String problem) {
        return error(key, problem);
    }
}
