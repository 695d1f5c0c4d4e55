package io.scorepipe.bench;

import java.net.URI;
import java.time.Instant;

/** Takes the run's snapshots: the loads' counters, the database's, /proc's and both processes' Prometheus figures. */
final class Snapshots {

    private final PredictLoad predict;
    private final StreamLoad stream;
    private final long apiPid;
    private final long workerPid;
    private final URI apiMetrics;
    private final URI workerMetrics;
    private final Prometheus prometheus = new Prometheus();

    Snapshots(PredictLoad predict, StreamLoad stream, long apiPid, long workerPid, URI apiMetrics, URI workerMetrics) {
        this.predict = predict;
        this.stream = stream;
        this.apiPid = apiPid;
        this.workerPid = workerPid;
        this.apiMetrics = apiMetrics;
        this.workerMetrics = workerMetrics;
    }

    Snapshot take(SoakDatabase db) {
        return new Snapshot(System.nanoTime(), Instant.now(), predict.scheduled.sum(), predict.ok.sum(),
                predict.hits.sum(), predict.non200.sum(), predict.ioErrors.sum(), predict.dropped.sum(),
                predict.latency.getIntervalHistogram(), stream.sent.get(), stream.sendErrors.sum(), stream.scored.get(),
                stream.deadLetters.get(), stream.latency.getIntervalHistogram(), db.batchStats(), db.auditInserted(),
                Proc.rssKb(apiPid), Proc.rssKb(workerPid), Proc.ticks(apiPid), Proc.ticks(workerPid),
                Proc.ticks(ProcessHandle.current().pid()), Proc.machineTicks(), prometheus.scrape(apiMetrics),
                prometheus.scrape(workerMetrics), predict.tickets.size() + predict.inFlight.get());
    }
}
