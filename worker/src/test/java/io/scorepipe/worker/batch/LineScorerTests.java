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

    private String reason(Lines.Raw line) {
        Lines.Outcome outcome = scorer.process(line);
        assertThat(outcome.isScored()).as(line.text()).isFalse();
        return outcome.rejection();
    }
}
