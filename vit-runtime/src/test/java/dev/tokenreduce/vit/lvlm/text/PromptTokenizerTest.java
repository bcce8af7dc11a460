package dev.tokenreduce.vit.lvlm.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.vit.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokenizer binding on a tokenizer.json written here, and the LLaVA-1.5 prompt format. */
class PromptTokenizerTest {

    @TempDir
    Path dir;

    @Test
    void encodesWithBosAndDecodesWithoutSpecialTokens() {
        TinyTokenizerJson.write(dir);
        try (PromptTokenizer t = PromptTokenizer.load(dir)) {
            assertThat(t.encode("what is this")).containsExactly(1, 5, 6, 7);
            assertThat(t.encode("what  is\na dog")).containsExactly(1, 5, 6, 8, 0);
            // No decoder in the file: tokens are joined with spaces; <s> and </s> are special and left out.
            assertThat(t.decode(new long[] {1, 9, 6, 8, 9, 2})).isEqualTo("cat is a cat");
            assertThat(t.file()).isEqualTo(dir.resolve("tokenizer.json"));
        }
    }

    @Test
    void llavaTemplatePutsTheImageTokenAfterUser() {
        TinyTokenizerJson.write(dir);
        String prompt = PromptFormat.LLAVA_1_5.apply("what is this");
        assertThat(prompt).isEqualTo("USER: <image>\nwhat is this ASSISTANT:");
        try (PromptTokenizer t = PromptTokenizer.load(dir.resolve("tokenizer.json"))) {
            assertThat(t.encodePrompt(prompt, 299)).containsExactly(1, 3, 299, 5, 6, 7, 4);
            assertThat(t.encodePrompt(PromptFormat.RAW.apply("<image> cat"), 299)).containsExactly(1, 299, 9);
            assertThatThrownBy(() -> t.encodePrompt(prompt, 298)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("into [299]").hasMessageContaining("image token 298");
        }
    }

    @Test
    void formatsRejectPromptsThatDoNotFit() {
        assertThatThrownBy(() -> PromptFormat.LLAVA_1_5.apply("USER: <image>\nhi ASSISTANT:"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("already contains <image>");
        assertThatThrownBy(() -> PromptFormat.RAW.apply("what is this")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must contain <image>");
        assertThat(PromptFormat.LLAVA_1_5.apply("")).isEqualTo("USER: <image>\n ASSISTANT:");
    }

    @Test
    void missingOrMalformedFilesAreModelFormatErrors() throws Exception {
        assertThatThrownBy(() -> PromptTokenizer.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tokenizer.json not found");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": 5}");
        assertThatThrownBy(() -> PromptTokenizer.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a tokenizer.json");
    }

    @Test
    void theTokenizerJarDoesNotReplaceTheDefaultEngine() {
        // The jar also registers DJL's Rust engine; PyTorch must stay the default NDManager engine.
        assertThat(Engine.getDefaultEngineName()).isEqualTo("PyTorch");
    }
}
