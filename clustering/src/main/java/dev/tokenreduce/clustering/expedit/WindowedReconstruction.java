package dev.tokenreduce.clustering.expedit;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.token.Restoration;

/**
 * Reconstruction of the windowed variant: the stitched cluster-aligned tensor is cut back into windows, each window
 * is reconstructed from its own clusters, and the windows are stitched and cropped to the original grid.
 */
final class WindowedReconstruction implements Restoration {

    private final WindowPartition partition;
    private final ExpeditReconstruction perWindow;

    WindowedReconstruction(WindowPartition partition, ExpeditReconstruction perWindow) {
        this.partition = partition;
        this.perWindow = perWindow;
    }

    ExpeditReconstruction perWindow() {
        return perWindow;
    }

    @Override
    public int reducedTokens() {
        return partition.mergedGrid().cells();
    }

    @Override
    public int originalTokens() {
        return partition.grid().cells();
    }

    @Override
    public NDArray restore(NDArray aligned) {
        checkAligned(aligned);
        return partition.merge(perWindow.apply(partition.unstitch(aligned)));
    }
}
