package dev.tokenreduce.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tokenreduce.core.op.OperatorRegistry;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.TokenOperator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads policies from YAML or JSON and validates them completely before anything runs: unknown keys, unknown
 * operators and parameters, malformed hook points and out-of-range values are errors naming the file, the step
 * and the field.
 */
public final class PolicyLoader {

    private static final Set<String> TOP_KEYS = Set.of("name", "description", "steps");
    private static final Set<String> STEP_KEYS = Set.of("op", "at", "params");

    private final OperatorRegistry registry;

    public PolicyLoader(OperatorRegistry registry) {
        this.registry = registry;
    }

    public static PolicyLoader withDefaults() {
        return new PolicyLoader(OperatorRegistry.defaults());
    }

    /** Loads {@code file}; YAML unless it ends in {@code .json}. */
    public Policy load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new PolicyException("policy file not found: " + file);
        } catch (IOException e) {
            throw new PolicyException("cannot read policy file " + file + ": " + e.getMessage(), e);
        }
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        String fallbackName = file.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
        return parse(text, json, file.getFileName().toString(), fallbackName, file);
    }

    /** Parses policy text; {@code origin} names it in messages. */
    public Policy parse(String text, boolean json, String origin, String fallbackName, Path source) {
        JsonNode root;
        try {
            ObjectMapper mapper = json ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PolicyException(origin + ": not valid " + (json ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new PolicyException(origin + ": a policy must be a mapping with 'steps'");
        }
        checkKeys(root, TOP_KEYS, origin);
        String name = root.hasNonNull("name") ? root.get("name").asText() : fallbackName;
        JsonNode stepsNode = root.get("steps");
        if (stepsNode == null || stepsNode.isNull()) {
            throw new PolicyException(origin + ": missing 'steps' (use an empty list for the baseline)");
        }
        if (!stepsNode.isArray()) {
            throw new PolicyException(origin + ": 'steps' must be a list");
        }
        List<PolicyStep> steps = new ArrayList<>();
        int index = 0;
        for (JsonNode stepNode : stepsNode) {
            index++;
            steps.add(parseStep(stepNode, index, origin));
        }
        return new Policy(name, steps, source);
    }

    private PolicyStep parseStep(JsonNode node, int index, String origin) {
        String stepWhere = origin + ", step " + index;
        if (!node.isObject()) {
            throw new PolicyException(stepWhere + ": a step must be a mapping with 'op', 'at' and 'params'");
        }
        checkKeys(node, STEP_KEYS, stepWhere);
        if (!node.hasNonNull("op")) {
            throw new PolicyException(stepWhere + ": missing 'op'");
        }
        String op = node.get("op").asText();
        String where = stepWhere + " (" + op + ")";
        registry.factory(op, where);
        HookPoint at = parseHook(node.get("at"), where);
        JsonNode paramsNode = node.get("params");
        Map<String, Object> params = new LinkedHashMap<>();
        if (paramsNode != null && !paramsNode.isNull()) {
            if (!paramsNode.isObject()) {
                throw new PolicyException(where + ": 'params' must be a mapping");
            }
            Iterator<Map.Entry<String, JsonNode>> it = paramsNode.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), toPlain(e.getValue()));
            }
        }
        TokenOperator operator = registry.create(op, new Params(params, where));
        return new PolicyStep(index, op, at, operator, params);
    }

    /** Parses a hook point: {@code {block: N}}, {@code output}, ... */
    public static HookPoint parseHook(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            throw new PolicyException(where + ", field 'at': missing; expected {block: N}, output, blocks, "
                    + "vision-output, {decoder-layer: N} or decoder");
        }
        if (node.isTextual()) {
            return parseHookText(node.asText(), where);
        }
        if (node.isObject() && node.size() == 1) {
            Map.Entry<String, JsonNode> e = node.fields().next();
            JsonNode v = e.getValue();
            if (!v.isIntegralNumber()) {
                throw new PolicyException(where + ", field 'at': '" + e.getKey() + "' needs a whole number, got " + v);
            }
            switch (e.getKey()) {
                case "block":
                    return new HookPoint.AfterBlock(v.asInt());
                case "decoder-layer":
                    return new HookPoint.AfterDecoderLayer(v.asInt());
                default:
                    break;
            }
        }
        throw new PolicyException(where + ", field 'at': unknown hook point " + node
                + "; expected {block: N}, output, blocks, vision-output, {decoder-layer: N} or decoder");
    }

    /** Parses a hook point written as text: {@code output}, {@code block:10}, {@code decoder-layer:3}. */
    public static HookPoint parseHookText(String text, String where) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        try {
            if (t.startsWith("block:") || t.startsWith("block=")) {
                return new HookPoint.AfterBlock(Integer.parseInt(t.substring(6)));
            }
            if (t.startsWith("decoder-layer:") || t.startsWith("decoder-layer=")) {
                return new HookPoint.AfterDecoderLayer(Integer.parseInt(t.substring(14)));
            }
        } catch (NumberFormatException e) {
            throw new PolicyException(where + ", field 'at': malformed hook point '" + text + "'");
        }
        switch (t) {
            case "output":
                return new HookPoint.Output();
            case "blocks":
                return new HookPoint.EveryBlock();
            case "vision-output":
                return new HookPoint.VisionOutput();
            case "decoder":
                return new HookPoint.Decoder();
            default:
                throw new PolicyException(where + ", field 'at': unknown hook point '" + text
                        + "'; expected {block: N}, output, blocks, vision-output, {decoder-layer: N} or decoder");
        }
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!allowed.contains(key)) {
                throw new PolicyException(where + ": unknown key '" + key + "'; allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    private static Object toPlain(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.canConvertToInt() ? (Object) v.intValue() : (Object) v.longValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(item -> list.add(toPlain(item)));
            return list;
        }
        if (v.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            v.fields().forEachRemaining(e -> map.put(e.getKey(), toPlain(e.getValue())));
            return map;
        }
        return v.isNull() ? null : v.asText();
    }
}
