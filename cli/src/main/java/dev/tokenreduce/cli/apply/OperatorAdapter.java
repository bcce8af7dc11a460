package dev.tokenreduce.cli.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.op.Params;
import java.util.List;
import java.util.Map;

/** Runs one operator on named input tensors and returns named output tensors. */
public interface OperatorAdapter {

    /** The operator id on the command line. */
    String id();

    /** Input tensor names, for the help text ("name (shape)"). */
    List<String> inputs();

    /** Output tensor names, for the help text. */
    List<String> outputs();

    /** Parameter names, for the help text. */
    List<String> params();

    /**
     * Runs the operator. Implementations read every parameter they support and fail on unknown ones before any
     * heavy work.
     *
     * @param inputs the input tensors
     * @param params {@code --param key=value} pairs
     * @param manager owner of every array created
     * @return output tensors in the order they should be written
     */
    Map<String, NDArray> run(NamedTensors inputs, Params params, NDManager manager);
}
