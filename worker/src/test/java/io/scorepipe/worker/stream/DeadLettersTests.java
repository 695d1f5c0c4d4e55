package io.scorepipe.worker.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.scorepipe.messages.DeadLetter;

class DeadLettersTests {

    private final DeadLetters letters = new DeadLetters("requests.DLT", 1_048_576);

    @Test
    void aLetterCarriesTheRecordAndWhyAndWhereItCameFrom() {
        var request = new ConsumerRecord<>("requests", 3, 42L, "key-1", "not json".getBytes(StandardCharsets.UTF_8));

        ProducerRecord<String, byte[]> letter = letters.of(request, "the value is not a JSON object");

        assertThat(letter.topic()).isEqualTo("requests.DLT");
        assertThat(letter.key()).isEqualTo("key-1");
        assertThat(letter.value()).isEqualTo(request.value());
        assertThat(header(letter, DeadLetter.REASON)).isEqualTo("the value is not a JSON object");
        assertThat(header(letter, DeadLetter.SOURCE_TOPIC)).isEqualTo("requests");
        assertThat(header(letter, DeadLetter.SOURCE_PARTITION)).isEqualTo("3");
        assertThat(header(letter, DeadLetter.SOURCE_OFFSET)).isEqualTo("42");
        assertThat(letter.headers().lastHeader(DeadLetter.VALUE_CUT_FROM)).isNull();
    }

    @Test
    void aValueThatNoLongerFitsWithTheHeadersIsCutToFitAndSaysSo() {
        // given a record just under the broker's limit: with the headers added, it would be refused
        byte[] value = new byte[1_048_300];
        var request = new ConsumerRecord<>("requests", 0, 7L, "k", value);

        ProducerRecord<String, byte[]> letter = letters.of(request, "x".repeat(300));

        assertThat(letter.value().length).isLessThan(1_048_576 - 1024 - 300).isGreaterThan(1_040_000);
        assertThat(header(letter, DeadLetter.VALUE_CUT_FROM)).isEqualTo("1048300");
        assertThat(header(letter, DeadLetter.REASON)).isEqualTo("x".repeat(300));
        assertThat(header(letter, DeadLetter.SOURCE_OFFSET)).isEqualTo("7");
    }

    @Test
    void aRecordWithoutValueHasALetterWithoutValue() {
        var request = new ConsumerRecord<String, byte[]>("requests", 0, 1L, null, null);

        ProducerRecord<String, byte[]> letter = letters.of(request, "the record has no value");

        assertThat(letter.value()).isNull();
        assertThat(letter.key()).isNull();
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
