/**
 * Feature drift: the distribution of each feature (and of the prediction) a model version learnt
 * from, against the distribution of what it has been asked lately, as population stability indexes.
 */
@NullMarked
package io.scorepipe.drift;

import org.jspecify.annotations.NullMarked;
