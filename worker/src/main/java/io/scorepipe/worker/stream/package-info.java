/**
 * Stream scoring: requests from {@code scoring.requests} scored into {@code scoring.results}, in
 * Kafka transactions, with malformed records dead-lettered and every prediction audited once.
 */
@NullMarked
package io.scorepipe.worker.stream;

import org.jspecify.annotations.NullMarked;
