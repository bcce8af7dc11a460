package dev.tokenreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.datasets.image.ImageFiles;
import dev.tokenreduce.datasets.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate --image} and {@code --prompt} on the tiny LLaVA fixture (64×64 CLIP tower, image token 299,
 * vocabulary 300), with a word-level tokenizer.json written here.
 */
class GenerateTextAndImageTest {

    private static final Path MODEL = SharedFixtures.fixture("llava/tiny_llava");
    private static final double[] MEAN = {0.48145466, 0.4578275, 0.40821073};
    private static final double[] STD = {0.26862954, 0.26130258, 0.27577711};
    private static final String IDS = "1,3,299,5,6,7,4";

    @TempDir
    Path dir;

    private Path model;
    private Path image;

    @BeforeEach
    void setUp() throws IOException {
        model = Files.createDirectories(dir.resolve("model"));
        Files.copy(MODEL.resolve("config.json"), model.resolve("config.json"));
        Files.copy(MODEL.resolve("model.safetensors"), model.resolve("model.safetensors"));
        Files.writeString(model.resolve("tokenizer.json"), tokenizerJson());
        image = dir.resolve("wide.png");
        ImageFiles.writeRgb(image, coded(80, 64));
    }

    /** The word of each id: specials, the template's words, then "w8" … "w298"; 299 is the image token. */
    private static String word(int id) {
        return switch (id) {
            case 0 -> "<unk>";
            case 1 -> "<s>";
            case 2 -> "</s>";
            case 3 -> "USER:";
            case 4 -> "ASSISTANT:";
            case 5 -> "what";
            case 6 -> "is";
            case 7 -> "this";
            case 299 -> "<image>";
            default -> "w" + id;
        };
    }

    private static boolean special(long id) {
        return id <= 2 || id == 299;
    }

    private static String tokenizerJson() {
        StringBuilder vocab = new StringBuilder();
        for (int id = 0; id < 300; id++) {
            vocab.append(id == 0 ? "" : ", ").append('"').append(word(id)).append("\": ").append(id);
        }
        String added = Arrays.stream(new int[] {0, 1, 2, 299}).mapToObj(id -> "{\"id\": " + id + ", \"content\": \""
                + word(id) + "\", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false,"
                + " \"special\": true}").collect(Collectors.joining(", "));
        return "{\"version\": \"1.0\", \"truncation\": null, \"padding\": null, \"added_tokens\": [" + added + "],"
                + " \"normalizer\": null, \"pre_tokenizer\": {\"type\": \"WhitespaceSplit\"},"
                + " \"post_processor\": {\"type\": \"TemplateProcessing\","
                + " \"single\": [{\"SpecialToken\": {\"id\": \"<s>\", \"type_id\": 0}},"
                + " {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}],"
                + " \"pair\": [{\"SpecialToken\": {\"id\": \"<s>\", \"type_id\": 0}},"
                + " {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"B\", \"type_id\": 1}}],"
                + " \"special_tokens\": {\"<s>\": {\"id\": \"<s>\", \"ids\": [1], \"tokens\": [\"<s>\"]}}},"
                + " \"decoder\": null, \"model\": {\"type\": \"WordLevel\", \"vocab\": {" + vocab + "},"
                + " \"unk_token\": \"<unk>\"}}";
    }

