package io.scorepipe.worker.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

import io.scorepipe.messages.DeadLetter;

/**
 * Makes the dead letter for a request that cannot be scored: its key and value, with the reason
 * and where it came from in headers. A request near the size limit does not fit once those headers
 * are added, and a letter the producer refuses would abort the transaction and stall the partition
 * for good; so a value too large to forward is cut to what fits, and a header says so. The whole
 * record stays at its source offset. Stateless and thread-safe.
 */
final class DeadLetters {

    /** Room for the record batch's and each record's own framing, which the producer counts too. */
    private static final int FRAMING = 1024;

    private final String topic;
    private final int maxBytes;

    /**
     * @param topic the dead-letter topic
     * @param maxBytes the largest record the producer sends ({@code max.request.size})
     */
    DeadLetters(String topic, int maxBytes) {
        this.topic = topic;
        this.maxBytes = maxBytes;
    }

    ProducerRecord<String, byte[]> of(ConsumerRecord<String, byte[]> request, String reason) {
        DeadLetter said = new DeadLetter(reason, request.topic(), request.partition(), request.offset(), null);
        var letter = new ProducerRecord<String, byte[]>(topic, request.key(), request.value());
        said.writeTo(letter.headers());
        byte[] value = request.value();
        if (value == null) {
            return letter;
        }
        long room = maxBytes - FRAMING - (request.key() == null ? 0 : utf8(request.key()).length) - headerBytes(letter);
        if (value.length <= room) {
            return letter;
        }
        var cut = new ProducerRecord<>(topic, request.key(), Arrays.copyOf(value, (int) Math.max(0, room - 64)));
        said.cutFrom(value.length).writeTo(cut.headers());
        return cut;
    }

    private static long headerBytes(ProducerRecord<String, byte[]> letter) {
        long bytes = 0;
        for (Header header : letter.headers()) {
            bytes += utf8(header.key()).length + (header.value() == null ? 0 : header.value().length) + 10;
        }
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
