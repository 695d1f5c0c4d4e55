/**
 * Bulk scoring of CSV files, the part both applications share: the data folders and safe file
 * names, the {@code batches} table, and the event that hands a claimed file to one worker.
 */
@NullMarked
package io.scorepipe.batch;

import org.jspecify.annotations.NullMarked;
