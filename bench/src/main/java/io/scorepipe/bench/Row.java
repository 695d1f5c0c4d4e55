package io.scorepipe.bench;

import java.util.Map;

/** One minute: the change between two snapshots. */
final class Row {

    final int minute;
    final Snapshot a;
    final Snapshot b;
    /** Mean and p99 in ms of the api's time before the audit publish (latency_micros of its audit rows). */
    double[] beforeAudit = {Double.NaN, Double.NaN};
    /** Clock ticks per second of /proc's CPU times. */
    private final int clkTck;

    Row(int minute, Snapshot a, Snapshot b, int clkTck) {
        this.minute = minute;
        this.a = a;
        this.b = b;
        this.clkTck = clkTck;
    }

    double seconds() {
        return (b.at() - a.at()) / 1e9;
    }

    long sent() {
        return b.scheduled() - a.scheduled();
    }

    long errors() {
        return (b.non200() - a.non200()) + (b.ioErrors() - a.ioErrors()) + (b.dropped() - a.dropped());
    }

    long ok() {
        return b.ok() - a.ok();
    }

    double p50() {
        return b.latency().getTotalCount() == 0 ? Double.NaN : b.latency().getValueAtPercentile(50) / 1000.0;
    }

    double p99() {
        return b.latency().getTotalCount() == 0 ? Double.NaN : b.latency().getValueAtPercentile(99) / 1000.0;
    }

    double max() {
        return b.latency().getTotalCount() == 0 ? Double.NaN : b.latency().getMaxValue() / 1000.0;
    }

    double hitPercent() {
        long ok = ok();
        return ok == 0 ? Double.NaN : 100.0 * (b.hits() - a.hits()) / ok;
    }

    long csvRows() {
        return b.batches().rowsScored() - a.batches().rowsScored();
    }

    long kafkaSent() {
        return b.kafkaSent() - a.kafkaSent();
    }

    long kafkaScored() {
        return b.kafkaScored() - a.kafkaScored();
    }

    double kafkaP99() {
        return b.kafkaLatency().getTotalCount() == 0 ? Double.NaN : b.kafkaLatency().getValueAtPercentile(99) / 1000.0;
    }

    /** CPU in % of one core over the minute, from two readings of a process's ticks. */
    double cpu(long ticksA, long ticksB) {
        return ticksA < 0 || ticksB < 0 ? Double.NaN : 100.0 * (ticksB - ticksA) / clkTck / seconds();
    }

    double machineCpu() {
        long busy = b.machineTicks()[0] - a.machineTicks()[0];
        long total = b.machineTicks()[1] - a.machineTicks()[1];
        return total <= 0 ? Double.NaN : 100.0 * Runtime.getRuntime().availableProcessors() * busy / total;
    }

    double gauge(boolean api, String name, String labels) {
        return (api ? b.apiProm() : b.workerProm()).getOrDefault(name + "|" + labels, Double.NaN);
    }

    /** A counter's growth in the minute; a series that did not exist yet (no GC so far) counts from 0. */
    double delta(boolean api, String name, String labels) {
        Map<String, Double> before = api ? a.apiProm() : a.workerProm();
        return gauge(api, name, labels)
                - (before.isEmpty() ? Double.NaN : before.getOrDefault(name + "|" + labels, 0.0));
    }
}
