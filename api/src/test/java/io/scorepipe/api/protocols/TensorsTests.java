package io.scorepipe.api.protocols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.scorepipe.api.system.ApiProblemException;
import io.scorepipe.scoring.FeatureSchema;

/** Open Inference Protocol input tensors as rows, written from the specification's request shapes. */
class TensorsTests {

    private static final FeatureSchema SCHEMA = FeatureSchema.of("age", "bmi", "bp");

    @Test
    void oneTensorOfWholeRowsFlatOrNestedGivesTheSameRows() {
        // given the same two rows, as a flat row-major array and as nested rows
        var flat = request(input("input", List.of(2L, 3L), "FP64", List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0)));
        var nested = request(input("input", List.of(2L, 3L), "FP64", List.of(List.of(1.0, 2.0, 3.0),
                List.of(4.0, 5.0, 6.0))));

        // then
        assertThat(Tensors.rows(flat, SCHEMA, 10)).containsExactly(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        assertThat(Tensors.rows(nested, SCHEMA, 10)).containsExactly(new double[] {1, 2, 3}, new double[] {4, 5, 6});
    }

    @Test
    void oneTensorPerFeatureInAnyOrderGivesRowsInTheModelsOrder() {
        var request = request(input("bp", List.of(2L), "FP64", List.of(3.0, 6.0)),
                input("age", List.of(2L, 1L), "INT64", List.of(List.of(1), List.of(4))),
                input("bmi", List.of(2L), "FP32", List.of(2.5, 5.5)));

        assertThat(Tensors.rows(request, SCHEMA, 10)).containsExactly(new double[] {1, 2.5, 3}, new double[] {4, 5.5, 6});
    }

    @Test
    void fp32ValuesAreTakenAtFloatPrecisionAndIntegersMustBeWhole() {
        var fp32 = request(input("input", List.of(1L, 3L), "FP32", List.of(0.1, 0.2, 0.3)));
        assertThat(Tensors.rows(fp32, SCHEMA, 10).getFirst()[0]).isEqualTo((double) 0.1f);

        var fraction = request(input("input", List.of(1L, 3L), "INT64", List.of(1, 2.5, 3)));
        assertThatThrownBy(() -> Tensors.rows(fraction, SCHEMA, 10)).isInstanceOf(ApiProblemException.class)
                .hasMessage("input 'input' element 1 is 2.5; its datatype INT64 holds whole numbers of its range");
        var tooLarge = request(input("input", List.of(1L, 3L), "INT32", List.of(1, 3_000_000_000L, 3)));
        assertThatThrownBy(() -> Tensors.rows(tooLarge, SCHEMA, 10)).hasMessageContaining("INT32 holds whole numbers");
    }

    @Test
    void aShapeThatDoesNotMatchItsDataIsNamed() {
        var request = request(input("input", List.of(2L, 3L), "FP64", List.of(1.0, 2.0, 3.0, 4.0, 5.0)));

        assertThatThrownBy(() -> Tensors.rows(request, SCHEMA, 10)).isInstanceOf(ApiProblemException.class)
                .hasMessage("input 'input' has shape [2, 3], which holds 6 values, but its data has 5");
    }

    @Test
    void aRowTensorOfTheWrongWidthSaysWhatIsExpected() {
        var request = request(input("input", List.of(1L, 2L), "FP64", List.of(1.0, 2.0)));

        assertThatThrownBy(() -> Tensors.rows(request, SCHEMA, 10)).hasMessageStartingWith(
                "input 'input' has shape [1, 2]; expected [N, 3]: N rows of the model's 3 features (age, bmi, bp)");
    }

    @Test
    void anUnknownInputAMissingFeatureOrATwiceSentOneIsNamed() {
        var unknown = request(input("age", List.of(1L), "FP64", List.of(1.0)), input("weight", List.of(1L), "FP64",
                List.of(1.0)));
        assertThatThrownBy(() -> Tensors.rows(unknown, SCHEMA, 10)).hasMessageStartingWith("unknown input 'weight'");

        var missing = request(input("age", List.of(1L), "FP64", List.of(1.0)), input("bp", List.of(1L), "FP64",
                List.of(1.0)));
        assertThatThrownBy(() -> Tensors.rows(missing, SCHEMA, 10))
                .hasMessage("missing input for feature bmi; the model takes age, bmi, bp");

        var twice = request(input("age", List.of(1L), "FP64", List.of(1.0)), input("age", List.of(1L), "FP64",
                List.of(1.0)));
        assertThatThrownBy(() -> Tensors.rows(twice, SCHEMA, 10)).hasMessage("input 'age' is sent twice");

        var uneven = request(input("age", List.of(2L), "FP64", List.of(1.0, 2.0)), input("bmi", List.of(1L), "FP64",
                List.of(1.0)), input("bp", List.of(2L), "FP64", List.of(1.0, 2.0)));
        assertThatThrownBy(() -> Tensors.rows(uneven, SCHEMA, 10)).hasMessageContaining("every feature needs one value "
                + "per row");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BYTES", "BOOL", "UINT8", "FP16", "fp64"})
    void otherDatatypesAreRefusedNamingTheOnesTaken(String datatype) {
        var request = request(input("input", List.of(1L, 3L), datatype, List.of(1, 2, 3)));

        assertThatThrownBy(() -> Tensors.rows(request, SCHEMA, 10))
                .hasMessage("input 'input' has datatype '" + datatype + "'; expected one of FP64, FP32, INT64, INT32");
    }

    @Test
    void valuesThatAreNotNumbersAndEmptyOrOversizedRequestsAreRefused() {
        assertThatThrownBy(() -> Tensors.rows(request(input("input", List.of(1L, 3L), "FP64", List.of(1.0, "x", 3.0))),
                SCHEMA, 10)).hasMessage("input 'input' element 1 is a string; its datatype FP64 holds numbers");
        assertThatThrownBy(() -> Tensors.rows(request(input("input", List.of(1L, 3L), "FP64",
                List.of(1.0, Double.NaN, 3.0))), SCHEMA, 10)).hasMessage("input 'input' element 1 is NaN; expected a "
                        + "finite number");
        assertThatThrownBy(() -> Tensors.rows(new OpenInference.InferenceRequest("1", null, List.of(), null), SCHEMA, 10))
                .hasMessageStartingWith("inputs is missing or empty");
        assertThatThrownBy(() -> Tensors.rows(request(input("input", List.of(3L, 3L), "FP64", List.of(1, 2, 3, 4, 5, 6,
                7, 8, 9))), SCHEMA, 2)).hasMessage("at most 2 rows per request, got 3");
        assertThatThrownBy(() -> Tensors.rows(request(new OpenInference.RequestInput("input", List.of(1L, 3L), "FP64",
                Map.of("binary_data_size", 24), null)), SCHEMA, 10)).hasMessageContaining("binary_data_size");
    }

    private static OpenInference.InferenceRequest request(OpenInference.RequestInput... inputs) {
        return new OpenInference.InferenceRequest("42", null, List.of(inputs), null);
    }

    private static OpenInference.RequestInput input(String name, List<Long> shape, String datatype, Object data) {
        return new OpenInference.RequestInput(name, shape, datatype, null, data);
    }
}
