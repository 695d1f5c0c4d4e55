package io.scorepipe.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class BatchLineIdsTests {

    private final UUID batch = UUID.fromString("3f2c6f0e-8d1a-4b5e-9c7d-2a1b0c9d8e7f");

    @Test
    void aLineAlwaysGetsTheSameId() {
        assertThat(new BatchLineIds(batch).forLine(42)).isEqualTo(new BatchLineIds(batch).forLine(42));
        assertThat(new BatchLineIds(batch).forLine(42)).isNotEqualTo(new BatchLineIds(batch).forLine(43));
    }

    @Test
    void idsAreVersion8WithTheRfcVariant() {
        UUID id = new BatchLineIds(batch).forLine(7);
        assertThat(id.version()).isEqualTo(8);
        assertThat(id.variant()).isEqualTo(2);
        // never one of the name-based ids of the stream or of earlier batches
        assertThat(id.version()).isNotEqualTo(AuditRecord.idFor(AuditSource.BATCH, batch + ":7").version());
    }

    /** PostgreSQL compares uuids as 16 unsigned bytes; in that order a batch's ids follow its lines. */
    @Test
    void aBatchsIdsSortInLineOrderAsPostgresqlSortsThem() {
        BatchLineIds ids = new BatchLineIds(batch);
        long[] lines = { 2, 3, 255, 256, 65_535, 65_536, 1_000_000, 4_294_967_296L, (1L << 62) - 1 };
        for (int i = 1; i < lines.length; i++) {
            assertThat(Arrays.compareUnsigned(bytes(ids.forLine(lines[i - 1])), bytes(ids.forLine(lines[i]))))
                    .as("line %d before line %d", lines[i - 1], lines[i]).isNegative();
        }
    }

    @Test
    void batchesDoNotShareIds() {
        Set<Long> prefixes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            prefixes.add(new BatchLineIds(UUID.randomUUID()).forLine(2).getMostSignificantBits());
        }
        assertThat(prefixes).hasSize(10_000);
        // ids that differ in one half only still get different prefixes
        UUID a = new UUID(1, 5);
        UUID b = new UUID(1, 6);
        assertThat(new BatchLineIds(a).forLine(2)).isNotEqualTo(new BatchLineIds(b).forLine(2));
    }

    @Test
    void negativeLinesAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new BatchLineIds(batch).forLine(-1));
    }

    private static byte[] bytes(UUID id) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (id.getMostSignificantBits() >>> (56 - 8 * i));
            bytes[i + 8] = (byte) (id.getLeastSignificantBits() >>> (56 - 8 * i));
        }
        return bytes;
    }
}
