package io.scorepipe.audit;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The prediction ids of one batch's lines: a prefix of the batch's own (a digest of its id) and
 * then the line number, laid out as a version-8 UUID. The same line of the same batch always gets
 * the same id, so a chunk scored again after a restart meets its own rows and no second audit row;
 * and since PostgreSQL orders uuids byte by byte, a partition's lines arrive at the primary key in
 * ascending order, filling its pages one after another where name-based ids scattered every row
 * over the whole index. Ids of other sources (version 3, {@link AuditRecord#idFor}) and of the
 * api (random, version 4) never equal these: the version nibble differs.
 */
public final class BatchLineIds {

    private static final long VERSION_8 = 0x8000L;
    private static final long VARIANT = 0x8000_0000_0000_0000L;
    private static final long LINE_BITS = 0x3fff_ffff_ffff_ffffL;

    private final long prefix;

    public BatchLineIds(UUID batchId) {
        // the digest spreads batches over the key space and keeps ids of batches whose ids share
        // a half apart; 60 of its bits stay, the others say version 8
        UUID digest = UUID.nameUUIDFromBytes(("batch-lines:" + batchId).getBytes(StandardCharsets.UTF_8));
        this.prefix = (digest.getMostSignificantBits() & ~0xf000L) | VERSION_8;
    }

    /** The id of the line with this number (the header is line 1), which must not be negative. */
    public UUID forLine(long line) {
        if (line < 0) {
            throw new IllegalArgumentException("a line number is not negative: " + line);
        }
        return new UUID(prefix, VARIANT | (line & LINE_BITS));
    }
}
