package dev.tokenreduce.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Provenance of a run: the full configuration it was started with (enough to start it again), the versions,
 * the machine, the seed and when it started.
 *
 * @param config options as given (model, dataset, policies as data, batch size, repeats, device, ...)
 * @param versions library and runtime versions
 * @param machine cores, OS, CPU model, memory
 * @param seed the seed every random choice derived from
 * @param startedAt ISO-8601 instant
 */
public record RunInfo(Map<String, Object> config, Map<String, String> versions, Map<String, Object> machine,
        long seed, String startedAt) {

    public RunInfo {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config == null ? Map.of() : config));
        versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions == null ? Map.of() : versions));
        machine = Collections.unmodifiableMap(new LinkedHashMap<>(machine == null ? Map.of() : machine));
    }

    /** The configuration with this process's versions, machine and the current time. */
    public static RunInfo capture(Map<String, Object> config, long seed) {
        return new RunInfo(config, Versions.detect(), MachineInfo.detect(), seed, Instant.now().toString());
    }

    /**
     * Reads the run section back from a {@code results.json}, to repeat the run with the same configuration and
     * seed.
     */
    @SuppressWarnings("unchecked")
    public static RunInfo read(Path resultsJson) {
        ObjectMapper mapper = new ObjectMapper();
        try {
            JsonNode run = mapper.readTree(resultsJson.toFile()).path("run");
            if (run.isMissingNode()) {
                throw new InvalidInputException(resultsJson + ": no 'run' section; not a tokenreduce results.json");
            }
            return new RunInfo(mapper.convertValue(run.path("config"), Map.class),
                    mapper.convertValue(run.path("versions"), Map.class),
                    mapper.convertValue(run.path("machine"), Map.class), run.path("seed").asLong(),
                    run.path("startedAt").asText(null));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + resultsJson + ": " + e.getMessage(), e);
        }
    }

    /** As plain data for JSON. */
    public Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("config", config);
        out.put("seed", seed);
        out.put("startedAt", startedAt);
        out.put("versions", versions);
        out.put("machine", machine);
        return out;
    }
}
