/**
 * The console: a few static pages at {@code /} and {@code /console/} over the JSON API, and the
 * token-gated calls under {@code /console/api/} that feed them.
 */
@NullMarked
package io.scorepipe.api.console;

import org.jspecify.annotations.NullMarked;
