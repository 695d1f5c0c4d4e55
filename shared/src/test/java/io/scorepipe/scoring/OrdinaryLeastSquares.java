package io.scorepipe.scoring;

import java.util.List;

/**
 * Ordinary least squares with an intercept, solved from the normal equations by Gaussian
 * elimination with partial pivoting: the yardstick that the SGD model is held to in tests.
 */
public final class OrdinaryLeastSquares implements Scorer {

    private final FeatureSchema schema;
    /** Coefficients, intercept last. */
    private final double[] beta;

    private OrdinaryLeastSquares(FeatureSchema schema, double[] beta) {
        this.schema = schema;
        this.beta = beta;
    }

    public static OrdinaryLeastSquares fit(FeatureSchema schema, List<LabelledRow> rows) {
        int p = schema.size() + 1;
        double[][] xtx = new double[p][p];
        double[] xty = new double[p];
        double[] x = new double[p];
        for (LabelledRow row : rows) {
            System.arraycopy(row.features(), 0, x, 0, p - 1);
            x[p - 1] = 1.0;
            for (int i = 0; i < p; i++) {
                xty[i] += x[i] * row.target();
                for (int j = 0; j < p; j++) {
                    xtx[i][j] += x[i] * x[j];
                }
            }
        }
        return new OrdinaryLeastSquares(schema, solve(xtx, xty));
    }

    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] rowSwap = a[col];
            a[col] = a[pivot];
            a[pivot] = rowSwap;
            double valueSwap = b[col];
            b[col] = b[pivot];
            b[pivot] = valueSwap;
            for (int r = col + 1; r < n; r++) {
                double factor = a[r][col] / a[col][col];
                b[r] -= factor * b[col];
                for (int c = col; c < n; c++) {
                    a[r][c] -= factor * a[col][c];
                }
            }
        }
        double[] solution = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double sum = b[r];
            for (int c = r + 1; c < n; c++) {
                sum -= a[r][c] * solution[c];
            }
            solution[r] = sum / a[r][r];
        }
        return solution;
    }

    @Override
    public FeatureSchema schema() {
        return schema;
    }

    @Override
    public double score(double[] features) {
        double sum = beta[beta.length - 1];
        for (int i = 0; i < features.length; i++) {
            sum += features[i] * beta[i];
        }
        return sum;
    }
}
