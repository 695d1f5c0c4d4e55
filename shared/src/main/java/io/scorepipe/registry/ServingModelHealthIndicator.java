package io.scorepipe.registry;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** UP with the version label while a model serves; DOWN until the first one is loaded. */
class ServingModelHealthIndicator extends AbstractHealthIndicator {

    private final ServingModel serving;

    ServingModelHealthIndicator(ServingModel serving) {
        super("Serving model check failed");
        this.serving = serving;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        serving.current().ifPresentOrElse(
                loaded -> builder.up().withDetail("version", loaded.label())
                        .withDetail("features", loaded.version().featureNames().size()),
                () -> builder.down().withDetail("reason", "no model is serving yet: the registry has no champion"));
    }
}
