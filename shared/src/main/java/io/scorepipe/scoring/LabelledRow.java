package io.scorepipe.scoring;

/**
 * One training example: features in schema order and the observed target. The array is not
 * copied (training sets are large); callers must not change it afterwards.
 */
public record LabelledRow(double[] features, double target) {

    public LabelledRow {
        if (features.length == 0) {
            throw new IllegalArgumentException("a labelled row needs at least one feature");
        }
        if (!Double.isFinite(target)) {
            throw new IllegalArgumentException("target must be a finite number, got " + target);
        }
    }
}
