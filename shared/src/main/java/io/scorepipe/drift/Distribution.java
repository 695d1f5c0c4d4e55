package io.scorepipe.drift;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One variable's distribution: its count, mean and standard deviation, and the share of its values
 * in each bin. The bins are cut at {@code edges}: bin 0 holds values below {@code edges[0]}, bin
 * {@code i} values from {@code edges[i - 1]} up to but not including {@code edges[i]}, the last bin
 * the rest; so there is one more share than edges.
 *
 * <p>A reference distribution ({@link #reference}) cuts at its own deciles, so each bin holds about a
 * tenth of what the model learnt from; repeated values merge cuts (a two-valued feature has two or
 * three bins), and the shares are counted, never assumed. A recent distribution ({@link #over})
 * reuses the reference's edges, so that the two compare bin by bin. Values that are not finite
 * (a model's NaN, say) are left out of both, and of the count.
 *
 * @param count how many values
 * @param mean their mean (0 when there are none)
 * @param std their population standard deviation (0 when there are none)
 * @param edges the bins' cuts, ascending, distinct
 * @param shares the share of the values in each bin, {@code edges.length + 1} of them, summing to 1
 *     (all zero when there are no values)
 */
public record Distribution(@JsonProperty("count") long count, @JsonProperty("mean") double mean,
        @JsonProperty("std") double std, @JsonProperty("edges") List<Double> edges,
        @JsonProperty("shares") List<Double> shares) {

    /** Deciles: nine cuts. */
    static final int CUTS = 9;

    public Distribution {
        edges = List.copyOf(edges);
        shares = List.copyOf(shares);
        if (shares.size() != edges.size() + 1) {
            throw new IllegalArgumentException("a distribution has one share more than edges, got " + edges.size()
                    + " edges and " + shares.size() + " shares");
        }
    }

    /** The distribution of {@code values}, cut at their own deciles. */
    public static Distribution reference(double[] values) {
        double[] sorted = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        double[] cuts = new double[CUTS];
        int distinct = 0;
        if (sorted.length > 0) {
            for (int k = 1; k <= CUTS; k++) {
                // the k-th decile: the value with k tenths of the values below its position
                double cut = sorted[(int) ((long) k * sorted.length / (CUTS + 1))];
                if (distinct == 0 || cut > cuts[distinct - 1]) {
                    cuts[distinct++] = cut;
                }
            }
        }
        return over(values, Arrays.copyOf(cuts, distinct));
    }

    /** The distribution of {@code values} in this one's bins. */
    public Distribution over(double[] values) {
        double[] cuts = new double[edges.size()];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = edges.get(i);
        }
        return over(values, cuts);
    }

    private static Distribution over(double[] values, double[] cuts) {
        long[] counts = new long[cuts.length + 1];
        double sum = 0;
        int n = 0;
        for (double value : values) {
            if (Double.isFinite(value)) {
                counts[bin(cuts, value)]++;
                sum += value;
                n++;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double squares = 0;
        for (double value : values) {
            if (Double.isFinite(value)) {
                squares += (value - mean) * (value - mean);
            }
        }
        Double[] shares = new Double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            shares[i] = n == 0 ? 0.0 : (double) counts[i] / n;
        }
        return new Distribution(n, mean, n == 0 ? 0 : Math.sqrt(squares / n),
                Arrays.stream(cuts).boxed().toList(), List.of(shares));
    }

    /** The bin of {@code value}: how many cuts are at or below it. */
    static int bin(double[] cuts, double value) {
        int low = 0;
        int high = cuts.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cuts[middle] <= value) {
                low = middle + 1;
            }
            else {
                high = middle;
            }
        }
        return low;
    }
}
