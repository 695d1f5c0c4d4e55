/**
 * The drift job: on a schedule, each model's recent audited predictions against its serving
 * version's profile, stored as a report and exported as gauges.
 */
@NullMarked
package io.scorepipe.worker.drift;

import org.jspecify.annotations.NullMarked;
