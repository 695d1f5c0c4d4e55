package io.scorepipe.registry;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Brings the served models up once the application context (and Flyway) is ready: bootstraps the
 * first model where this process is meant to, reads the champions and decodes the default model's,
 * then polls the registry so a promotion is picked up even if its event was missed. A failed poll is logged and retried at
 * the next tick; it never stops the process.
 */
class ServingModelLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServingModelLifecycle.class);

    private final ServingModels serving;
    private final ModelBootstrap bootstrap;
    private final ModelProperties properties;
    private @Nullable ScheduledExecutorService poller;

    ServingModelLifecycle(ServingModels serving, ModelBootstrap bootstrap, ModelProperties properties) {
        this.serving = serving;
        this.bootstrap = bootstrap;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (properties.bootstrap()) {
            bootstrap.ensureChampion();
        }
        refreshQuietly();
        if (serving.championLabel(properties.defaultName()).isPresent()) {
            serving.warm(properties.defaultName());
        }
        else {
            log.warn("The default model {} has no champion yet (models serving: {}). Polling every {}",
                    properties.defaultName(), serving.champions(), properties.refreshInterval());
        }
        Duration interval = properties.refreshInterval();
        poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("model-refresh").factory());
        poller.scheduleWithFixedDelay(this::refreshQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return poller != null;
    }

    private void refreshQuietly() {
        try {
            serving.refresh();
        }
        catch (RuntimeException ex) {
            log.warn("Could not read the champions from the registry; serving {} as before: {}", serving.champions(),
                    ex.getMessage());
        }
    }
}
