/**
 * The batch API: CSV uploads streamed into the inbox, and the status and files of every batch.
 */
@NullMarked
package io.scorepipe.api.batch;

import org.jspecify.annotations.NullMarked;
