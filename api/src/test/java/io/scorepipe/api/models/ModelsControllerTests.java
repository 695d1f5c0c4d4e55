package io.scorepipe.api.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import io.scorepipe.api.system.AdminProperties;
import io.scorepipe.api.system.AdminToken;
import io.scorepipe.api.system.ApiProblemException;
import io.scorepipe.drift.DriftStore;
import io.scorepipe.registry.ModelInfo;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ModelStatus;
import io.scorepipe.registry.ModelVersion;
import io.scorepipe.registry.Promotion;
import io.scorepipe.registry.RetrainRuns;
import io.scorepipe.registry.UnknownModelException;
import io.scorepipe.registry.UnknownModelVersionException;
import io.scorepipe.scoring.ModelFormat;

/** The HTTP contract of the registry routes, with the admin token's guard and the error mapping. */
@WebMvcTest(ModelsController.class)
@Import(ModelsConfiguration.class)
class ModelsControllerTests {

    static final String TOKEN = "slice-token";

    @TestConfiguration
    @EnableConfigurationProperties(ModelProperties.class)
    static class Token {

        @Bean
        AdminToken adminToken() throws Exception {
            Path file = Files.createTempFile("admin-token", ".txt");
            Files.writeString(file, TOKEN);
            file.toFile().deleteOnExit();
            return AdminToken.from(new AdminProperties(file));
        }
    }

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    ModelRegistry registry;

    @MockitoBean
    ModelAdminService admin;

    @MockitoBean
    RetrainRuns runs;

    @MockitoBean
    ModelImports imports;

    @MockitoBean
    ModelCreation creation;

    @MockitoBean
    DriftStore drift;

    @Test
    void promotingTakesTheTokenAndAnswersTheVersionAsPromoted() {
        ModelVersion v2 = version(2, ModelStatus.CHAMPION, Map.of("rmse", 50.0, "decision", "not promoted",
                "reason", "held-out RMSE does not beat v1"));
        given(admin.promote("diabetes", "v2", "v1 misbehaves")).willReturn(v2);
        given(registry.find("diabetes", "v2")).willReturn(Optional.of(v2));
        given(registry.lastPromotionOf("diabetes", "v2")).willReturn(Optional.of(new Promotion(7, "diabetes", "v2", "v1",
                "v1 misbehaves", "api", Instant.now())));

        assertThat(mvc.post().uri("/models/v2/promote").contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\": \"v1 misbehaves\"}")).hasStatus(HttpStatus.UNAUTHORIZED)
                .hasHeader("WWW-Authenticate", "Bearer realm=\"scorepipe-admin\"");
        assertThat(mvc.post().uri("/models/v2/promote").header("Authorization", "Bearer wrong")
                .contentType(MediaType.APPLICATION_JSON).content("{}")).hasStatus(HttpStatus.UNAUTHORIZED)
                .bodyJson().extractingPath("$.detail").isEqualTo("the admin token is wrong");
        assertThat(mvc.post().uri("/models/v2/promote").header("Authorization", "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON).content("{\"reason\": \"v1 misbehaves\"}"))
                .hasStatusOk().bodyJson().isLenientlyEqualTo("""
                        {"model": "diabetes", "version": "v2", "status": "champion", "format": "tribuo-protobuf",
                         "decision": "promoted", "reason": "v1 misbehaves",
                         "promoted_by": "api", "metrics": {"rmse": 50.0}}""");
    }

    @Test
    void anUnknownVersionIs404AndReadingNeedsNoToken() {
        given(registry.find("diabetes", "v9")).willReturn(Optional.empty());
        given(admin.promote("diabetes", "v9", "promoted through the api"))
                .willThrow(new UnknownModelVersionException("diabetes", "v9"));

        assertThat(mvc.get().uri("/models/v9")).hasStatus(HttpStatus.NOT_FOUND)
                .bodyJson().extractingPath("$.title").isEqualTo("Unknown model version");
        assertThat(mvc.post().uri("/models/v9/promote").header("Authorization", "Bearer " + TOKEN))
                .hasStatus(HttpStatus.NOT_FOUND);
    }

    @Test
    void driftShowsWhatCallersSentSoEvenReadingItTakesTheToken() {
        given(registry.requireModel("diabetes")).willReturn(new ModelInfo("diabetes", List.of("age", "bmi"), "target",
                "sample", Instant.now(), "v1", 1));
        given(drift.latest("diabetes")).willReturn(Optional.empty());

        assertThat(mvc.get().uri("/models/diabetes/drift")).hasStatus(HttpStatus.UNAUTHORIZED);
        assertThat(mvc.get().uri("/models/diabetes/drift").header("Authorization", "Bearer wrong"))
                .hasStatus(HttpStatus.UNAUTHORIZED);
        assertThat(mvc.get().uri("/models/diabetes/drift").header("Authorization", "Bearer " + TOKEN)).hasStatusOk()
                .bodyJson().isLenientlyEqualTo("{\"model\": \"diabetes\", \"champion\": \"v1\", \"status\": \"waiting\"}");
        // the other reads stay open
        given(registry.models()).willReturn(List.of());
        assertThat(mvc.get().uri("/models")).hasStatusOk();
    }

