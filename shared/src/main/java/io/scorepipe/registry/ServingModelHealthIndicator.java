package io.scorepipe.registry;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP while the default model serves, with every model's champion; DOWN until the default model's
 * first version is promoted (the first worker is still training it, say), or if it is never created.
 */
class ServingModelHealthIndicator extends AbstractHealthIndicator {

    private final ServingModels serving;
    private final String defaultModel;

    ServingModelHealthIndicator(ServingModels serving, String defaultModel) {
        super("Serving model check failed");
        this.serving = serving;
        this.defaultModel = defaultModel;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> champions = new TreeMap<>(serving.champions());
        serving.championLabel(defaultModel).ifPresentOrElse(
                label -> builder.up().withDetail("default", defaultModel).withDetail("version", label)
                        .withDetail("models", champions),
                () -> builder.down().withDetail("default", defaultModel).withDetail("models", champions)
                        .withDetail("reason", "the default model " + defaultModel + " has no champion yet"));
    }
}
