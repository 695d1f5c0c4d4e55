package io.scorepipe.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeatureSchemaTests {

    private final FeatureSchema schema = FeatureSchema.of("age", "sex", "bmi");

    @Test
    void positionalAndNamedGiveTheSameVectorInSchemaOrder() {
        double[] positional = schema.read(List.of(0.03, 1, new BigDecimal("0.06")));
        Map<String, Object> named = new LinkedHashMap<>();
        named.put("bmi", 0.06);
        named.put("age", 0.03);
        named.put("sex", 1);

        assertThat(positional).containsExactly(0.03, 1.0, 0.06);
        assertThat(schema.read(named)).containsExactly(positional);
    }

    @Test
    void wrongCountNamesTheExpectedFeatures() {
        InvalidInputException ex = catchThrowableOfType(InvalidInputException.class, () -> schema.read(List.of(1.0)));

        assertThat(ex).hasMessage("expected 3 features (age, sex, bmi), got 1");
        assertThat(ex.errors()).singleElement().extracting(InvalidInputException.FieldError::field).isEqualTo("features");
    }

    @Test
    void everyBadValueIsReportedWithItsField() {
        List<Object> values = Arrays.asList("abc", null, Double.NaN);

        InvalidInputException ex = catchThrowableOfType(InvalidInputException.class, () -> schema.read(values));

        assertThat(ex.errors()).extracting(InvalidInputException.FieldError::field).containsExactly("age", "sex", "bmi");
        assertThat(ex.getMessage())
                .contains("feature 1 (age) must be a number, got a string (\"abc\")")
                .contains("feature 2 (sex) is null; expected a number")
                .contains("feature 3 (bmi) is NaN; expected a finite number");
    }

    @Test
    void infinityAndHugeNumbersAreOutOfRange() {
        assertThat(catchThrowableOfType(InvalidInputException.class,
                () -> schema.read(List.of(Double.POSITIVE_INFINITY, 0, 0)))).hasMessageContaining("age) is out of range");
        assertThat(catchThrowableOfType(InvalidInputException.class,
                () -> schema.read(List.of(0, new BigDecimal("1e400"), 0)))).hasMessageContaining("sex) is out of range");
    }

    @Test
    void unknownAndMissingNamesAreBothReported() {
        Map<String, Object> named = Map.of("age", 1, "weight", 2);

        InvalidInputException ex = catchThrowableOfType(InvalidInputException.class, () -> schema.read(named));

        assertThat(ex.getMessage()).isEqualTo("unknown feature weight; missing features sex, bmi; expected age, sex, bmi");
    }

    @Test
    void blankAndHugeUnknownNamesAreReportedAgainstTheRecord() {
        Map<String, Object> named = new LinkedHashMap<>();
        named.put("", 1);
        named.put(" ", 2);
        named.put("x".repeat(10_000), 3);

        InvalidInputException ex = catchThrowableOfType(InvalidInputException.class, () -> schema.read(named));

        assertThat(ex.getMessage()).isEqualTo("unknown features '', ' ', " + "x".repeat(37) + "...; missing features age, "
                + "sex, bmi; expected age, sex, bmi");
        assertThat(ex.errors()).extracting(InvalidInputException.FieldError::field).containsExactly("features", "age");
    }

    @Test
    void neitherArrayNorObjectIsRejected() {
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> schema.read("1,2,3")))
                .hasMessageStartingWith("features must be an array of 3 numbers (age, sex, bmi) or an object keyed by feature name, got a string");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> schema.read(null)))
                .hasMessageEndingWith("got null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "0x1p3", "1d", "", "  ", "abc", "1e999", "1e", "--1", "1.2.3", "-"})
    void csvCellsMustBeFiniteDecimals(String cell) {
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> schema.parseCell(2, cell)))
                .hasMessageStartingWith("feature 'bmi' ");
    }

    /** Cells take a faster parser than Double.parseDouble; the values must be the same to the last bit. */
    @Test
    void csvCellsParseToExactlyTheValueDoubleParseDoubleGives() {
        Random random = new Random(20261205);
        List<String> cells = new ArrayList<>(List.of("0", "-0", "+0.0", "1.", ".5", "-.5e-3", "1e308", "1.7976931348623157e308",
                "4.9e-324", "2.2250738585072014E-308", "0.1", "9007199254740993", "123456789012345678901234567890",
                "0.038075906433423026", "-0.0446416365069974", "1E+2", "2.5e+10"));
        for (int i = 0; i < 20_000; i++) {
            double value = switch (i % 4) {
                case 0 -> (random.nextDouble() - 0.5) * 0.2;
                case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
                case 2 -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL);
                default -> random.nextInt(2_000_000) - 1_000_000;
            };
            cells.add(switch (i % 3) {
                case 0 -> Double.toString(value);
                case 1 -> String.format(Locale.ROOT, "%.15f", value);
                default -> new BigDecimal(value).toPlainString();
            });
        }
        for (String cell : cells) {
            assertThat(Double.doubleToRawLongBits(schema.parseCell(0, cell))).as(cell)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(cell)));
        }
    }

    @Test
    void csvCellsParse() {
        assertThat(schema.parseCell(0, " -1.5e-3 ")).isEqualTo(-0.0015);
        assertThat(schema.parseCell(1, "+2")).isEqualTo(2.0);
        assertThat(schema.parseCell(2, "0.038075906433423026")).isEqualTo(0.038075906433423026);
        assertThat(schema.parseCell(2, "-1E+2")).isEqualTo(-100.0);
    }

    @Test
    void schemaItselfMustBeSound() {
        assertThatIllegalArgumentException().isThrownBy(() -> FeatureSchema.of(List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> FeatureSchema.of("a", "a")).withMessageContaining("named twice");
        assertThatIllegalArgumentException().isThrownBy(() -> FeatureSchema.of("a", " b"));
        assertThat(schema.indexOf("bmi")).isEqualTo(2);
        assertThat(schema.indexOf("weight")).isEqualTo(-1);
    }
}
