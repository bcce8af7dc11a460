package dev.tokenreduce.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenMapImagesTest {

    @TempDir
    Path dir;

    private static byte[] grey(int w, int h, int value) {
        byte[] rgb = new byte[w * h * 3];
        java.util.Arrays.fill(rgb, (byte) value);
        return rgb;
    }

    @Test
    void rgbBytesBecomePixels() {
        byte[] rgb = {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, 10, 20, 30};
        BufferedImage img = TokenMapImages.fromRgb(rgb, 2, 2);
        assertThat(img.getRGB(0, 0) & 0xffffff).isEqualTo(0xff0000);
        assertThat(img.getRGB(1, 0) & 0xffffff).isEqualTo(0x00ff00);
        assertThat(img.getRGB(0, 1) & 0xffffff).isEqualTo(0x0000ff);
        assertThat(img.getRGB(1, 1) & 0xffffff).isEqualTo(0x0a141e);
        assertThat(TokenMapImages.toRgb(img)).containsExactly(rgb);
    }

    @Test
    void clusterMapColoursCellsByLabelAndDrawsBorders() {
        // 2x2 grid on a 40x40 image: left column label 0, right column label 1
        int[] labels = {0, 1, 0, 1};
        BufferedImage img = TokenMapImages.clusterMap(labels, GridSize.square(2), grey(40, 40, 0), 40, 40, 1.0f);
        assertThat(img.getRGB(5, 5) & 0xffffff).isEqualTo(TokenMapImages.palette(0));
        assertThat(img.getRGB(5, 35) & 0xffffff).isEqualTo(TokenMapImages.palette(0));
        assertThat(img.getRGB(30, 5) & 0xffffff).isEqualTo(TokenMapImages.palette(1));
        assertThat(img.getRGB(19, 5) & 0xffffff).isEqualTo(0x202020); // border between the columns
        assertThat(img.getRGB(5, 19) & 0xffffff).isEqualTo(TokenMapImages.palette(0)); // same label below
        assertThat(TokenMapImages.palette(0)).isNotEqualTo(TokenMapImages.palette(1));
    }

    @Test
    void keptTokensDimDroppedPatches() throws Exception {
        BufferedImage img = TokenMapImages.keptTokens(new int[] {3}, GridSize.square(2), grey(20, 20, 200), 20, 20);
        assertThat(img.getRGB(15, 15) & 0xff).isEqualTo(200);
        assertThat(img.getRGB(2, 2) & 0xff).isEqualTo(50);
        Path file = dir.resolve("sub/kept.png");
        TokenMapImages.writePng(img, file);
        BufferedImage back = ImageIO.read(file.toFile());
        assertThat(back.getWidth()).isEqualTo(20);
        assertThat(back.getRGB(2, 2) & 0xff).isEqualTo(50);
    }

    @Test
    void badInputsAreRejected() {
        assertThatThrownBy(() -> TokenMapImages.fromRgb(new byte[5], 2, 2)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("expected 12");
        assertThatThrownBy(() -> TokenMapImages.clusterMap(new int[3], GridSize.square(2), grey(4, 4, 0), 4, 4, 0.5f))
                .hasMessageContaining("expected 4");
        assertThatThrownBy(() -> TokenMapImages.keptTokens(new int[] {4}, GridSize.square(2), grey(4, 4, 0), 4, 4))
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> TokenMapImages.clusterMap(new int[4], GridSize.square(2), grey(4, 4, 0), 4, 4, 2f))
                .hasMessageContaining("alpha");
    }

    @Test
    void machineAndVersionInfo() {
        assertThat(MachineInfo.cpuModel(List.of("processor\t: 0", "model name\t: Test CPU @ 3GHz")))
                .isEqualTo("Test CPU @ 3GHz");
        assertThat(MachineInfo.cpuModel(List.of("Hardware\t: BCM2711"))).isEqualTo("BCM2711");
        assertThat(MachineInfo.cpuModel(List.of())).isEqualTo("unknown");
        assertThat(MachineInfo.memTotalKiB(List.of("MemTotal:       16384 kB"))).isEqualTo(16384);
        assertThat(Versions.detect()).containsKeys("tokenreduce", "djl", "pytorch", "java", "djl-runtime")
                .containsEntry("djl-runtime", "0.36.0");
    }
}
