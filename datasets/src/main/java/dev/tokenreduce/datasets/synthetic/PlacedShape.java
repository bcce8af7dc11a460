package dev.tokenreduce.datasets.synthetic;

import java.util.BitSet;

/**
 * One shape of a synthetic scene.
 *
 * @param shapeClass its class
 * @param order drawing order, 0 first (furthest back); its instance id in {@link SyntheticScene#instances()} is
 *     order + 1
 * @param depth distance in metres (constant over the shape; later shapes are nearer)
 * @param area pixels the shape covers before occlusion
 * @param visibleArea pixels where it is the front-most shape
 * @param coverage the amodal mask (pixels covered before occlusion, row-major bit index y·size + x); copied in and out
 */
public record PlacedShape(ShapeClass shapeClass, int order, float depth, int area, int visibleArea, BitSet coverage) {

    public PlacedShape {
        coverage = (BitSet) coverage.clone();
    }

    @Override
    public BitSet coverage() {
        return (BitSet) coverage.clone();
    }

    @Override
    public String toString() {
        return "PlacedShape[" + shapeClass + ", order=" + order + ", depth=" + depth + ", area=" + area
                + ", visible=" + visibleArea + "]";
    }
}
