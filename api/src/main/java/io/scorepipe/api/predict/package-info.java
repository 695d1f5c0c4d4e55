/**
 * Real-time predictions: {@code POST /predict} and {@code /predict/batch}, the Redis cache in
 * front of the scorer, and the audit events that every answer waits for.
 */
@NullMarked
package io.scorepipe.api.predict;

import org.jspecify.annotations.NullMarked;
