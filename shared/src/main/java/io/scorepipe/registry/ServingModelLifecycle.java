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
 * Brings the serving model up once the application context (and Flyway) is ready: bootstraps the
 * first model where this process is meant to, loads the champion, then polls the registry so a
 * promotion is picked up even if its event was missed. A failed poll is logged and retried at
 * the next tick; it never stops the process.
 */
class ServingModelLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServingModelLifecycle.class);

    private final ServingModel serving;
    private final ModelBootstrap bootstrap;
    private final ModelProperties properties;
    private @Nullable ScheduledExecutorService poller;

    ServingModelLifecycle(ServingModel serving, ModelBootstrap bootstrap, ModelProperties properties) {
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
        if (serving.current().isEmpty()) {
            log.warn("No model to serve yet: the registry has no champion. Polling every {}", properties.refreshInterval());
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
            log.warn("Could not refresh the serving model; keeping {}: {}",
                    serving.current().map(ServingModel.Loaded::label).orElse("none"), ex.getMessage());
        }
    }
}
