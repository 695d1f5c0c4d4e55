package io.scorepipe.scoring;

/**
 * A scorer that takes rows in another order of the same features and hands them on in its
 * inner scorer's order. Immutable; does not own the inner scorer.
 */
final class ReorderedScorer implements Scorer {

    private final Scorer inner;
    private final FeatureSchema schema;
    /** For each position of the inner scorer's schema, the position of that feature in this one. */
    private final int[] from;

    private ReorderedScorer(Scorer inner, FeatureSchema schema, int[] from) {
        this.inner = inner;
        this.schema = schema;
        this.from = from;
    }

    static ReorderedScorer of(Scorer inner, FeatureSchema order) {
        FeatureSchema own = inner.schema();
        if (own.size() != order.size()) {
            throw new IllegalArgumentException("the scorer takes " + own.names() + ", not " + order.names());
        }
        int[] from = new int[own.size()];
        for (int i = 0; i < from.length; i++) {
            from[i] = order.indexOf(own.names().get(i));
            if (from[i] < 0) {
                throw new IllegalArgumentException("the scorer takes " + own.names() + ", not " + order.names());
            }
        }
        return new ReorderedScorer(inner, order, from);
    }

    @Override
    public FeatureSchema schema() {
        return schema;
    }

    @Override
    public double score(double[] features) {
        return inner.score(arrange(features));
    }

    @Override
    public void scoreAll(double[][] rows, double[] out) {
        double[][] arranged = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            arranged[i] = arrange(rows[i]);
        }
        inner.scoreAll(arranged, out);
    }

    private double[] arrange(double[] features) {
        if (features.length != from.length) {
            throw new IllegalArgumentException("expected " + from.length + " values, got " + features.length);
        }
        double[] arranged = new double[from.length];
        for (int i = 0; i < from.length; i++) {
            arranged[i] = features[from[i]];
        }
        return arranged;
    }
}
