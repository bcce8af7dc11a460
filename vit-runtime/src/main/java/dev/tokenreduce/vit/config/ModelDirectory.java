package dev.tokenreduce.vit.config;

import dev.tokenreduce.vit.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model directory as published: {@code config.json}, weights ({@code model.safetensors} or a sharded checkpoint
 * with {@code model.safetensors.index.json}) and optionally {@code preprocessor_config.json}. Detects the layout
 * (HuggingFace {@code model_type} or timm {@code architecture}) and resolves the {@link VitConfig}.
 *
 * @param directory the folder
 * @param config the resolved configuration
 * @param layout {@code hf} or {@code timm}
 */
public record ModelDirectory(Path directory, VitConfig config, String layout) {

    public static final String CONFIG = "config.json";
    public static final String PREPROCESSOR = "preprocessor_config.json";

    /**
     * Reads and resolves {@code directory}'s configuration (weights are checked later, when loaded).
     *
     * @throws ModelFormatException naming the file and field for a missing or unsupported configuration
     */
    public static ModelDirectory open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new ModelFormatException("model directory not found: " + directory);
        }
        Path configFile = directory.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new ModelFormatException(directory + ": no " + CONFIG + " (a model directory holds config.json"
                    + " and safetensors weights)");
        }
        ConfigJson config = ConfigJson.read(configFile);
        VitConfig resolved;
        String layout;
        if (config.has("model_type")) {
            resolved = HfConfigParser.parse(config);
            layout = "hf";
        } else if (config.has("architecture")) {
            resolved = TimmConfigParser.parse(config);
            layout = "timm";
        } else {
            throw new ModelFormatException(configFile + ": neither 'model_type' (HuggingFace: "
                    + HfConfigParser.SUPPORTED + ") nor 'architecture' (timm: " + TimmArchitectures.SUPPORTED
                    + ") is set");
        }
        Path preprocessor = directory.resolve(PREPROCESSOR);
        if (Files.isRegularFile(preprocessor)) {
            resolved = applyPreprocessor(resolved, ConfigJson.read(preprocessor));
        }
        return new ModelDirectory(directory, resolved, layout);
    }

    /** {@code image_mean}/{@code image_std} of a HF image processor config override the family defaults. */
    private static VitConfig applyPreprocessor(VitConfig config, ConfigJson pre) {
        List<Double> mean = pre.numbers("image_mean");
        List<Double> std = pre.numbers("image_std");
        if (mean == null && std == null) {
            return config;
        }
        VitConfig.Builder b = config.toBuilder();
        if (mean != null) {
            b.imageMean(mean);
        }
        if (std != null) {
            b.imageStd(std);
        }
        return b.build();
    }
}
