/**
 * The worker application: everything that consumes, schedules and writes in the background.
 */
@NullMarked
package io.scorepipe.worker;

import org.jspecify.annotations.NullMarked;
