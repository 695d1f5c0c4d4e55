package io.scorepipe.worker.system;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a file's bytes into lines as {@link java.io.BufferedReader#readLine()} does (a line ends
 * at {@code \n}, {@code \r\n} or a lone {@code \r}; the last one need not end), but keeps at most
 * {@code maxBytes} of any line: the rest of a longer line is skipped, only counted. So a file that
 * is one 10 GB line costs {@code maxBytes} of memory, not 10 GB, and a 10 MB line among good ones
 * is one rejected line, not a failed file. Text is UTF-8; malformed bytes become U+FFFD, as they
 * did with the {@code InputStreamReader} before.
 *
 * <p>Not thread-safe: one reader per file or partition.
 */
public final class BoundedLines implements Closeable {

    private static final int BUFFER = 64 * 1024;
    /** How much of an over-long line {@link #beginning()} shows. */
    private static final int SHOWN = 100;

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;
    private byte[] line;
    private int kept;
    private long length;

    public BoundedLines(InputStream in, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, got " + maxBytes);
        }
        this.in = in;
        this.maxBytes = maxBytes;
        this.line = new byte[Math.min(maxBytes, 1024)];
    }

    /**
     * Moves to the next line.
     *
     * @return false at the end of the input
     */
    public boolean next() throws IOException {
        kept = 0;
        length = 0;
        if (position == limit && !fill()) {
            return false;
        }
        while (true) {
            int start = position;
            while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
                position++;
            }
            keep(start, position - start);
            if (position < limit) {
                byte end = buffer[position++];
                if (end == '\r' && (position < limit || fill()) && buffer[position] == '\n') {
                    position++;
                }
                return true;
            }
            if (!fill()) {
                return true; // the last line, without a line break
            }
        }
    }

    /** The current line without its line break, or only its first {@code maxBytes} when {@link #tooLong()}. */
    public String text() {
        return new String(line, 0, kept, StandardCharsets.UTF_8);
    }

    /** Whether the current line has more than {@code maxBytes} bytes. */
    public boolean tooLong() {
        return length > maxBytes;
    }

    /** The current line's length in bytes, all of it. */
    public long length() {
        return length;
    }

    /** Why the current, over-long line is refused: its length, the limit, and the setting that sets it. */
    public String tooLongReason() {
        return "line is longer than " + maxBytes + " bytes (" + length
                + " bytes); the limit is scorepipe.batch.max-line-length";
    }

    /** The current line's first {@value #SHOWN} characters and "...", as a rejects file shows an over-long line. */
    public String beginning() {
        String text = text();
        return text.substring(0, Math.min(text.length(), SHOWN)) + "...";
    }

    private void keep(int from, int count) {
        length += count;
        int room = Math.min(count, maxBytes - kept);
        if (room <= 0) {
            return;
        }
        if (kept + room > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(maxBytes, Math.max(kept + room, 2L * line.length)));
        }
        System.arraycopy(buffer, from, line, kept, room);
        kept += room;
    }

    private boolean fill() throws IOException {
        int n = in.readNBytes(buffer, 0, buffer.length);
        position = 0;
        limit = Math.max(0, n);
        return limit > 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
