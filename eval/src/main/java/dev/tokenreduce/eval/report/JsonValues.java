package dev.tokenreduce.eval.report;

import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.eval.flops.TokenSchedule;
import dev.tokenreduce.eval.harness.LatencyStats;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns report values into plain JSON data: maps, lists, strings, finite numbers and null. */
final class JsonValues {

    private JsonValues() {}

    /** Any value as JSON data; NaN/Inf become null, arrays lists, unknown objects their toString. */
    static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : d;
        }
        if (v instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? null : f;
        }
        if (v instanceof Number) {
            return v;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), plain(val)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            c.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                out.add(plain(Array.get(v, i)));
            }
            return out;
        }
        if (v instanceof TokenSchedule s) {
            return schedule(s);
        }
        if (v instanceof LatencyStats l) {
            return latency(l);
        }
        if (v instanceof ReductionRecord r) {
            return record(r);
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        return v.toString();
    }

    static Map<String, Object> schedule(TokenSchedule s) {
        Map<String, Object> out = new LinkedHashMap<>();
        int[] mlp = new int[s.layers()];
        for (int l = 0; l < mlp.length; l++) {
            mlp[l] = s.mlpTokens(l);
        }
        out.put("compact", s.compact());
        out.put("attention", plain(s.tokensPerLayer()));
        out.put("mlp", plain(mlp));
        out.put("output", s.outputTokens());
        return out;
    }

    static Map<String, Object> latency(LatencyStats l) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", l.count());
        out.put("medianMs", plain(l.medianMs()));
        out.put("p90Ms", plain(l.p90Ms()));
        out.put("meanMs", plain(l.meanMs()));
        out.put("minMs", plain(l.minMs()));
        out.put("maxMs", plain(l.maxMs()));
        out.put("stdDevMs", plain(l.stdDevMs()));
        return out;
    }

    static Map<String, Object> record(ReductionRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("op", r.op());
        out.put("at", r.at());
        out.put("tokensIn", r.tokensIn());
        out.put("tokensOut", r.tokensOut());
        out.put("nanos", r.nanos());
        out.put("details", plain(r.details()));
        return out;
    }
}
