package io.scorepipe.drift;

import java.util.List;

/**
 * The population stability index of a recent distribution against a reference cut in the same bins:
 * the sum over bins of {@code (recent - reference) * ln(recent / reference)}. Zero when the shares
 * match; by the usual reading under 0.1 is stable, 0.1 to 0.2 a moderate shift, and above
 * {@value #SHIFTED} a shift worth a look. An empty bin on either side counts as a share of
 * {@value #FLOOR}, so that one bin the other side never saw gives a large index rather than an
 * infinite one.
 */
public final class Psi {

    /** Above this, a feature has shifted. */
    public static final double SHIFTED = 0.2;
    /** The share an empty bin counts as. */
    public static final double FLOOR = 1e-4;

    private Psi() {
    }

    /** The index of {@code recent} against {@code reference}, which must be cut in the same bins. */
    public static double of(Distribution reference, Distribution recent) {
        if (!reference.edges().equals(recent.edges())) {
            throw new IllegalArgumentException("the two distributions are cut in different bins");
        }
        return of(reference.shares(), recent.shares());
    }

    static double of(List<Double> reference, List<Double> recent) {
        double index = 0;
        for (int i = 0; i < reference.size(); i++) {
            double expected = Math.max(reference.get(i), FLOOR);
            double actual = Math.max(recent.get(i), FLOOR);
            index += (actual - expected) * Math.log(actual / expected);
        }
        return index;
    }
}
