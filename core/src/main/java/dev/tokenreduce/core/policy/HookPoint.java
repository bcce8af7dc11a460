package dev.tokenreduce.core.policy;

/**
 * Where in a model a policy step runs. Written in policies as {@code {block: N}}, {@code output},
 * {@code vision-output}, {@code {decoder-layer: N}}, {@code decoder} or {@code blocks}.
 */
public sealed interface HookPoint {

    /** Vision encoder, after {@code blocks} blocks have run (1-based count; 0 = right after the embeddings). */
    record AfterBlock(int blocks) implements HookPoint {
        public AfterBlock {
            if (blocks < 0) {
                throw new PolicyException("block count must be >= 0, got " + blocks);
            }
        }

        @Override
        public String toString() {
            return "block " + blocks;
        }
    }

    /** Inside every encoder block (between attention and MLP); the operator keeps its own per-block schedule. */
    record EveryBlock() implements HookPoint {
        @Override
        public String toString() {
            return "blocks";
        }
    }

    /** After the vision encoder's final norm. */
    record Output() implements HookPoint {
        @Override
        public String toString() {
            return "output";
        }
    }

    /** LVLM: visual tokens after the multimodal projector, before the language model. */
    record VisionOutput() implements HookPoint {
        @Override
        public String toString() {
            return "vision-output";
        }
    }

    /** LVLM decoder, after {@code layers} layers (1-based count). */
    record AfterDecoderLayer(int layers) implements HookPoint {
        public AfterDecoderLayer {
            if (layers < 1) {
                throw new PolicyException("decoder layer count must be >= 1, got " + layers);
            }
        }

        @Override
        public String toString() {
            return "decoder-layer " + layers;
        }
    }

    /** LVLM decoder: an operator that manages its own layer schedule (TransPrune). */
    record Decoder() implements HookPoint {
        @Override
        public String toString() {
            return "decoder";
        }
    }

    static HookPoint afterBlock(int blocks) {
        return new AfterBlock(blocks);
    }

    static HookPoint output() {
        return new Output();
    }
}
