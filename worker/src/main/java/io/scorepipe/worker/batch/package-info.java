/**
 * Bulk CSV scoring: the inbox watcher that claims files, the Spring Batch job {@code scoreFile}
 * that scores them in partitions, and the runner that starts, resumes and takes over jobs.
 */
@NullMarked
package io.scorepipe.worker.batch;

import org.jspecify.annotations.NullMarked;
