package io.scorepipe.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/** The drift arithmetic against values worked out by hand. */
class DriftArithmeticTests {

    @Test
    void aReferenceIsCutAtItsDecilesAndCountsItsShares() {
        // 1..10: the k-th decile is the value at position k (0-based) of the sorted ten, so cuts 2..10
        Distribution ten = Distribution.reference(new double[] {7, 3, 10, 1, 5, 9, 2, 8, 4, 6});

        assertThat(ten.edges()).containsExactly(2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertThat(ten.shares()).hasSize(10).allSatisfy(share -> assertThat(share).isEqualTo(0.1));
        assertThat(ten.count()).isEqualTo(10);
        assertThat(ten.mean()).isEqualTo(5.5);
        // population variance of 1..10: (100 - 1) / 12 = 8.25
        assertThat(ten.std()).isCloseTo(Math.sqrt(8.25), within(1e-12));
    }

    @Test
    void repeatedValuesMergeCutsAndEmptyBinsAreCountedNotAssumed() {
        // six zeros and four ones: deciles 1..5 are 0, 6..9 are 1, so the cuts are 0 and 1
        Distribution twoValued = Distribution.reference(new double[] {0, 1, 0, 1, 0, 0, 1, 0, 1, 0});

        assertThat(twoValued.edges()).containsExactly(0.0, 1.0);
        // below 0: none; [0, 1): the six zeros; 1 and up: the four ones
        assertThat(twoValued.shares()).containsExactly(0.0, 0.6, 0.4);
        assertThat(twoValued.mean()).isEqualTo(0.4);
        assertThat(twoValued.std()).isCloseTo(Math.sqrt(0.24), within(1e-12));
    }

    @Test
    void recentValuesFallIntoTheReferencesBinsWithACutValueInTheBinAboveIt() {
        Distribution reference = Distribution.reference(new double[] {0, 1, 0, 1, 0, 0, 1, 0, 1, 0});

        Distribution recent = reference.over(new double[] {-5, 0.5, 1, 1, 7, 0.999});

        assertThat(recent.edges()).isEqualTo(reference.edges());
        // -5 below 0; 0.5 and 0.999 in [0, 1); 1, 1 and 7 from 1 up
        assertThat(recent.shares()).containsExactly(1 / 6.0, 2 / 6.0, 3 / 6.0);
        assertThat(reference.over(new double[0]).shares()).containsExactly(0.0, 0.0, 0.0);
        assertThat(reference.over(new double[0]).count()).isZero();
    }

    @Test
    void valuesThatAreNotFiniteAreLeftOut() {
        Distribution reference = Distribution.reference(new double[] {1, Double.NaN, 2, Double.POSITIVE_INFINITY, 3, 4,
                5, 6, 7, 8, 9, 10, Double.NEGATIVE_INFINITY});

        assertThat(reference).isEqualTo(Distribution.reference(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
        assertThat(reference.over(new double[] {Double.NaN, 1}).count()).isOne();
        assertThat(reference.over(new double[] {Double.NaN, 1}).shares().getFirst()).isEqualTo(1.0);
    }

    @Test
    void thePopulationStabilityIndexIsTheSumOverBins() {
        // (0.25 - 0.5) ln(0.25 / 0.5) + (0.75 - 0.5) ln(0.75 / 0.5) = 0.25 ln 2 + 0.25 ln 1.5
        assertThat(Psi.of(List.of(0.5, 0.5), List.of(0.25, 0.75)))
                .isCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), within(1e-12))
                .isCloseTo(0.274653, within(1e-6));
        assertThat(Psi.of(List.of(0.2, 0.3, 0.5), List.of(0.2, 0.3, 0.5))).isZero();
        // symmetric in its two sides
        assertThat(Psi.of(List.of(0.25, 0.75), List.of(0.5, 0.5))).isCloseTo(0.274653, within(1e-6));
    }

    @Test
    void anEmptyBinCountsAsTheFloorSoTheIndexStaysFinite() {
        // reference [1, 0], recent [0.5, 0.5]: (0.5 - 1) ln 0.5 + (0.5 - 0.0001) ln(0.5 / 0.0001)
        double expected = -0.5 * Math.log(0.5) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4);
        assertThat(Psi.of(List.of(1.0, 0.0), List.of(0.5, 0.5))).isCloseTo(expected, within(1e-12))
                .isCloseTo(4.604318, within(1e-6));
        // both empty: nothing
        assertThat(Psi.of(List.of(0.0, 1.0), List.of(0.0, 1.0))).isZero();
    }

    @Test
    void aReportMarksTheShiftedFeatureAndKeepsTheRestQuiet() {
        // given a reference where a and b are both spread evenly over 0..99
        List<double[]> training = new ArrayList<>();
        double[] predictions = new double[100];
        for (int i = 0; i < 100; i++) {
            training.add(new double[] {i, 99 - i});
            predictions[i] = i;
        }
        FeatureProfile profile = FeatureProfile.of("the 100 rows it was trained on", List.of("a", "b"), training,
                predictions);

        // when recent rows keep a's spread but move b into its top decile, and arrive in another column order
        List<double[]> recent = new ArrayList<>();
        double[] recentPredictions = new double[100];
        for (int i = 0; i < 100; i++) {
            recent.add(new double[] {95 + (i % 5), i});
            recentPredictions[i] = i;
        }
        DriftReport report = DriftReport.compare("m", "v1", profile, List.of("b", "a"), recent, recentPredictions,
                Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), Instant.EPOCH.plusSeconds(3600));

        // then the report follows the rows' order, and b is shifted: every value in the last bin, whose
        // reference share is a tenth
        assertThat(report.features()).extracting(DriftReport.Drift::name).containsExactly("b", "a");
        DriftReport.Drift b = report.features().getFirst();
        assertThat(b.name()).isEqualTo("b");
        assertThat(b.recent().shares().getLast()).isEqualTo(1.0);
        double lastBin = (1 - 0.1) * Math.log(1 / 0.1);
        double otherBins = 9 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
        assertThat(b.psi()).isCloseTo(lastBin + otherBins, within(1e-9));
        assertThat(b.shifted()).isTrue();
        assertThat(report.features().get(1).psi()).isZero();
        assertThat(report.shiftedFeatures()).containsExactly("b");
        assertThat(report.prediction().psi()).isZero();
        assertThat(report.rows()).isEqualTo(100);
    }

    @Test
    void profilesAndReportsSurviveJson() {
        FeatureProfile profile = FeatureProfile.of("rows", List.of("z", "a"),
                List.of(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 6}), new double[] {1, 2, 3});
        JsonMapper json = JsonMapper.builder().build();

        FeatureProfile back = json.readValue(json.writeValueAsString(profile), FeatureProfile.class);

        assertThat(back).isEqualTo(profile);
        assertThat(back.features().keySet()).containsExactly("z", "a");
    }

    @Test
    void rowsThatDoNotFitAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> FeatureProfile.of("x", List.of("a"), List.of(), new double[0]))
                .withMessage("a profile needs at least one row");
        FeatureProfile profile = FeatureProfile.of("x", List.of("a"), List.of(new double[] {1}), new double[] {1});
        assertThatIllegalArgumentException().isThrownBy(() -> DriftReport.compare("m", "v1", profile, List.of("b"),
                List.of(new double[] {1}), new double[] {1}, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH))
                .withMessage("the rows lack the profiled feature 'a'");
    }
}
