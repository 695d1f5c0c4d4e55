/**
 * What travels on scorepipe's Kafka topics: one record type per message, and one JSON
 * configuration ({@link io.scorepipe.messages.Messages}) that every producer and consumer uses, so
 * that what one side writes the other side reads.
 */
@NullMarked
package io.scorepipe.messages;

import org.jspecify.annotations.NullMarked;
