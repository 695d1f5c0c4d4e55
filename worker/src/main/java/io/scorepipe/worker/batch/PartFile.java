package io.scorepipe.worker.batch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A partition's part of the results or rejects file, written when the chunk's transaction commits
 * and cut back to the last committed chunk on restart, as Spring Batch's transactional
 * {@code FlatFileItemWriter} does (under the same execution context key, {@code NAME.current.count},
 * the part's committed length in bytes). Unlike that writer it keeps a chunk's lines as UTF-8
 * bytes in one buffer that lives as long as the part: that writer built a {@code StringBuilder}
 * per chunk, copied it to a {@code String} and encoded that to bytes, three copies of megabytes
 * each, and half of a partition's allocations (JFR, bench/batch).
 *
 * <p>Lines are added within the chunk's transaction. Before it commits, the buffer is written to
 * the file. When the transaction does not commit, what was written stays: a commit that failed on
 * the way back (the database went away) may well have committed, and only the job repository knows;
 * the step fails, and its restart cuts the part to the length the repository recorded, whichever way
 * the commit went. This instance takes no more lines after that. Not thread-safe: one per partition.
 */
final class PartFile implements ItemStream {

    private static final byte[] NEWLINE = { '\n' };

    private final String name;
    private final Path path;
    private @Nullable FileChannel channel;
    /** The part's length after the last committed chunk. */
    private long committed;
    /** The current chunk's lines, not yet written. */
    private byte[] pending = new byte[64 * 1024];
    private int size;
    private boolean synchronizing;
    /** Set when a chunk's lines reached the file but its transaction did not report a commit. */
    private boolean unsettled;

    PartFile(String name, Path path) {
        this.name = name;
        this.path = path;
    }

    @Override
    public void open(ExecutionContext context) {
        long restart = context.getLong(key(), 0L);
        try {
            FileChannel opened = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long length = opened.size();
            if (length < restart) {
                opened.close();
                throw new ItemStreamException("the part " + path + " holds " + length + " bytes, fewer than the "
                        + restart + " its last committed chunk left");
            }
            // a fresh part starts empty; a restarted one loses what a chunk that did not commit wrote
            opened.truncate(restart);
            opened.position(restart);
            channel = opened;
            committed = restart;
            size = 0;
        }
        catch (IOException ex) {
            throw new ItemStreamException("cannot open " + path, ex);
        }
    }

    /** Adds a line (without its line break) to the current chunk. */
    void line(String text) {
        line(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a line made of these pieces, each UTF-8, to the current chunk. */
    void line(byte[]... pieces) {
        for (byte[] piece : pieces) {
            add(piece);
        }
        add(NEWLINE);
    }

    private void add(byte[] bytes) {
        if (unsettled) {
            throw new ItemStreamException("the part " + path + " is unsettled since a chunk's commit failed; the "
                    + "step restarts from its last recorded length");
        }
        if (!synchronizing) {
            TransactionSynchronizationManager.registerSynchronization(new Flush());
            synchronizing = true;
        }
        if (size + bytes.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, size + bytes.length));
        }
        System.arraycopy(bytes, 0, pending, size, bytes.length);
        size += bytes.length;
    }

    @Override
    public void update(ExecutionContext context) {
        // saved with the chunk's commit: the length the part has once this chunk is written
        context.putLong(key(), committed + size);
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            }
            catch (IOException ex) {
                throw new ItemStreamException("cannot close " + path, ex);
            }
            finally {
                channel = null;
            }
        }
    }

    private String key() {
        return name + ".current.count";
    }

    /** Writes the chunk's lines just before its transaction commits; forgets them after it ends. */
    private final class Flush implements TransactionSynchronization {

        private boolean written;

        @Override
        public void beforeCommit(boolean readOnly) {
            FileChannel open = channel;
            if (open == null) {
                throw new ItemStreamException("the part " + path + " is written before it was opened");
            }
            try {
                ByteBuffer bytes = ByteBuffer.wrap(pending, 0, size);
                written = bytes.hasRemaining();
                while (bytes.hasRemaining()) {
                    open.write(bytes);
                }
            }
            catch (IOException ex) {
                throw new ItemStreamException("cannot write " + path, ex);
            }
        }

        @Override
        public void afterCompletion(int status) {
            if (status == STATUS_COMMITTED) {
                committed += size;
            }
            else if (written) {
                // the lines are in the file, and the chunk may or may not have committed: the restart decides
                unsettled = true;
            }
            size = 0;
            written = false;
            synchronizing = false;
        }
    }
}
