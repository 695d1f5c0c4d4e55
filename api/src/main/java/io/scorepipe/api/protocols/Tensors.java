package io.scorepipe.api.protocols;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.scorepipe.api.system.ApiProblemException;
import io.scorepipe.scoring.FeatureSchema;

/**
 * An Open Inference Protocol request's input tensors as rows in a model's feature order. Two
 * layouts are taken, as KServe's and MLServer's tabular runtimes take them: one tensor of shape
 * {@code [N, k]} holding whole rows in the model's order, or one tensor per feature, named as the
 * feature, of shape {@code [N]} or {@code [N, 1]}, in any order. Data may be flat (row-major) or
 * nested. Every refusal is a 400 that names the input, and the element where it matters.
 */
final class Tensors {

    /** The datatypes taken, and the one given back. */
    static final List<String> DATATYPES = List.of("FP64", "FP32", "INT64", "INT32");

    private Tensors() {
    }

    /**
     * The rows of a request.
     *
     * @param maxRows the most rows one request may hold
     * @throws ApiProblemException 400, naming what is wrong
     */
    static List<double[]> rows(OpenInference.@Nullable InferenceRequest request, FeatureSchema schema, int maxRows) {
        List<OpenInference.RequestInput> inputs = request == null ? null : request.inputs();
        if (inputs == null || inputs.isEmpty()) {
            throw ApiProblemException.badRequest("inputs is missing or empty: send one tensor '" + OpenInference.INPUT
                    + "' of shape [N, " + schema.size() + "] (" + schema.describe() + ", in this order), or one tensor "
                    + "per feature of shape [N]");
        }
        boolean wholeRows = inputs.size() == 1 && (schema.size() == 1 || schema.indexOf(name(inputs.getFirst())) < 0);
        List<double[]> rows = wholeRows ? wholeRows(inputs.getFirst(), schema) : byFeature(inputs, schema);
        if (rows.isEmpty()) {
            throw ApiProblemException.badRequest("the inputs hold no rows (N is 0)");
        }
        if (rows.size() > maxRows) {
            throw ApiProblemException.badRequest("at most " + maxRows + " rows per request, got " + rows.size());
        }
        return rows;
    }

