package dev.tokenreduce.vit.encoder;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.vit.config.Activation;

/** The MLP activations as NDArray ops. */
final class Activations {

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

    private Activations() {}

    static NDArray apply(Activation activation, NDArray x) {
        switch (activation) {
            case GELU:
                // torch gelu with approximate='none' (the error function), as DJL's PyTorch engine calls it
                return ai.djl.nn.Activation.gelu(x);
            case QUICK_GELU:
                return x.mul(ai.djl.nn.Activation.sigmoid(x.mul(1.702f)));
            case GELU_TANH: {
                NDArray inner = x.mul(x).mul(0.044715f).add(1f).mul(x).mul(SQRT_2_OVER_PI);
                return inner.tanh().add(1f).mul(x).mul(0.5f);
            }
            default:
                throw new IllegalStateException("unhandled activation " + activation);
        }
    }
}
