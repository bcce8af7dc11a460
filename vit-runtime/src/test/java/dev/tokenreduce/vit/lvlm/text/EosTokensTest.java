package dev.tokenreduce.vit.lvlm.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenreduce.vit.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EosTokensTest {

    @TempDir
    Path dir;

    @Test
    void generationConfigFirstThenTextConfigThenTopLevel() throws Exception {
        assertThat(EosTokens.read(dir)).isEmpty();
        Files.writeString(dir.resolve("config.json"), "{\"eos_token_id\": 7}");
        assertThat(EosTokens.read(dir)).containsExactly(7);
        Files.writeString(dir.resolve("config.json"), "{\"eos_token_id\": 7, \"text_config\": {\"eos_token_id\": 5}}");
        assertThat(EosTokens.read(dir)).containsExactly(5);
        Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\": 1, \"eos_token_id\": [2, 9]}");
        assertThat(EosTokens.read(dir)).containsExactly(2, 9);
    }

    @Test
    void badValuesNameTheFileAndField() throws Exception {
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": \"</s>\"}");
        assertThatThrownBy(() -> EosTokens.read(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("generation_config.json, field 'eos_token_id'");
        Files.writeString(dir.resolve("generation_config.json"), "{oops");
        assertThatThrownBy(() -> EosTokens.read(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not readable JSON");
    }
}
