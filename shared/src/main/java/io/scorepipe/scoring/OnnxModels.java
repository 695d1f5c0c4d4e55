package io.scorepipe.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * Opens ONNX models with ONNX Runtime and checks that scorepipe can serve them: one float or
 * double input of shape {@code [N, k]}, one output of {@code N} values ({@code [N]} or
 * {@code [N, 1]}), and {@code k} named features, named by the caller or by the file's metadata
 * property {@code feature_names}. Every refusal is a {@link ModelException} that says what the
 * file has and what was expected. Sessions run single-threaded: requests run side by side, each
 * on its own thread.
 */
public final class OnnxModels {

    /** The metadata property that may name the features: comma-separated, or a JSON array of strings. */
    public static final String FEATURE_NAMES = "feature_names";

    private OnnxModels() {
    }

    /**
     * Opens a model about to be imported.
     *
     * @param declared the feature names the caller gave, in the file's input order; null to read
     *     them from the file's metadata
     * @return a scorer taking rows in the file's input order (its schema); the caller closes it
     * @throws ModelException when ONNX Runtime cannot load the file or it does not fit
     */
    public static Scorer open(byte[] bytes, @Nullable List<String> declared) {
        OrtSession session = session(bytes);
        try {
            Shape shape = shape(session);
            List<String> names = declared != null ? declared : metadataNames(session);
            if (shape.width > 0 && names.size() != shape.width) {
                throw new ModelException("the model's input '" + shape.input + "' takes " + shape.width + " features per "
                        + "row, but " + names.size() + " feature names were " + (declared != null ? "given" : "in its "
                        + FEATURE_NAMES + " metadata") + ": " + names);
            }
            FeatureSchema schema = schemaOf(names);
            int[] columns = new int[names.size()];
            Arrays.setAll(columns, i -> i);
            return new OnnxScorer(environment(), session, schema, shape.input, shape.doubleInput, columns, shape.maxRows);
        }
        catch (RuntimeException ex) {
            closeQuietly(session);
            throw ex;
        }
    }

    /**
     * Opens a registered model for serving.
     *
     * @param schema the model's features in the order callers send them
     * @param fileOrder the same features in the file's input order
     * @throws ModelException when the file no longer fits its registration
     */
    public static Scorer scorer(byte[] bytes, FeatureSchema schema, List<String> fileOrder) {
        OrtSession session = session(bytes);
        try {
            Shape shape = shape(session);
            int[] columns = new int[fileOrder.size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = schema.indexOf(fileOrder.get(i));
                if (columns[i] < 0) {
                    throw new ModelException("the model's input feature '" + fileOrder.get(i) + "' is not in its "
                            + "schema " + schema.names());
                }
            }
            if (shape.width > 0 && shape.width != columns.length) {
                throw new ModelException("the model takes " + shape.width + " features per row, but is registered with "
                        + columns.length);
            }
            return new OnnxScorer(environment(), session, schema, shape.input, shape.doubleInput, columns, shape.maxRows);
        }
        catch (RuntimeException ex) {
            closeQuietly(session);
            throw ex;
        }
    }

    private static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "scorepipe");
    }

    private static OrtSession session(byte[] bytes) {
        if (bytes.length == 0) {
            throw new ModelException("the model file is empty (0 bytes)");
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return environment().createSession(bytes, options);
        }
        catch (OrtException ex) {
            throw new ModelException("ONNX Runtime could not load the model (" + bytes.length + " bytes): "
                    + ex.getMessage(), ex);
        }
        catch (UnsatisfiedLinkError ex) {
            throw new ModelException("ONNX Runtime's native library is not available on this machine: "
                    + ex.getMessage(), ex);
        }
    }

    private record Shape(String input, boolean doubleInput, long width, int maxRows) {
    }

    private static Shape shape(OrtSession session) {
        try {
            NodeInfo input = single(session.getInputInfo(), "input", "one float input of shape [N, k]");
            NodeInfo output = single(session.getOutputInfo(), "output", "one output of N values");
            TensorInfo tensor = numeric(input, "input", "tensor of shape [N, k]");
            long[] dims = tensor.getShape();
            if (dims.length != 2 || (dims[0] > 1)) {
                throw new ModelException("the model's input is " + describe(input) + "; expected shape [N, k] with N "
                        + "free (or 1)");
            }
            TensorInfo result = numeric(output, "output", "tensor of N values");
            long[] out = result.getShape();
            boolean oneValuePerRow = out.length == 1 || (out.length == 2 && (out[1] == 1 || out[1] < 0));
            if (!oneValuePerRow) {
                throw new ModelException("the model's output is " + describe(output) + "; expected one value per row, "
                        + "shape [N] or [N, 1]");
            }
            return new Shape(input.getName(), tensor.type == OnnxJavaType.DOUBLE, dims[1],
                    dims[0] == 1 ? 1 : Integer.MAX_VALUE);
        }
        catch (OrtException ex) {
            throw new ModelException("ONNX Runtime could not describe the model: " + ex.getMessage(), ex);
        }
    }

    /** The one input (or output) a servable model has. */
    private static NodeInfo single(Map<String, NodeInfo> nodes, String what, String expected) {
        if (nodes.size() != 1) {
            throw new ModelException("the model has " + nodes.size() + " " + what + "s (" + describe(nodes) + "); "
                    + "scorepipe serves models with " + expected);
        }
        return nodes.values().iterator().next();
    }

    /** The node's tensor, when it holds floats or doubles. */
    private static TensorInfo numeric(NodeInfo node, String what, String expected) {
        if (!(node.getInfo() instanceof TensorInfo tensor)
                || (tensor.type != OnnxJavaType.FLOAT && tensor.type != OnnxJavaType.DOUBLE)) {
            throw new ModelException("the model's " + what + " is " + describe(node) + "; expected a float or double "
                    + expected);
        }
        return tensor;
    }

    private static List<String> metadataNames(OrtSession session) {
        String value;
        try {
            value = session.getMetadata().getCustomMetadataValue(FEATURE_NAMES).orElse(null);
        }
        catch (OrtException ex) {
            throw new ModelException("ONNX Runtime could not read the model's metadata: " + ex.getMessage(), ex);
        }
        if (value == null || value.isBlank()) {
            throw new ModelException("the model does not name its features: give them with the upload (features=a,b,c, "
                    + "in the order of the input's columns) or store them in the file's metadata property '"
                    + FEATURE_NAMES + "'");
        }
        String text = value.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        List<String> names = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String name = part.strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            names.add(name);
        }
        return names;
    }

    private static FeatureSchema schemaOf(List<String> names) {
        try {
            return FeatureSchema.of(names);
        }
        catch (IllegalArgumentException ex) {
            throw new ModelException("the feature names " + names + " cannot be used: " + ex.getMessage(), ex);
        }
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        return nodes.values().stream().map(OnnxModels::describe).collect(Collectors.joining(", "));
    }

    private static String describe(NodeInfo node) {
        if (node.getInfo() instanceof TensorInfo tensor) {
            return "'" + node.getName() + "' " + tensor.type + " " + Arrays.toString(tensor.getShape()).replace("-1", "N");
        }
        return "'" + node.getName() + "' " + node.getInfo();
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        }
        catch (OrtException ignored) {
            // already failing for a better reason
        }
    }
}
