package dev.tokenreduce.pruning.todre;

/**
 * The two attention ratios of ToDRE stage 2, per batch element: α_t→v = Σ_{i∈T} Σ_{j∈V} A_ij / |T| (how much the
 * text attends to the image) and α_v→t = Σ_{i∈V} Σ_{j∈T} A_ij / |V|, with A the layer's softmax attention averaged
 * over heads. NaN where a group is empty.
 *
 * @param textToVisual α_t→v per batch element
 * @param visualToText α_v→t per batch element
 */
public record RelevanceRatios(double[] textToVisual, double[] visualToText) {

    public RelevanceRatios {
        textToVisual = textToVisual.clone();
        visualToText = visualToText.clone();
    }

    /**
     * Whether every batch element meets the condition (a batch drops its visual tokens together, so the sequences
     * stay the same length). NaN ratios (no text, no image) never meet it.
     */
    public boolean below(double tau, RelevanceCondition condition) {
        for (int b = 0; b < textToVisual.length; b++) {
            boolean t = textToVisual[b] < tau;
            boolean v = visualToText[b] < tau;
            if (!(condition == RelevanceCondition.BOTH ? t && v : t)) {
                return false;
            }
        }
        return textToVisual.length > 0;
    }

    @Override
    public double[] textToVisual() {
        return textToVisual.clone();
    }

    @Override
    public double[] visualToText() {
        return visualToText.clone();
    }
}
