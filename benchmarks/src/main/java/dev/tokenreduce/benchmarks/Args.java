package dev.tokenreduce.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Minimal command-line reading for the plain mains: {@code --name value} options and bare positional words. */
final class Args {

    private final Map<String, String> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                options.put(args[i].substring(2), args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
    }

    List<String> positional(List<String> defaults) {
        return positional.isEmpty() ? defaults : positional;
    }

    int integer(String name, int fallback) {
        String v = options.get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    double number(String name, double fallback) {
        String v = options.get(name);
        return v == null ? fallback : Double.parseDouble(v);
    }

    String string(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return options.containsKey(name);
    }
}