    @Test
    void runsAndPromotionsArePagedAndABadPageNamesItsParameter() {
        given(runs.list("diabetes", 20, 10)).willReturn(List.of());
        given(runs.count("diabetes")).willReturn(25L);

        assertThat(mvc.get().uri("/models/retrain?page=2&size=10")).hasStatusOk().bodyJson()
                .isLenientlyEqualTo("{\"items\": [], \"page\": 2, \"size\": 10, \"total\": 25}");
        assertThat(mvc.get().uri("/models/retrain?size=500")).hasStatus(HttpStatus.UNPROCESSABLE_CONTENT)
                .bodyJson().extractingPath("$.errors[0].field").isEqualTo("size");
        assertThat(mvc.get().uri("/models/promotions?page=-1")).hasStatus(HttpStatus.UNPROCESSABLE_CONTENT)
                .bodyJson().extractingPath("$.errors[0].field").isEqualTo("page");
    }

    @Test
    void modelsAreListedByNameAndAnUnknownOneIs404() {
        given(registry.models()).willReturn(List.of(new ModelInfo("diabetes", List.of("age", "sex"), "target", "sample",
                Instant.now(), "v3", 3), new ModelInfo("houses", List.of("sqft"), "price", "csv", Instant.now(), null, 0)));
        given(registry.requireModel("nope")).willThrow(new UnknownModelException("nope"));

        assertThat(mvc.get().uri("/models")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
                [{"name": "diabetes", "default": true, "champion": "v3", "versions": 3, "features": ["age", "sex"]},
                 {"name": "houses", "default": false, "versions": 0, "origin": "csv", "target": "price"}]""");
        assertThat(mvc.get().uri("/models/nope")).hasStatus(HttpStatus.NOT_FOUND).bodyJson()
                .extractingPath("$.title").isEqualTo("Unknown model");
        assertThat(mvc.get().uri("/models/nope/versions")).hasStatus(HttpStatus.NOT_FOUND);
    }

    @Test
    void aNewModelFromACsvIsAcceptedWithTheRunToPoll() throws Exception {
        RetrainRuns.Run run = new RetrainRuns.Run(UUID.randomUUID(), "houses", "create", "requested", null, null, null,
                Instant.now(), null, null);
        given(creation.create(any(), eq(new ModelCreation.Request("houses", "price", null, "id")))).willReturn(run);

        assertThat(mvc.post().uri("/models?name=houses&target=price&ignore=id").contentType("text/csv")
                .content("id,sqft,price\n1,1000,250000\n")).hasStatus(HttpStatus.UNAUTHORIZED);
        assertThat(mvc.post().uri("/models?name=houses&target=price&ignore=id").contentType("text/csv")
                .header("Authorization", "Bearer " + TOKEN).content("id,sqft,price\n1,1000,250000\n"))
                .hasStatus(HttpStatus.ACCEPTED).hasHeader("Location", "/models/houses/retrain/" + run.id())
                .bodyJson().isLenientlyEqualTo("{\"model\": \"houses\", \"trigger\": \"create\", \"status\": "
                        + "\"requested\"}");
    }

    @Test
    void aModelFileThatCannotServeIs422WithTheRuntimesReason() throws Exception {
        given(imports.importFile(any())).willThrow(ApiProblemException.unprocessable("Model refused",
                "the model has 2 inputs ('a' FLOAT [N, 3], 'b' FLOAT [N, 3]); nothing was stored"));
        MockMultipartFile file = new MockMultipartFile("file", "two.onnx", "application/octet-stream", new byte[] {8, 1});

        assertThat(mvc.post().uri("/models/houses/versions").multipart().file(file)).hasStatus(HttpStatus.UNAUTHORIZED);
        assertThat(mvc.post().uri("/models/houses/versions").multipart().file(file)
                .header("Authorization", "Bearer " + TOKEN)).hasStatus(HttpStatus.UNPROCESSABLE_CONTENT).bodyJson()
                .isLenientlyEqualTo("{\"title\": \"Model refused\", \"detail\": \"the model has 2 inputs ('a' FLOAT "
                        + "[N, 3], 'b' FLOAT [N, 3]); nothing was stored\"}");
    }

    @Test
    void namedRoutesNeverTakeAVersionLabelForAName() {
        ModelVersion v1 = version(1, ModelStatus.CHAMPION, Map.of());
        given(registry.find("diabetes", "v1")).willReturn(Optional.of(v1));
        given(registry.requireModel("houses")).willReturn(new ModelInfo("houses", List.of("sqft"), "price", "csv",
                Instant.now(), null, 0));

        assertThat(mvc.get().uri("/models/v1")).hasStatusOk().bodyJson().extractingPath("$.model").isEqualTo("diabetes");
        assertThat(mvc.get().uri("/models/houses")).hasStatusOk().bodyJson().extractingPath("$.name").isEqualTo("houses");
        assertThat(mvc.get().uri("/models/houses/current")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE).bodyJson()
                .extractingPath("$.detail").isEqualTo("model 'houses' has no champion yet: no version of it serves");
    }

    private static ModelVersion version(int number, ModelStatus status, Map<String, Object> metrics) {
        return new ModelVersion("diabetes", number, "v" + number, status, List.of("age", "sex"), metrics, Map.of(), 100,
                ModelFormat.TRIBUO, Instant.now(), Instant.now());
    }
}
