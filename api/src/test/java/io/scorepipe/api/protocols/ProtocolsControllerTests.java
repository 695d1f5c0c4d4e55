package io.scorepipe.api.protocols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import io.scorepipe.api.predict.PredictProperties;
import io.scorepipe.api.predict.Prediction;
import io.scorepipe.api.predict.PredictionService;
import io.scorepipe.api.predict.Route;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.registry.UnknownModelException;
import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.InvalidInputException;
import io.scorepipe.scoring.Scorer;

/** The protocols' HTTP contract: their request shapes, their answers, and errors in each one's own shape. */
@WebMvcTest({OpenInferenceController.class, KServeV1Controller.class, InvocationsController.class})
class ProtocolsControllerTests {

    @TestConfiguration
    @EnableConfigurationProperties({ModelProperties.class, PredictProperties.class})
    static class Settings {
    }

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    ModelRegistry registry;

    @MockitoBean
    ServingModels serving;

    @MockitoBean
    PredictionService predictions;

    @MockitoBean
    ProtocolHealth health;

    private final Scorer scorer = mock(Scorer.class);

    @BeforeEach
    void aModelOfThreeFeatures() {
        given(scorer.schema()).willReturn(FeatureSchema.of("age", "bmi", "bp"));
        ServingModels.Lease lease = mock(ServingModels.Lease.class);
        given(lease.model()).willReturn("diabetes");
        given(lease.label()).willReturn("v3");
        given(lease.scorer()).willReturn(scorer);
        given(serving.champion("diabetes")).willReturn(lease);
        given(serving.version("diabetes", "v2")).willReturn(lease);
        given(serving.champion("nope")).willThrow(new UnknownModelException("nope"));
        given(predictions.scoreRows(any(), anyList(), any(), any())).willAnswer(call -> {
            List<double[]> rows = call.getArgument(1);
            List<Prediction> scored = new ArrayList<>();
            for (double[] row : rows) {
                scored.add(new Prediction(UUID.randomUUID(), row[0] + row[1] + row[2], "diabetes", "v3", false));
            }
            return scored;
        });
    }

    @Test
    void anInferenceRequestAsTheSpecificationShapesItIsAnswered() {
        assertThat(mvc.post().uri("/v2/models/diabetes/infer").contentType(MediaType.APPLICATION_JSON).content("""
                {"id": "42", "inputs": [{"name": "input", "shape": [2, 3], "datatype": "FP64",
                                         "data": [1, 2, 3, 4, 5, 6]}],
                 "outputs": [{"name": "prediction"}]}""")).hasStatusOk().bodyJson().isStrictlyEqualTo("""
                {"model_name": "diabetes", "model_version": "v3", "id": "42",
                 "outputs": [{"name": "prediction", "shape": [2], "datatype": "FP64", "data": [6.0, 15.0]}]}""");
    }

    @Test
    void aRequestThatDoesNotFitIs400WithTheProtocolsErrorObject() {
        assertThat(mvc.post().uri("/v2/models/diabetes/infer").contentType(MediaType.APPLICATION_JSON).content("""
                {"inputs": [{"name": "input", "shape": [2, 3], "datatype": "FP64", "data": [1, 2, 3]}]}"""))
                .hasStatus(HttpStatus.BAD_REQUEST).hasContentType(MediaType.APPLICATION_JSON).bodyJson()
                .isStrictlyEqualTo("""
                        {"error": "input 'input' has shape [2, 3], which holds 6 values, but its data has 3"}""");
        assertThat(mvc.post().uri("/v2/models/nope/infer").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .hasStatus(HttpStatus.NOT_FOUND).bodyJson().extractingPath("$.error")
                .isEqualTo("no model named 'nope' is registered (GET /models lists them)");
        assertThat(mvc.post().uri("/v2/models/diabetes/infer").contentType(MediaType.APPLICATION_JSON)
                .content("{\"inputs\": [")).hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.error")
                .asString().isNotBlank();
    }

    @Test
    void aRowWhosePredictionIsNotANumberIs400NotTheApis422() {
        given(predictions.scoreRows(any(), anyList(), any(), eq(Route.V2))).willThrow(new InvalidInputException("row 1",
                "row 1: the features are too large for the model"));

        assertThat(mvc.post().uri("/v2/models/diabetes/versions/v2/infer").contentType(MediaType.APPLICATION_JSON)
                .content("{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP64\", "
                        + "\"data\": [1e300, 1e300, 1e300]}]}")).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .extractingPath("$.error").isEqualTo("row 1: the features are too large for the model");
    }

    @Test
    void kserveV1TakesInstancesAndAnswersPredictions() {
        assertThat(mvc.post().uri("/v1/models/diabetes:predict").contentType(MediaType.APPLICATION_JSON)
                .content("{\"instances\": [[1, 2, 3], {\"age\": 1, \"bmi\": 1, \"bp\": 1}]}")).hasStatusOk().bodyJson()
                .isStrictlyEqualTo("{\"predictions\": [6.0, 3.0]}");
        assertThat(mvc.post().uri("/v1/models/diabetes:predict").contentType(MediaType.APPLICATION_JSON)
                .content("{\"instances\": [[1, 2]]}")).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
                .extractingPath("$.error").asString().startsWith("instance 0: expected 3 features");
    }

    @Test
    void mlflowsFormatsAreReadAndItsErrorsAreItsOwn() {
        assertThat(mvc.post().uri("/invocations").contentType(MediaType.APPLICATION_JSON)
                .content("{\"dataframe_split\": {\"columns\": [\"id\", \"bp\", \"bmi\", \"age\"], "
                        + "\"data\": [[\"r1\", 3, 2, 1]]}}")).hasStatusOk().bodyJson()
                .isStrictlyEqualTo("{\"predictions\": [6.0]}");
        assertThat(mvc.post().uri("/invocations").contentType("text/csv").content("bp,age,bmi\n3,1,2\n"))
                .hasStatusOk().bodyJson().isStrictlyEqualTo("{\"predictions\": [6.0]}");
        assertThat(mvc.post().uri("/invocations").contentType(MediaType.APPLICATION_JSON)
                .content("{\"dataframe_records\": [{\"age\": 1, \"bmi\": 2}]}")).hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson().isStrictlyEqualTo("""
                        {"error_code": "BAD_REQUEST", "message": "row 0: missing feature bp; expected age, bmi, bp"}""");
        assertThat(mvc.post().uri("/invocations?model=nope").contentType(MediaType.APPLICATION_JSON)
                .content("{\"instances\": [[1, 2, 3]]}")).hasStatus(HttpStatus.NOT_FOUND).bodyJson()
                .extractingPath("$.error_code").isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }
}
