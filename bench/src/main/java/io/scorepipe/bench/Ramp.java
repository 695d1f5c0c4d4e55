package io.scorepipe.bench;

/**
 * The warm-up ramp: a rate grows linearly from 0 to its full value over the warm-up, so that the
 * JIT compilers of the api and the worker get going before the full load arrives.
 */
record Ramp(long warmupNanos) {

    /** When the {@code i}-th event of a ramped rate is due, in nanoseconds from the start. */
    long ramped(long i, double perSecond) {
        double w = warmupNanos / 1e9;
        double inRamp = perSecond * w / 2; // events during the ramp
        double seconds = i < inRamp ? Math.sqrt(2 * w * i / perSecond) : w + (i - inRamp) / perSecond;
        return (long) (seconds * 1e9);
    }

    /** How many events of a ramped rate are due after {@code elapsed} nanoseconds. */
    long dueBy(long elapsed, double perSecond) {
        double w = warmupNanos / 1e9;
        double t = elapsed / 1e9;
        return (long) (t < w ? perSecond * t * t / (2 * w) : perSecond * w / 2 + perSecond * (t - w));
    }
}
