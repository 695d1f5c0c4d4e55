/**
 * Retraining: labelled examples in, a challenger trained and judged against the champion on the
 * same held-out rows, promoted only when it is better.
 */
@NullMarked
package io.scorepipe.worker.retrain;

import org.jspecify.annotations.NullMarked;
