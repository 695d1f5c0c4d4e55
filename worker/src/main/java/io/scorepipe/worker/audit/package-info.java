/**
 * The audit sink: events from {@code predictions.audit} into {@code prediction_audit}, in batches,
 * exactly once in effect.
 */
@NullMarked
package io.scorepipe.worker.audit;

import org.jspecify.annotations.NullMarked;
