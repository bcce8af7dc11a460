package dev.tokenreduce.eval.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (decoupled weight decay) on NDArrays with a linear warm-up then cosine decay of the learning rate to
 * {@code minLr}. Moments live in the optimiser's manager; parameters are updated in place.
 */
final class AdamW {

    private final double peakLr;
    private final double minLr;
    private final int warmup;
    private final int total;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private int step;

    AdamW(double peakLr, double minLr, int warmup, int total, double weightDecay) {
        this.peakLr = peakLr;
        this.minLr = minLr;
        this.warmup = warmup;
        this.total = total;
        this.beta1 = 0.9;
        this.beta2 = 0.999;
        this.eps = 1e-8;
        this.weightDecay = weightDecay;
    }

    /** The learning rate of (0-based) step {@code s}. */
    double learningRate(int s) {
        if (s < warmup) {
            return peakLr * (s + 1) / warmup;
        }
        double progress = (double) (s - warmup) / Math.max(1, total - warmup);
        return minLr + 0.5 * (peakLr - minLr) * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
    }

    /**
     * One update of every parameter from its gradient; temporaries go to {@code scratch}.
     *
     * @param params parameters by name (gradient-tracked)
     */
    void update(Map<String, NDArray> params, NDManager state, NDManager scratch) {
        double lr = learningRate(step);
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray p = e.getValue();
            NDArray mt = m.computeIfAbsent(e.getKey(), k -> state.zeros(p.getShape()));
            NDArray vt = v.computeIfAbsent(e.getKey(), k -> state.zeros(p.getShape()));
            // results attach to their first operand's manager: move the operands into a scratch scope meanwhile
            try (NDManager tmp = scratch.newSubManager()) {
                p.tempAttach(tmp);
                mt.tempAttach(tmp);
                vt.tempAttach(tmp);
                NDArray g = p.getGradient();
                g.attach(tmp);
                mt.muli(beta1).addi(g.mul(1 - beta1));
                vt.muli(beta2).addi(g.square().mul(1 - beta2));
                NDArray update = mt.div(bc1).div(vt.div(bc2).sqrt().add(eps));
                if (TrainableVit.decays(e.getKey(), p)) {
                    update = update.add(p.mul(weightDecay));
                }
                p.subi(update.mul(lr));
                g.subi(g); // zero the accumulated gradient for the next step
            }
        }
    }
}
