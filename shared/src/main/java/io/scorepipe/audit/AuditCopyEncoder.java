package io.scorepipe.audit;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.postgresql.copy.CopyIn;

/**
 * Audit records as the payload of one {@link #SQL} statement, in PostgreSQL's binary COPY format.
 * Binary, not text, because the text format makes both sides print and parse every float (ten
 * features and a prediction per row), every id and every time; binary sends their bytes.
 *
 * <p>Stores what the text format stored, value for value: a double's exact bits, -0.0 included;
 * text as the UTF-8 of {@link String#getBytes} (an unpaired surrogate becoming {@code ?});
 * a time rounded to the microsecond as PostgreSQL rounded the text of {@link Instant#toString}
 * (see {@link #micros}). What PostgreSQL cannot hold is sent as it is, for PostgreSQL to refuse
 * with the error it gave the text (a NUL character: invalid byte sequence, SQLSTATE 22021; a time
 * out of range: 22008), because the audit sink tells a refused record from a failed database by
 * that error, not by one of ours.
 *
 * <p>The whole payload is encoded into one growing array before the COPY starts, so that the
 * connection is busy only while the bytes are sent. The array is handed back with
 * {@link #release()} and kept for the thread's next payload: a batch partition encodes chunk after
 * chunk on one thread, and a fresh array of megabytes per chunk is allocated outside the young
 * generation (a humongous object) and starts a marking cycle each time. Not thread-safe: one
 * encoder per COPY.
 */
final class AuditCopyEncoder {

    /** The statement the payload is for; its column list is the order in which a tuple's fields are written. */
    static final String SQL = """
            COPY prediction_audit (prediction_id, source, source_ref, request_id, model_version, features, prediction,
                                   cache_hit, latency_micros, created_at, model, route) FROM STDIN (FORMAT binary)""";

    /** Signature, flags (no OIDs) and the length of a header extension (none). */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
            0, 0, 0, 0, 0, 0, 0, 0};
    private static final int FIELDS = 12;
    private static final int NULL = -1;
    private static final int FLOAT8_OID = 701;
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix seconds. */
    private static final long POSTGRES_EPOCH_SECOND = 946_684_800L;
    /** What one CopyData message carries; the size the driver's stream copy uses too. */
    private static final int PIECE = 64 * 1024;
    /** A tuple's bytes but its text and features: field count, lengths, id, array header, the fixed-size values. */
    private static final int FIXED_TUPLE_BYTES = 2 + FIELDS * 4 + 16 + 20 + 8 + 1 + 8 + 8;

    /** The largest array kept for a thread's next payload: some 50,000 rows of ten features. */
    private static final int KEPT_BYTES = 16 * 1024 * 1024;
    private static final ThreadLocal<byte @Nullable []> SPARE = new ThreadLocal<>();

    private byte[] bytes;
    private int size;

    private AuditCopyEncoder(int capacity) {
        byte[] spare = SPARE.get();
        if (spare != null && spare.length >= capacity) {
            SPARE.remove();
            this.bytes = spare;
        }
        else {
            this.bytes = new byte[capacity];
        }
    }

    /** Hands the array back for this thread's next payload; the encoder is not used after. */
    void release() {
        if (bytes.length <= KEPT_BYTES) {
            SPARE.set(bytes);
        }
        bytes = new byte[0];
        size = 0;
    }

    /** The payload for {@code records}: header, one tuple each, trailer. */
    static AuditCopyEncoder encode(List<AuditRecord> records) {
        // about 64 bytes of text (source, references, version, model); the first record's features stand for all
        int guess = records.isEmpty() ? 0 : FIXED_TUPLE_BYTES + 64 + 12 * records.getFirst().features().length;
        AuditCopyEncoder encoder = new AuditCopyEncoder(HEADER.length + records.size() * guess + 2);
        System.arraycopy(HEADER, 0, encoder.bytes, 0, HEADER.length);
        encoder.size = HEADER.length;
        for (AuditRecord record : records) {
            encoder.tuple(record);
        }
        encoder.ensure(2);
        encoder.putShort(-1);
        return encoder;
    }

    /** Sends the payload in pieces of 64 KB; the caller ends or cancels the COPY. */
    void writeTo(CopyIn copy) throws SQLException {
        for (int offset = 0; offset < size; offset += PIECE) {
            copy.writeToCopy(bytes, offset, Math.min(PIECE, size - offset));
        }
    }

    /** A copy of the payload's bytes. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void tuple(AuditRecord record) {
        ensure(2 + 4 + 16);
        putShort(FIELDS);
        putInt(16);
        putLong(record.predictionId().getMostSignificantBits());
        putLong(record.predictionId().getLeastSignificantBits());
        text(record.source().wire());
        text(record.sourceRef());
        text(record.requestId());
        text(record.modelVersion());
        double[] features = record.features();
        int arrayBytes = 20 + 12 * features.length;
        ensure(4 + arrayBytes + 12 + 5 + 12 + 12);
        putInt(arrayBytes);
        putInt(1); // dimensions
        putInt(0); // no null elements
        putInt(FLOAT8_OID);
        putInt(features.length);
        putInt(1); // lower bound
        for (double feature : features) {
            putInt(8);
            putDouble(feature);
        }
        putInt(8);
        putDouble(record.prediction());
        putInt(1);
        bytes[size++] = (byte) (record.cacheHit() ? 1 : 0);
        putInt(8);
        putLong(record.latencyMicros());
        putInt(8);
        putLong(micros(record.createdAt()));
        text(record.model());
        text(record.route());
    }

    /**
     * Microseconds since 2000-01-01T00:00:00Z, rounded as PostgreSQL rounded the text: it read the
     * fraction of {@link Instant#toString} with {@code strtod} and kept {@code rint(fraction * 1e6)},
     * to nearest and half to even in binary floating point (so .0000025 s is 2 µs and .0000015 s is
     * 2 µs). {@code nano / 1e9} is the double {@code strtod} makes of those digits, and Java's
     * arithmetic is the same IEEE arithmetic, so the result is the same to the bit.
     *
     * <p>A time beyond what the format holds becomes one step inside {@code ±infinity} (the
     * extreme longs), a finite time PostgreSQL refuses as out of range, never infinity itself.
     */
    static long micros(Instant time) {
        long fraction = (long) Math.rint(time.getNano() / 1e9 * 1e6);
        long seconds = time.getEpochSecond() - POSTGRES_EPOCH_SECOND;
        long micros;
        try {
            micros = Math.addExact(Math.multiplyExact(seconds, 1_000_000L), fraction);
        }
        catch (ArithmeticException ex) {
            micros = seconds < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return Math.clamp(micros, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1);
    }

    /** Length and UTF-8 bytes; a NUL character is sent for PostgreSQL to refuse. */
    private void text(@Nullable String value) {
        if (value == null) {
            ensure(4);
            putInt(NULL);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        ensure(4 + utf8.length);
        putInt(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
    }

    private void ensure(int more) {
        if (bytes.length - size < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    private void putShort(int value) {
        bytes[size++] = (byte) (value >> 8);
        bytes[size++] = (byte) value;
    }

    private void putInt(int value) {
        bytes[size++] = (byte) (value >> 24);
        bytes[size++] = (byte) (value >> 16);
        bytes[size++] = (byte) (value >> 8);
        bytes[size++] = (byte) value;
    }

    private void putLong(long value) {
        putInt((int) (value >> 32));
        putInt((int) value);
    }

    /** The IEEE bits; a NaN as PostgreSQL's one NaN, as the text "NaN" was read. */
    private void putDouble(double value) {
        putLong(Double.doubleToLongBits(value));
    }
}
