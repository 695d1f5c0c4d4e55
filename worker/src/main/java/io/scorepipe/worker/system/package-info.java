/**
 * What the worker's features share: watching a folder for files that are complete.
 */
@NullMarked
package io.scorepipe.worker.system;

import org.jspecify.annotations.NullMarked;
