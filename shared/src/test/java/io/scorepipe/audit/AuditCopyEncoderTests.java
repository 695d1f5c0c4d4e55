package io.scorepipe.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuditCopyEncoderTests {

    private static final String HEADER = "5047434f50590aff0d0a00 00000000 00000000";
    private static final String TRAILER = "ffff";

    @Test
    void oneRecordIsTheHeaderOneTupleOfTwelveFieldsAndTheTrailer() {
        // given
        AuditRecord record = new AuditRecord(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"), AuditSource.BATCH,
                "é", "b:7", null, "houses", "v2", new double[] {1.5, -0.0}, 2.0, true, 300,
                Instant.parse("2000-01-01T00:00:01.000002Z"));

        // when
        byte[] payload = AuditCopyEncoder.encode(List.of(record)).toByteArray();

        // then
        assertThat(payload).isEqualTo(hex(HEADER
                + "000c" // 12 fields
                + "00000010 00112233445566778899aabbccddeeff" // prediction_id
                + "00000005 6261746368" // source "batch"
                + "00000003 623a37" // source_ref "b:7"
                + "ffffffff" // request_id NULL
                + "00000002 7632" // model_version "v2"
                + "0000002c" // features: 20 bytes of array header and 2 x (4 + 8)
                + "00000001 00000000 000002bd 00000002 00000001" // 1 dimension, no nulls, float8, 2 long, from 1
                + "00000008 3ff8000000000000" // 1.5
                + "00000008 8000000000000000" // -0.0
                + "00000008 4000000000000000" // prediction 2.0
                + "00000001 01" // cache_hit true
                + "00000008 000000000000012c" // latency_micros 300
                + "00000008 00000000000f4242" // created_at: 1,000,002 µs after 2000-01-01
                + "00000006 686f75736573" // model "houses"
                + "00000002 c3a9" // route "é"
                + TRAILER));
    }

    @Test
    void noRecordsAreTheHeaderAndTheTrailer() {
        assertThat(AuditCopyEncoder.encode(List.of()).toByteArray()).isEqualTo(hex(HEADER + TRAILER));
    }

    @Test
    void textIsUtf8WithItsLengthInBytes() {
        // given "é" (2 bytes), "日本" (3 each), an emoji (a surrogate pair, 4 bytes)
        AuditRecord record = record("é日本😀");

        // when
        byte[] payload = AuditCopyEncoder.encode(List.of(record)).toByteArray();

        // then the last field, route
        assertThat(payload).endsWith(hex("0000000c c3a9 e697a5 e69cac f09f9880" + TRAILER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "tab\there\\ and\nnewline\r", "ünïcödé 注文 😀", "nul \u0000 sent as it is",
            "unpaired \uD800 high", "unpaired \uDE00 low", "reversed \uDE00\uD83D pair", "ends high \uD83D",
            "\u007F\u0080\u07FF\u0800\uFFFF"})
    void textHasTheBytesTheTextFormatSentForIt(String text) {
        // the text format's payload was String.getBytes(UTF_8): an unpaired surrogate became '?'
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] expected = new byte[4 + utf8.length + 2];
        expected[0] = (byte) (utf8.length >> 24);
        expected[1] = (byte) (utf8.length >> 16);
        expected[2] = (byte) (utf8.length >> 8);
        expected[3] = (byte) utf8.length;
        System.arraycopy(utf8, 0, expected, 4, utf8.length);
        expected[expected.length - 2] = (byte) 0xFF;
        expected[expected.length - 1] = (byte) 0xFF;

        assertThat(AuditCopyEncoder.encode(List.of(record(text))).toByteArray()).endsWith(expected);
    }

    @Test
    void manyRecordsOutgrowTheFirstGuessAndStayInOrder() {
        // given records whose text is far longer than the encoder guessed from the first
        List<AuditRecord> records = new ArrayList<>();
        records.add(record(null));
        for (int i = 0; i < 200; i++) {
            records.add(record("r".repeat(1000) + i));
        }

        // when
        byte[] payload = AuditCopyEncoder.encode(records).toByteArray();

        // then
        assertThat(payload).startsWith(hex(HEADER)).endsWith(hex("000003eb" + "72".repeat(1000) + "313939" + TRAILER));
    }

    @Test
    void aReleasedArrayServesTheNextPayloadWithNothingOfTheLastInIt() {
        // given a large payload encoded and handed back on this thread
        List<AuditRecord> large = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            large.add(record("large-" + "x".repeat(200) + i));
        }
        AuditCopyEncoder first = AuditCopyEncoder.encode(large);
        byte[] firstBytes = first.toByteArray();
        first.release();

        // when a smaller one is encoded into the same array
        List<AuditRecord> small = List.of(record("small"), record(null));
        byte[] reused = AuditCopyEncoder.encode(small).toByteArray();

        // then it is exactly what a fresh array gives, and the first payload was whole
        AuditCopyEncoder fresh = AuditCopyEncoder.encode(small);
        assertThat(reused).isEqualTo(fresh.toByteArray());
        assertThat(new String(firstBytes, StandardCharsets.ISO_8859_1)).contains("large-" + "x".repeat(200) + "299")
                .endsWith(new String(hex(TRAILER), StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @CsvSource({
            "2000-01-01T00:00:00Z,                 0",
            "2000-01-01T00:00:00.000001Z,          1",
            "1999-12-31T23:59:59.999999Z,          -1",
            "1970-01-01T00:00:00Z,                 -946684800000000",
            "2026-12-05T02:10:17.123456789Z,       849751817123457",
            // halves round to even, as PostgreSQL's rint(strtod(fraction) * 1e6) did with the text
            "2000-01-01T00:00:00.0000005Z,         0",
            "2000-01-01T00:00:00.0000015Z,         2",
            "2000-01-01T00:00:00.0000025Z,         2",
            "2000-01-01T00:00:00.0000035Z,         4",
            "2000-01-01T00:00:59.9999995Z,         60000000",
            "1999-12-31T23:59:59.9999995Z,         0",
            "1969-12-31T23:59:59.0000005Z,         -946684801000000",
            "+294276-12-31T23:59:59.999999Z,       9223371331199999999",
    })
    void timesAreMicrosecondsSince2000RoundedAsPostgreSqlRoundedTheirText(String time, long micros) {
        assertThat(AuditCopyEncoder.micros(Instant.parse(time))).isEqualTo(micros);
    }

    @Test
    void timesBeyondTheFormatAreOutOfRangeNeverInfinity() {
        // Long.MAX_VALUE and Long.MIN_VALUE are PostgreSQL's infinity and -infinity
        Instant infinityExactly = Instant.ofEpochSecond(9_224_318_721_654L, 775_807_000);

        assertThat(AuditCopyEncoder.micros(infinityExactly)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(AuditCopyEncoder.micros(Instant.MAX)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(AuditCopyEncoder.micros(Instant.MIN)).isEqualTo(Long.MIN_VALUE + 1);
    }

    private static AuditRecord record(@Nullable String route) {
        return new AuditRecord(UUID.randomUUID(), AuditSource.API, route, null, null, "houses", "v1",
                new double[] {1.0}, 1.0, false, 0, Instant.EPOCH);
    }

    private static byte[] hex(String digits) {
        return HexFormat.of().parseHex(digits.replace(" ", ""));
    }
}
