package io.scorepipe.bench;

import java.util.List;
import java.util.SplittableRandom;

import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.LabelledRow;

/** The feature vectors the loads send: rows of the bundled diabetes sample with small Gaussian perturbations. */
final class SoakVectors {

    private final List<String> featureNames;
    private final double[][] sample;
    /** The vectors that repeat (cache hits once seen). */
    private final double[][] hot;
    /** The standard deviation of the perturbations. */
    private final double jitter;

    SoakVectors(int hotCount, double jitter) {
        this.jitter = jitter;
        BundledSample bundled = BundledSample.diabetes();
        featureNames = bundled.schema().names();
        sample = bundled.rows().stream().map(LabelledRow::features).toArray(double[][]::new);
        SplittableRandom random = new SplittableRandom(20250101L);
        hot = new double[hotCount][];
        for (int i = 0; i < hotCount; i++) {
            hot[i] = perturbed(sample[i % sample.length], random);
        }
    }

    List<String> featureNames() {
        return featureNames;
    }

    int hotCount() {
        return hot.length;
    }

    /** One of the repeated vectors, at random. */
    double[] hot(SplittableRandom random) {
        return hot[random.nextInt(hot.length)];
    }

    /** A fresh vector: a row of the sample, at random, perturbed. */
    double[] fresh(SplittableRandom random) {
        return perturbed(sample[random.nextInt(sample.length)], random);
    }

    private double[] perturbed(double[] row, SplittableRandom random) {
        double[] f = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            f[i] = row[i] + random.nextGaussian() * jitter;
        }
        return f;
    }

    /** Appends {@code values} as a JSON array. */
    static void appendArray(StringBuilder s, double[] values) {
        s.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append(values[i]); // shortest repr that reads back as the same double
        }
        s.append(']');
    }
}
