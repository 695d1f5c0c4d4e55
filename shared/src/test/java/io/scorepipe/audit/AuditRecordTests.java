package io.scorepipe.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

class AuditRecordTests {

    /**
     * Ids already stored must come out again: a redelivered record finds its row, and batch rows
     * from before {@link BatchLineIds} keep theirs.
     */
    @Test
    void idsAreTheNameBasedUuidsTheyAlwaysWere() {
        String batch = UUID.randomUUID().toString();
        for (int line = 1; line <= 5000; line += ThreadLocalRandom.current().nextInt(1, 50)) {
            for (AuditSource source : AuditSource.values()) {
                String ref = source == AuditSource.STREAM ? "scoring.requests:2:" + line : batch + ":" + line;
                assertThat(AuditRecord.idFor(source, ref)).isEqualTo(
                        UUID.nameUUIDFromBytes((source.wire() + ":" + ref).getBytes(StandardCharsets.UTF_8)));
            }
        }
        assertThat(AuditRecord.idFor(AuditSource.BATCH, "é:日本").version()).isEqualTo(3);
        assertThat(AuditRecord.idFor(AuditSource.BATCH, "x:1")).isEqualTo(AuditRecord.idFor(AuditSource.BATCH, "x:1"));
    }
}
