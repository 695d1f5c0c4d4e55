package io.scorepipe.api.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import io.scorepipe.api.ApiApplication;
import io.scorepipe.api.Http;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.NewModelVersion;
import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.ModelTrainer;
import io.scorepipe.scoring.TrainingConfig;
import io.scorepipe.testing.TestServices;

/** Two api instances on one registry: a promotion made through one serves on both within 5 s. */
class ModelUpdatesIT {

    @Test
    void aPromotionServesOnEveryInstanceWithinFiveSeconds() throws Exception {
        // given two instances whose registry poll is far too slow to explain a quick swap
        String token = "token-" + UUID.randomUUID();
        Path tokenFile = Files.createTempFile("admin-token", ".txt");
        Files.writeString(tokenFile, token);
        Map<String, Object> properties = new HashMap<>(TestServices.springProperties("updates"));
        properties.put("scorepipe.model.refresh-interval", "10m");
        properties.put("scorepipe.model.bootstrap", "true");
        properties.put("scorepipe.admin.token-file", tokenFile.toString());
        properties.put("server.port", "0");
        try (ConfigurableApplicationContext first = start(properties);
                ConfigurableApplicationContext second = start(properties)) {
            awaitListening(first);
            awaitListening(second);
            BundledSample sample = BundledSample.diabetes();
            var model = new ModelTrainer(TrainingConfig.DEFAULT.withEpochs(2)).train(sample.schema(), sample.rows());
            String label = first.getBean(ModelRegistry.class)
                    .register(ModelNames.SAMPLE, NewModelVersion.of(model, Map.of(), sample.rows().size())).label();

            // when it is promoted through the first instance
            Http.Response promoted = new Http(port(first)).postJson("/models/" + label + "/promote", "{}",
                    "Authorization", "Bearer " + token);
            assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);

            // then both serve it within 5 s, the second one through the model.updates event
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(first.getBean(ServingModels.class).championLabel(ModelNames.SAMPLE)).contains(label);
                assertThat(second.getBean(ServingModels.class).championLabel(ModelNames.SAMPLE)).contains(label);
            });
            double[] row = sample.rows().getFirst().features();
            assertThat(new Http(port(second)).postJson("/predict", Http.json(Map.of("features", row)))
                    .text("/model_version")).isEqualTo(label);
        }
        finally {
            Files.deleteIfExists(tokenFile);
        }
    }

    private static ConfigurableApplicationContext start(Map<String, Object> properties) {
        // as arguments: builder properties are defaults, which application.yml would override
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(ApiApplication.class).run(arguments);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static void awaitListening(ConfigurableApplicationContext context) {
        var container = context.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("scorepipe-api-model-updates");
        await().atMost(Duration.ofSeconds(30)).until(() -> container != null && container.getAssignedPartitions() != null
                && !container.getAssignedPartitions().isEmpty());
    }
}
