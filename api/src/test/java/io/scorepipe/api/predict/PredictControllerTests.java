package io.scorepipe.api.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.util.unit.DataSize;

import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.UnknownModelException;
import io.scorepipe.scoring.InvalidInputException;
import io.scorepipe.scoring.ModelException;

/**
 * The HTTP contract of the prediction routes, with the error mapping: answers, statuses and
 * problem details, in seconds and without services (the service behind the controller is a
 * stand-in here; the integration tests run the real one).
 */
@WebMvcTest(PredictController.class)
class PredictControllerTests {

    @TestConfiguration
    @EnableConfigurationProperties(ModelProperties.class)
    static class Limits {

        @Bean
        PredictProperties predictProperties() {
            return new PredictProperties(1000, DataSize.ofMegabytes(1));
        }
    }

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    PredictionService predictions;

    @Test
    void aScoredRowAnswersWithThePredictionAndItsVersion() {
        // given
        UUID id = UUID.randomUUID();
        given(predictions.predict(eq("diabetes"), any(), eq("r-1")))
                .willReturn(new Prediction(id, 151.5, "diabetes", "v3", true));

        // when / then
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON)
                .content("{\"features\": [1, 2], \"request_id\": \"r-1\"}"))
                .hasStatusOk().bodyJson().isLenientlyEqualTo("""
                        {"prediction": 151.5, "model": "diabetes", "model_version": "v3", "prediction_id": "%s",
                         "cached": true,
                         "request_id": "r-1"}""".formatted(id));
    }

    @Test
    void featuresThatDoNotFitAre422NamingTheField() {
        given(predictions.predict(any(), any(), any())).willThrow(new InvalidInputException("bmi", "feature 'bmi' is NaN"));

        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content("{\"features\": [1]}"))
                .hasStatus(HttpStatus.UNPROCESSABLE_CONTENT).hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyJson().isLenientlyEqualTo("""
                        {"title": "Invalid input", "status": 422, "detail": "feature 'bmi' is NaN",
                         "errors": [{"field": "bmi", "message": "feature 'bmi' is NaN"}]}""");
    }

    @Test
    void noModelAndNoAuditTrailAre503WithRetryAfter() {
        given(predictions.predict(any(), any(), any())).willThrow(new ModelException("no model is serving yet"));
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content("{\"features\": [1]}"))
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasHeader("Retry-After", "5")
                .bodyJson().extractingPath("$.title").isEqualTo("Model unavailable");

        willThrow(new AuditUnavailableException("the audit trail is unavailable", new IllegalStateException("both gone")))
                .given(predictions).predict(any(), any(), any());
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content("{\"features\": [1]}"))
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE).bodyJson().extractingPath("$.title")
                .isEqualTo("Audit trail unavailable");
    }

    @Test
    void aBodyThatIsNotTheExpectedJsonIs400SayingWhere() {
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content("{\"features\": [1, 2"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.title").isEqualTo("Malformed request body");
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON)
                .content("{\"features\": [1], \"request_id\": {\"a\": 1}}"))
                .hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.detail").asString()
                .endsWith("'request_id' must be a string, got an object");
    }

    @Test
    void anotherContentTypeIs415NamingTheOneToSend() {
        assertThat(mvc.post().uri("/predict").contentType(MediaType.TEXT_PLAIN).content("1,2"))
                .hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE).bodyJson().extractingPath("$.detail")
                .isEqualTo("Content-Type 'text/plain' is not supported here; send application/json");
    }

    @Test
    void anUnusableRequestIdIs422BeforeAnythingIsScored() {
        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON)
                .content("{\"features\": [1], \"request_id\": \"a\\u0000b\"}"))
                .hasStatus(HttpStatus.UNPROCESSABLE_CONTENT).bodyJson().extractingPath("$.errors[0].field")
                .isEqualTo("request_id");
    }

    @Test
    void aBatchAnswersEachRowInOrderWithABadRowsErrorInItsPlace() {
        // given
        UUID id = UUID.randomUUID();
        given(predictions.predictAll(eq("diabetes"), anyList(), eq(null), anyInt())).willReturn(
                new PredictionService.BatchOutcome("diabetes", "v3",
                List.of(PredictionService.RowOutcome.scored(new Prediction(id, 10.0, "diabetes", "v3", false)),
                        PredictionService.RowOutcome.failed(new InvalidInputException("features", "expected 2 features, got 1")))));

        // when / then
        assertThat(mvc.post().uri("/predict/batch").contentType(MediaType.APPLICATION_JSON)
                .content("{\"rows\": [[1, 2], [1]]}"))
                .hasStatusOk().bodyJson().isLenientlyEqualTo("""
                        {"model_version": "v3", "results": [
                          {"prediction": 10.0, "prediction_id": "%s", "cached": false},
                          {"error": {"detail": "expected 2 features, got 1",
                                     "errors": [{"field": "features", "message": "expected 2 features, got 1"}]}}]}"""
                        .formatted(id));
    }

    @Test
    void aBatchWithoutRowsIs422NamingRows() {
        assertThat(mvc.post().uri("/predict/batch").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .hasStatus(HttpStatus.UNPROCESSABLE_CONTENT).bodyJson().extractingPath("$.errors[0]")
                .isEqualTo(Map.of("field", "rows", "message", "rows must be an array of records (arrays or objects)"));
    }

    @Test
    void aNamedModelIsScoredThroughItsOwnRouteAndAnUnknownOneIs404() {
        UUID id = UUID.randomUUID();
        given(predictions.predict(eq("houses"), any(), eq(null))).willReturn(new Prediction(id, 250000.0, "houses", "v1",
                false));
        given(predictions.predict(eq("nope"), any(), any())).willThrow(new UnknownModelException("nope"));

        assertThat(mvc.post().uri("/models/houses/predict").contentType(MediaType.APPLICATION_JSON)
                .content("{\"features\": {\"sqft\": 1200}}")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
                        {"prediction": 250000.0, "model": "houses", "model_version": "v1"}""");
        assertThat(mvc.post().uri("/models/nope/predict").contentType(MediaType.APPLICATION_JSON)
                .content("{\"features\": [1]}")).hasStatus(HttpStatus.NOT_FOUND).bodyJson().extractingPath("$.detail")
                .isEqualTo("no model named 'nope' is registered (GET /models lists them)");
    }

    @Test
    void theDefaultModelNotYetMadeIsNotReadyRatherThanUnknown() {
        given(predictions.predict(eq("diabetes"), any(), any())).willThrow(new UnknownModelException("diabetes"));

        assertThat(mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON).content("{\"features\": [1]}"))
                .hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasHeader("Retry-After", "5");
    }
}