    private static List<double[]> wholeRows(OpenInference.RequestInput input, FeatureSchema schema) {
        String name = name(input);
        List<Long> shape = shape(input);
        int k = schema.size();
        if (shape.size() != 2 || shape.get(1) != k) {
            throw ApiProblemException.badRequest("input '" + name + "' has shape " + shape + "; expected [N, " + k
                    + "]: N rows of the model's " + k + " features (" + schema.describe() + "), or one input per feature"
                    + " named as the feature");
        }
        double[] values = values(input, shape);
        int n = (int) (long) shape.getFirst();
        List<double[]> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            double[] row = new double[k];
            System.arraycopy(values, r * k, row, 0, k);
            rows.add(row);
        }
        return rows;
    }

    private static List<double[]> byFeature(List<OpenInference.RequestInput> inputs, FeatureSchema schema) {
        double[][] columns = new double[schema.size()][];
        Set<String> seen = new HashSet<>();
        long n = -1;
        for (OpenInference.RequestInput input : inputs) {
            String name = name(input);
            int position = schema.indexOf(name);
            if (position < 0) {
                throw ApiProblemException.badRequest("unknown input '" + name + "': send one tensor per feature, named "
                        + schema.describe() + ", or one tensor '" + OpenInference.INPUT + "' of shape [N, "
                        + schema.size() + "]");
            }
            if (!seen.add(name)) {
                throw ApiProblemException.badRequest("input '" + name + "' is sent twice");
            }
            List<Long> shape = shape(input);
            if (!(shape.size() == 1 || shape.size() == 2 && shape.get(1) == 1)) {
                throw ApiProblemException.badRequest("input '" + name + "' has shape " + shape
                        + "; a feature's tensor has shape [N] or [N, 1]");
            }
            if (n >= 0 && shape.getFirst() != n) {
                throw ApiProblemException.badRequest("input '" + name + "' has " + shape.getFirst() + " rows, the inputs "
                        + "before it " + n + "; every feature needs one value per row");
            }
            n = shape.getFirst();
            columns[position] = values(input, shape);
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] == null) {
                missing.add(schema.names().get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw ApiProblemException.badRequest("missing input" + (missing.size() > 1 ? "s" : "") + " for feature"
                    + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + "; the model takes "
                    + schema.describe());
        }
        List<double[]> rows = new ArrayList<>((int) n);
        for (int r = 0; r < n; r++) {
            double[] row = new double[columns.length];
            for (int c = 0; c < columns.length; c++) {
                row[c] = columns[c][r];
            }
            rows.add(row);
        }
        return rows;
    }

    private static String name(OpenInference.RequestInput input) {
        if (input.name() == null || input.name().isBlank()) {
            throw ApiProblemException.badRequest("an input has no name; name it '" + OpenInference.INPUT
                    + "' (rows of all features) or as the feature it holds");
        }
        return input.name();
    }

    private static List<Long> shape(OpenInference.RequestInput input) {
        List<Long> shape = input.shape();
        if (shape == null || shape.isEmpty()) {
            throw ApiProblemException.badRequest("input '" + input.name() + "' has no shape");
        }
        for (Long dimension : shape) {
            if (dimension == null || dimension < 0) {
                throw ApiProblemException.badRequest("input '" + input.name() + "' has shape " + shape
                        + "; every dimension must be a number of 0 or more");
            }
        }
        return shape;
    }

    /** The input's data, flattened row-major and checked against its shape and datatype. */
    private static double[] values(OpenInference.RequestInput input, List<Long> shape) {
        String name = input.name();
        String datatype = input.datatype();
        if (datatype == null || !DATATYPES.contains(datatype)) {
            throw ApiProblemException.badRequest("input '" + name + "' has datatype " + (datatype == null ? "none"
                    : "'" + datatype + "'") + "; expected one of " + String.join(", ", DATATYPES));
        }
        checkParameters(name, input.parameters());
        if (input.data() == null) {
            throw ApiProblemException.badRequest("input '" + name + "' has no data");
        }
        long expected = 1;
        for (long dimension : shape) {
            expected = Math.multiplyExact(expected, dimension);
        }
        List<Object> flat = new ArrayList<>();
        flatten(input.data(), flat, name);
        if (flat.size() != expected) {
            throw ApiProblemException.badRequest("input '" + name + "' has shape " + shape + ", which holds " + expected
                    + " values, but its data has " + flat.size());
        }
        double[] values = new double[flat.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value(flat.get(i), datatype, name, i);
        }
        return values;
    }

    private static void flatten(Object data, List<Object> into, String name) {
        if (data instanceof List<?> list) {
            for (Object element : list) {
                if (into.size() > 10_000_000) {
                    throw ApiProblemException.badRequest("input '" + name + "' holds too many values");
                }
                flatten(element, into, name);
            }
        }
        else {
            into.add(data);
        }
    }

    private static double value(@Nullable Object element, String datatype, String name, int index) {
        if (!(element instanceof Number number)) {
            throw ApiProblemException.badRequest("input '" + name + "' element " + index + " is " + (element == null
                    ? "null" : element instanceof String ? "a string" : "not a number") + "; its datatype " + datatype
                    + " holds numbers");
        }
        double value = number.doubleValue();
        if (!Double.isFinite(value)) {
            throw ApiProblemException.badRequest("input '" + name + "' element " + index + " is " + value
                    + "; expected a finite number");
        }
        return switch (datatype) {
            case "FP32" -> (double) (float) value;
            case "INT64", "INT32" -> integral(value, datatype, name, index);
            default -> value;
        };
    }

    private static double integral(double value, String datatype, String name, int index) {
        double limit = datatype.equals("INT32") ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (value != Math.rint(value) || Math.abs(value) > limit) {
            throw ApiProblemException.badRequest("input '" + name + "' element " + index + " is " + value
                    + "; its datatype " + datatype + " holds whole numbers of its range");
        }
        return value;
    }

    /** Input parameters: only a content type (MLServer's codecs send one), which changes nothing for numbers. */
    private static void checkParameters(String name, @Nullable Map<String, Object> parameters) {
        if (parameters == null) {
            return;
        }
        for (String parameter : parameters.keySet()) {
            if (!parameter.equals("content_type")) {
                throw ApiProblemException.badRequest("input '" + name + "' has the parameter '" + parameter
                        + "', which is not supported (binary tensor data is not; send the values as JSON)");
            }
        }
    }
}
