package io.scorepipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.Scorer;
import io.scorepipe.worker.system.FileHeader;
import io.scorepipe.worker.system.FileLayout;

class LineScorerTests {

    /** A model of our own making: the sum of the features, so that every prediction is known exactly. */
    private static final Scorer SUM = new Scorer() {
        private final FeatureSchema schema = FeatureSchema.of("a", "b");

        @Override
        public FeatureSchema schema() {
            return schema;
        }

        @Override
        public double score(double[] features) {
            return features[0] + features[1];
        }
    };

    private final LineScorer scorer = new LineScorer(SUM, FileLayout.of(FileHeader.parse("id,b,a"), SUM.schema()));

    @Test
    void aGoodLineIsScoredFromItsFeatureColumns() {
        Lines.Outcome outcome = scorer.process(new Lines.Raw(2, "p-1,0.5,2", null));

        assertThat(outcome.isScored()).isTrue();
        assertThat(outcome.number()).isEqualTo(2);
        assertThat(outcome.features()).containsExactly(2.0, 0.5);
        assertThat(outcome.prediction()).isEqualTo(2.5);
        assertThat(outcome.text()).isEqualTo("p-1,0.5,2");
    }

    @Test
    void badLinesAreRejectedWithTheirReasonNotThrown() {
        assertThat(reason(new Lines.Raw(3, "p-2,1", null))).isEqualTo("expected 3 columns, got 2");
        assertThat(reason(new Lines.Raw(4, "p-3,x,1", null))).isEqualTo("feature 'b' must be a finite decimal number, got 'x'");
        assertThat(reason(new Lines.Raw(5, "p-4,,1", null))).isEqualTo("feature 'b' is empty; expected a number");
        assertThat(reason(new Lines.Raw(6, "p-5,\"1,1", null))).contains("quote");
        assertThat(reason(new Lines.Raw(7, "p-6,1e308,1e308", null))).startsWith("the features are too large for the model");
        assertThat(reason(new Lines.Raw(8, "p-7,1,2", "the line is longer than 10 bytes"))).isEqualTo(
                "the line is longer than 10 bytes");
    }

    /**
     * Lines without quotes take a path that parses cells in place; a quoted id sends the same cells
     * through the general one. Both must give the same features, to the bit, and the same reasons.
     */
    @Test
    void unquotedLinesGetWhatTheGeneralPathGives() {
        String[] cells = { "0.5", " 2 ", "-1.5e-3", "+2", "1E+2", "-0", "0.038075906433423026", "", " ", "x", "NaN",
                "Infinity", "-Infinity", "0x1p3", "1d", "2f", "1e400", "1e-400", "1.2.3", "--1", "\t7\t",
                "\u00a01", "1\u2003", "\u0661" };
        int compared = 0;
        for (String b : cells) {
            for (String a : cells) {
                String tail = b + "," + a;
                Lines.Outcome inPlace = scorer.process(new Lines.Raw(9, "p-9," + tail, null));
                Lines.Outcome general = scorer.process(new Lines.Raw(9, "\"p-9\"," + tail, null));
                assertThat(inPlace.rejection()).as(tail).isEqualTo(general.rejection());
                assertThat(inPlace.isScored()).as(tail).isEqualTo(general.isScored());
                if (inPlace.isScored()) {
                    assertThat(Double.doubleToRawLongBits(inPlace.prediction())).as(tail)
                            .isEqualTo(Double.doubleToRawLongBits(general.prediction()));
                    assertThat(inPlace.features()).as(tail).containsExactly(general.features());
                    compared++;
                }
            }
        }
        assertThat(compared).as("lines scored on both paths").isGreaterThan(30);
        assertThat(reason(new Lines.Raw(10, "p-1,1,2,3", null))).isEqualTo("expected 3 columns, got 4");
        assertThat(reason(new Lines.Raw(11, "p-1,1,2,", null))).isEqualTo("expected 3 columns, got 4");
        assertThat(reason(new Lines.Raw(12, ",,,,,,", null))).isEqualTo("expected 3 columns, got 7");
        assertThat(reason(new Lines.Raw(13, "", null))).isEqualTo("expected 3 columns, got 1");
        assertThat(reason(new Lines.Raw(14, "p,,", null))).isEqualTo("feature 'a' is empty; expected a number");
    }

    private String reason(Lines.Raw line) {
        Lines.Outcome outcome = scorer.process(line);
        assertThat(outcome.isScored()).as(line.text()).isFalse();
        return outcome.rejection();
    }
}
