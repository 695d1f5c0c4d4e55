package io.scorepipe.api.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import io.scorepipe.api.system.AdminProperties;
import io.scorepipe.api.system.AdminToken;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ModelStatus;
import io.scorepipe.registry.ModelVersion;
import io.scorepipe.registry.Promotion;
import io.scorepipe.registry.RetrainRuns;
import io.scorepipe.registry.UnknownModelVersionException;

/** The HTTP contract of the registry routes, with the admin token's guard and the error mapping. */
@WebMvcTest(ModelsController.class)
@Import(ModelsConfiguration.class)
class ModelsControllerTests {

    static final String TOKEN = "slice-token";

    @TestConfiguration
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

    @Test
    void promotingTakesTheTokenAndAnswersTheVersionAsPromoted() {
        ModelVersion v2 = version(2, ModelStatus.CHAMPION, Map.of("rmse", 50.0, "decision", "not promoted",
                "reason", "held-out RMSE does not beat v1"));
        given(admin.promote("v2", "v1 misbehaves")).willReturn(v2);
        given(registry.lastPromotionOf("v2")).willReturn(Optional.of(new Promotion(7, "v2", "v1", "v1 misbehaves", "api",
                Instant.now())));

        assertThat(mvc.post().uri("/models/v2/promote").contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\": \"v1 misbehaves\"}")).hasStatus(HttpStatus.UNAUTHORIZED)
                .hasHeader("WWW-Authenticate", "Bearer realm=\"scorepipe-admin\"");
        assertThat(mvc.post().uri("/models/v2/promote").header("Authorization", "Bearer wrong")
                .contentType(MediaType.APPLICATION_JSON).content("{}")).hasStatus(HttpStatus.UNAUTHORIZED)
                .bodyJson().extractingPath("$.detail").isEqualTo("the admin token is wrong");
        assertThat(mvc.post().uri("/models/v2/promote").header("Authorization", "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON).content("{\"reason\": \"v1 misbehaves\"}"))
                .hasStatusOk().bodyJson().isLenientlyEqualTo("""
                        {"version": "v2", "status": "champion", "decision": "promoted", "reason": "v1 misbehaves",
                         "promoted_by": "api", "metrics": {"rmse": 50.0}}""");
    }

    @Test
    void anUnknownVersionIs404AndReadingNeedsNoToken() {
        given(registry.find("v9")).willReturn(Optional.empty());
        given(admin.promote("v9", "promoted through the api")).willThrow(new UnknownModelVersionException("v9"));

        assertThat(mvc.get().uri("/models/v9")).hasStatus(HttpStatus.NOT_FOUND)
                .bodyJson().extractingPath("$.title").isEqualTo("Unknown model version");
        assertThat(mvc.post().uri("/models/v9/promote").header("Authorization", "Bearer " + TOKEN))
                .hasStatus(HttpStatus.NOT_FOUND);
    }

    @Test
    void runsAndPromotionsArePagedAndABadPageNamesItsParameter() {
        given(runs.list(20, 10)).willReturn(List.of());
        given(runs.count()).willReturn(25L);

        assertThat(mvc.get().uri("/models/retrain?page=2&size=10")).hasStatusOk().bodyJson()
                .isLenientlyEqualTo("{\"items\": [], \"page\": 2, \"size\": 10, \"total\": 25}");
        assertThat(mvc.get().uri("/models/retrain?size=500")).hasStatus(HttpStatus.UNPROCESSABLE_CONTENT)
                .bodyJson().extractingPath("$.errors[0].field").isEqualTo("size");
        assertThat(mvc.get().uri("/models/promotions?page=-1")).hasStatus(HttpStatus.UNPROCESSABLE_CONTENT)
                .bodyJson().extractingPath("$.errors[0].field").isEqualTo("page");
    }

    private static ModelVersion version(int number, ModelStatus status, Map<String, Object> metrics) {
        return new ModelVersion(number, "v" + number, status, List.of("age", "sex"), metrics, Map.of(), 100,
                Instant.now(), Instant.now());
    }
}
