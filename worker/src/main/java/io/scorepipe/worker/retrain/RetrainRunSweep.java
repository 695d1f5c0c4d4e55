package io.scorepipe.worker.retrain;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.registry.RetrainRuns;

/**
 * Ends the retrain runs that would otherwise wait forever: a request no worker started within the
 * bound ({@code scorepipe.retrain.request-timeout}), and a run whose worker stopped mid-way. The
 * latter is recognised by its model's retrain lock: when this sweep can take it, no retrain of the
 * model runs anywhere, so its run still marked running for more than a minute has nobody running it.
 *
 * @param lock the one-retrain-of-a-model-at-a-time lock
 * @param runs the runs' table
 * @param requestTimeout how long a request may wait for a worker
 */
record RetrainRunSweep(RetrainLock lock, RetrainRuns runs, Duration requestTimeout) {

    private static final Logger log = LoggerFactory.getLogger(RetrainRunSweep.class);
    /** A run marks itself running a moment before it takes the lock; this covers that moment. */
    private static final Duration START_GRACE = Duration.ofMinutes(1);

    void sweep() {
        int unstarted = runs.failUnstarted(requestTimeout);
        if (unstarted > 0) {
            log.warn("{} retrain run(s) failed: no worker started them within {}", unstarted, requestTimeout);
        }
        int abandoned = 0;
        for (String model : runs.modelsRunning()) {
            abandoned += lock.whileHeld(model, () -> runs.failAbandoned(model, START_GRACE)).orElse(0);
        }
        if (abandoned > 0) {
            log.warn("{} retrain run(s) failed: the worker running them stopped", abandoned);
        }
    }
}
