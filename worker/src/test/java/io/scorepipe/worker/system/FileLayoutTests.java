package io.scorepipe.worker.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

import io.scorepipe.scoring.FeatureSchema;

class FileLayoutTests {

    private final FeatureSchema schema = FeatureSchema.of("age", "sex", "bmi");

    @Test
    void featuresAreFoundInAnyOrderBesideOtherColumns() {
        // given a header with an id first, the features reversed and padded, and a byte-order mark
        FileHeader header = FileHeader.parse("\uFEFFid, bmi ,sex,age,note");

        // when
        FileLayout layout = FileLayout.of(header, schema);

        // then each feature's column, in schema order; the mark is gone from the text the results repeat
        assertThat(layout.featureColumns()).containsExactly(3, 2, 1);
        assertThat(layout.columns()).containsExactly("id", "bmi", "sex", "age", "note");
        assertThat(header.text()).isEqualTo("id, bmi ,sex,age,note");
    }

    @Test
    void aHeaderThatLacksFeaturesNamesThemAndWhatIsExpected() {
        assertThatIllegalArgumentException().isThrownBy(() -> FileLayout.of(FileHeader.parse("id,age,weight"), schema))
                .withMessage("the header [id, age, weight] lacks the model's features [sex, bmi]; expected columns "
                        + "[age, sex, bmi] in any order, other columns allowed");
    }

    @Test
    void aFeatureNamedTwiceIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> FileLayout.of(FileHeader.parse("age,sex,bmi,age"), schema))
                .withMessage("the header names column 'age' twice");
    }

    @Test
    void aHugeHeaderIsShownShortened() {
        String header = "age,sex," + "x".repeat(100) + "," + String.join(",", java.util.Collections.nCopies(30, "c"));

        assertThatIllegalArgumentException().isThrownBy(() -> FileLayout.of(FileHeader.parse(header), schema))
                .withMessageContaining("x".repeat(37) + "...").withMessageContaining("... (33 columns)")
                .satisfies(ex -> assertThat(ex.getMessage()).hasSizeLessThan(400));
    }
}
