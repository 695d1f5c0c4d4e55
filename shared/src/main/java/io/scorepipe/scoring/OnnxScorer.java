package io.scorepipe.scoring;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Map;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Scores through an ONNX Runtime session: one float or double input of shape {@code [N, k]}, one
 * output of {@code N} values. Rows arrive in the model's feature order and are laid out in the
 * file's input order, which may differ. A batch of rows is one run of the session.
 *
 * <p>Safe for concurrent use (ONNX Runtime sessions are); holds native memory until closed.
 *
 * @param environment ONNX Runtime's environment
 * @param session the model's session
 * @param schema the rows' features, in the model's order
 * @param input the name of the model's input
 * @param doubleInput whether the input takes doubles (else floats)
 * @param columns for each input column of the file, the position of its feature in the schema
 * @param maxRows rows per run: the input's fixed first dimension, or unbounded
 */
record OnnxScorer(OrtEnvironment environment, OrtSession session, FeatureSchema schema, String input,
        boolean doubleInput, int[] columns, int maxRows) implements Scorer {

    @Override
    public double score(double[] features) {
        double[] out = new double[1];
        scoreAll(new double[][] {features}, out);
        return out[0];
    }

    @Override
    public void scoreAll(double[][] rows, double[] out) {
        if (out.length < rows.length) {
            throw new IllegalArgumentException("output holds " + out.length + " values, " + rows.length + " rows given");
        }
        for (int from = 0; from < rows.length; from += maxRows) {
            run(rows, from, Math.min(rows.length, from + maxRows), out);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        }
        catch (OrtException ex) {
            throw new ModelException("could not release the ONNX Runtime session: " + ex.getMessage(), ex);
        }
    }

    private void run(double[][] rows, int from, int to, double[] out) {
        int n = to - from;
        int k = columns.length;
        long[] shape = {n, k};
        ByteBuffer bytes = ByteBuffer.allocateDirect(n * k * (doubleInput ? Double.BYTES : Float.BYTES))
                .order(ByteOrder.nativeOrder());
        for (int r = from; r < to; r++) {
            double[] row = rows[r];
            if (row.length != schema.size()) {
                throw new IllegalArgumentException("expected " + schema.size() + " values, got " + row.length);
            }
            for (int column : columns) {
                if (doubleInput) {
                    bytes.putDouble(row[column]);
                }
                else {
                    bytes.putFloat((float) row[column]);
                }
            }
        }
        bytes.flip();
        try (OnnxTensor tensor = doubleInput ? OnnxTensor.createTensor(environment, bytes.asDoubleBuffer(), shape)
                : OnnxTensor.createTensor(environment, bytes.asFloatBuffer(), shape);
                OrtSession.Result result = session.run(Map.of(input, tensor))) {
            read(result.get(0), n, out, from);
        }
        catch (OrtException ex) {
            throw new ModelException("ONNX Runtime could not score " + n + " row(s): " + ex.getMessage(), ex);
        }
    }

    private static void read(OnnxValue value, int n, double[] out, int at) {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new ModelException("the model's output is " + value.getType() + ", not a tensor");
        }
        long count = tensor.getInfo().getNumElements();
        if (count != n) {
            throw new ModelException("the model gave " + count + " values for " + n + " row(s); expected one per row");
        }
        if (tensor.getInfo().type == OnnxJavaType.DOUBLE) {
            DoubleBuffer values = tensor.getDoubleBuffer();
            for (int i = 0; i < n; i++) {
                out[at + i] = values.get(i);
            }
        }
        else if (tensor.getInfo().type == OnnxJavaType.FLOAT) {
            FloatBuffer values = tensor.getFloatBuffer();
            for (int i = 0; i < n; i++) {
                out[at + i] = values.get(i);
            }
        }
        else {
            throw new ModelException("the model's output is " + tensor.getInfo().type + "; expected float or double");
        }
    }
}
