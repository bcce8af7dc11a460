package dev.tokenreduce.datasets.readers;

/** Images with metric depth ground truth. */
public interface DepthDataset extends Dataset {

    /** Sample {@code index}, decoded. */
    DepthSample sample(int index);

    /** Conventional lower bound of evaluated depth in metres (NYU: 0.001). */
    double minDepth();

    /** Conventional upper bound of evaluated depth in metres (NYU: 10). */
    double maxDepth();

    /** Whether evaluation on this dataset conventionally uses the Eigen crop. */
    boolean eigenCrop();

    @Override
    default Task task() {
        return Task.DEPTH;
    }
}