    /** R = 3·x, G = 4·y, B = 255 − 3·x: every pixel tells where it came from. */
    private static RgbImage coded(int w, int h) {
        byte[] data = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                data[i] = (byte) (3 * x);
                data[i + 1] = (byte) (4 * y);
                data[i + 2] = (byte) (255 - 3 * x);
            }
        }
        return new RgbImage(w, h, data);
    }

    /**
     * CLIP pixel_values of {@link #coded}(80, 64) for a 64-pixel tower, computed here: the short side is already
     * 64, so no resampling; the centre crop starts at column (80 − 64) / 2 = 8.
     */
    private static float[] expectedPixels() {
        float[] out = new float[3 * 64 * 64];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int sx = x + 8;
                int[] rgb = {3 * sx, 4 * y, 255 - 3 * sx};
                for (int c = 0; c < 3; c++) {
                    out[(c * 64 + y) * 64 + x] = (float) ((rgb[c] / 255.0 - MEAN[c]) / STD[c]);
                }
            }
        }
        return out;
    }

    private static long[] tokens(Cli r) {
        String line = r.out().lines().filter(l -> l.startsWith("tokens: ")).findFirst().orElseThrow();
        return Arrays.stream(line.substring(8).split(",")).mapToLong(Long::parseLong).toArray();
    }

    @Test
    void anImageGivesTheSameRunAsPixelsComputedHere() {
        Path pixels = dir.resolve("pixels.safetensors");
        SafetensorsWriter.writeFloats(pixels, "pixel_values", expectedPixels(), 1, 3, 64, 64);
        Path fromImage = dir.resolve("image.safetensors");
        Path fromPixels = dir.resolve("pixels-out.safetensors");
        Cli a = Cli.run("generate", "--model", MODEL.toString(), "--image", image.toString(), "--input-ids", IDS,
                "--max-new-tokens", "4", "--output", fromImage.toString());
        Cli b = Cli.run("generate", "--model", MODEL.toString(), "--pixels", pixels.toString(), "--input-ids", IDS,
                "--max-new-tokens", "4", "--output", fromPixels.toString());
        assertThat(a.exitCode()).as(a.toString()).isZero();
        assertThat(b.exitCode()).as(b.toString()).isZero();
        assertThat(a.out()).contains("image: " + image + " 80x64 -> (1, 3, 64, 64)").doesNotContain("text: ");
        assertThat(tokens(a)).hasSize(4).containsExactly(tokens(b));
        try (SafetensorsFile fa = SafetensorsFile.open(fromImage); SafetensorsFile fb = SafetensorsFile.open(fromPixels)) {
            Tolerance.assertClose(fa.readFloats("last_logits"), fb.readFloats("last_logits"), 1e-5, "last_logits");
            assertThat(fa.metadata()).containsEntry("image", image.toString()).containsEntry("input_ids", IDS);
        }
    }

    @Test
    void padToSquareCentresTheImageOnTheMeanColourFirst() {
        // 64x48: padded to 64x64 with rows 8..55 holding the image and floor(255 * mean) elsewhere; the 64-pixel
        // tower then neither resizes nor crops.
        Path wide = dir.resolve("wide-64x48.png");
        ImageFiles.writeRgb(wide, coded(64, 48));
        float[] expected = new float[3 * 64 * 64];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int sy = y - 8;
                boolean inside = sy >= 0 && sy < 48;
                for (int c = 0; c < 3; c++) {
                    int v = inside ? new int[] {3 * x, 4 * sy, 255 - 3 * x}[c] : (int) (MEAN[c] * 255.0);
                    expected[(c * 64 + y) * 64 + x] = (float) ((v / 255.0 - MEAN[c]) / STD[c]);
                }
            }
        }
        Path pixels = dir.resolve("padded-pixels.safetensors");
        SafetensorsWriter.writeFloats(pixels, "pixel_values", expected, 1, 3, 64, 64);
        Path fromImage = dir.resolve("padded-image.safetensors");
        Path fromPixels = dir.resolve("padded-pixels-out.safetensors");
        Cli a = Cli.run("generate", "--model", MODEL.toString(), "--image", wide.toString(), "--pad-to-square",
                "--input-ids", IDS, "--max-new-tokens", "2", "--output", fromImage.toString());
        Cli b = Cli.run("generate", "--model", MODEL.toString(), "--pixels", pixels.toString(), "--input-ids", IDS,
                "--max-new-tokens", "2", "--output", fromPixels.toString());
        assertThat(a.exitCode()).as(a.toString()).isZero();
        assertThat(b.exitCode()).as(b.toString()).isZero();
        assertThat(tokens(a)).containsExactly(tokens(b));
        try (SafetensorsFile fa = SafetensorsFile.open(fromImage); SafetensorsFile fb = SafetensorsFile.open(fromPixels)) {
            Tolerance.assertClose(fa.readFloats("last_logits"), fb.readFloats("last_logits"), 1e-5, "last_logits");
        }
        // Without the padding the centre crop of a 64x48 image is resized first: a different input.
        Cli c = Cli.run("generate", "--model", MODEL.toString(), "--image", wide.toString(), "--input-ids", IDS,
                "--max-new-tokens", "0", "--output", dir.resolve("unpadded.safetensors").toString());
        assertThat(c.exitCode()).as(c.toString()).isZero();
        try (SafetensorsFile fa = SafetensorsFile.open(fromImage);
                SafetensorsFile fc = SafetensorsFile.open(dir.resolve("unpadded.safetensors"))) {
            assertThat(fc.readFloats("last_logits")).isNotEqualTo(fa.readFloats("last_logits"));
        }
    }

    @Test
    void aPromptIsTemplatedTokenizedAndTheAnswerDecoded() {
        Cli byText = Cli.run("generate", "--model", model.toString(), "--image", image.toString(), "--prompt",
                "what is this", "--max-new-tokens", "5");
        Cli byIds = Cli.run("generate", "--model", model.toString(), "--image", image.toString(), "--input-ids", IDS,
                "--max-new-tokens", "5");
        assertThat(byText.exitCode()).as(byText.toString()).isZero();
        assertThat(byIds.exitCode()).as(byIds.toString()).isZero();
        assertThat(byText.out()).contains("input ids: " + IDS + " (LLaVA-1.5 template)")
                .contains("prompt: 7 ids -> 70 positions");
        long[] tokens = tokens(byText);
        assertThat(tokens).containsExactly(tokens(byIds));
        String expected = Arrays.stream(tokens).filter(id -> !special(id)).mapToObj(id -> word((int) id))
                .collect(Collectors.joining(" "));
        assertThat(byText.out()).contains("text: " + expected + "\n");

        Cli raw = Cli.run("generate", "--model", model.toString(), "--image", image.toString(), "--prompt",
                "<image> what is", "--raw-prompt", "--max-new-tokens", "1");
        assertThat(raw.exitCode()).as(raw.toString()).isZero();
        assertThat(raw.out()).contains("input ids: 1,299,5,6 (raw prompt)");
    }

    @Test
    void withAPromptDecodingStopsAtTheModelsEosToken() throws IOException {
        Cli free = Cli.run("generate", "--model", model.toString(), "--image", image.toString(), "--prompt",
                "what is this", "--max-new-tokens", "3");
        long first = tokens(free)[0];
        Files.writeString(model.resolve("generation_config.json"), "{\"eos_token_id\": [" + first + "]}");
        Cli stopped = Cli.run("generate", "--model", model.toString(), "--image", image.toString(), "--prompt",
                "what is this", "--max-new-tokens", "3");
        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        assertThat(stopped.out()).contains("tokens: " + first + "\n").contains("stop: stop-token");
        // An explicit --stop wins over the model's eos ids.
        Cli explicit = Cli.run("generate", "--model", model.toString(), "--image", image.toString(), "--prompt",
                "what is this", "--max-new-tokens", "3", "--stop", "298");
        assertThat(tokens(explicit)).containsExactly(tokens(free));
    }

    @Test
    void badCombinationsAndInputsExitTwoWithAMessage() throws IOException {
        Cli both = Cli.run("generate", "--model", model.toString(), "--image", image.toString(), "--prompt", "hi",
                "--input-ids", IDS);
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--input-ids").contains("--prompt").contains("mutually exclusive");
        Cli twoImages = Cli.run("generate", "--model", model.toString(), "--image", image.toString(), "--pixels",
                "p.safetensors", "--input-ids", IDS);
        assertThat(twoImages.exitCode()).isEqualTo(2);
        assertThat(twoImages.err()).contains("mutually exclusive");
        Cli none = Cli.run("generate", "--model", model.toString(), "--image", image.toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("Missing required").contains("--prompt");

        Cli noTokenizer = Cli.run("generate", "--model", MODEL.toString(), "--image", image.toString(), "--prompt",
                "what is this");
        assertThat(noTokenizer.exitCode()).as(noTokenizer.toString()).isEqualTo(2);
        assertThat(noTokenizer.err()).contains("has no tokenizer.json").contains("--input-ids")
                .doesNotContain("\tat ");

        Path bad = dir.resolve("bad.png");
        Files.writeString(bad, "this is not a picture");
        Cli undecodable = Cli.run("generate", "--model", model.toString(), "--image", bad.toString(), "--input-ids",
                IDS);
        assertThat(undecodable.exitCode()).as(undecodable.toString()).isEqualTo(2);
        assertThat(undecodable.err()).contains("cannot decode image file").contains("bad.png")
                .doesNotContain("\tat ");
        Cli missing = Cli.run("generate", "--model", model.toString(), "--image", dir.resolve("nope.jpg").toString(),
                "--input-ids", IDS);
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("image file not found");

        Cli rawIds = Cli.run("generate", "--model", model.toString(), "--image", image.toString(), "--input-ids", IDS,
                "--raw-prompt");
        assertThat(rawIds.exitCode()).isEqualTo(2);
        assertThat(rawIds.err()).contains("--raw-prompt applies to --prompt");
        Cli rawNoImage = Cli.run("generate", "--model", model.toString(), "--image", image.toString(), "--prompt",
                "what is this", "--raw-prompt");
        assertThat(rawNoImage.exitCode()).isEqualTo(2);
        assertThat(rawNoImage.err()).contains("must contain <image>");
        Cli doubled = Cli.run("generate", "--model", model.toString(), "--image", image.toString(), "--prompt",
                "USER: <image>\nwhat is this ASSISTANT:");
        assertThat(doubled.exitCode()).isEqualTo(2);
        assertThat(doubled.err()).contains("already contains <image>");
    }
}
