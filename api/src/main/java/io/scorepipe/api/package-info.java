/**
 * The api application: the HTTP facade over the scoring core.
 */
@NullMarked
package io.scorepipe.api;

import org.jspecify.annotations.NullMarked;
