package dev.tokenreduce.eval.train;

import dev.tokenreduce.datasets.synthetic.SceneGenerator;
import dev.tokenreduce.datasets.synthetic.SyntheticSplitWriter;
import java.nio.file.Path;

/**
 * Writes the bundled evaluation split of the embedded default: {@code COUNT} scenes of the held-out generator
 * (seed = training seed + {@value TrainDefaultModel#HELD_OUT_SEED_OFFSET}, never seen in training) as split
 * {@code validation} in the ADE20K-like layout of {@link SyntheticSplitWriter}.
 *
 * <pre>
 * java -cp cli/target/tokenreduce.jar dev.tokenreduce.eval.train.WriteDefaultSplit OUTPUT_DIR [COUNT=48]
 *     [TRAINING_SEED=7] [IMAGE_SIZE=128]
 * </pre>
 */
public final class WriteDefaultSplit {

    private WriteDefaultSplit() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: WriteDefaultSplit OUTPUT_DIR [COUNT=48] [TRAINING_SEED=7] [IMAGE_SIZE=128]");
            System.exit(2);
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 48;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 7;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        SceneGenerator heldOut = SceneGenerator.builder().optSeed(seed + TrainDefaultModel.HELD_OUT_SEED_OFFSET)
                .optSize(size).build();
        SyntheticSplitWriter.write(heldOut, Path.of(args[0]), "validation", 0, count, "png");
        System.err.println("wrote " + count + " scenes (seed " + heldOut.seed() + ", " + size + "x" + size + ") to "
                + args[0]);
    }
}
