/**
 * The scoring core: feature schemas and validation, training, evaluation and serialization of Tribuo models, and the {@link io.scorepipe.scoring.Scorer} that serves them.
 */
@NullMarked
package io.scorepipe.scoring;

import org.jspecify.annotations.NullMarked;
