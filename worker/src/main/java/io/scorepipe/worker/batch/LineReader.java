package io.scorepipe.worker.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemStreamSupport;

import io.scorepipe.worker.system.BoundedLines;

/**
 * Reads one partition's range of a file's lines in blocks, each line a {@link Lines.Raw} numbered
 * as in the file, through {@link BoundedLines}: a line over the length limit is read as its
 * beginning and the reason, never held whole. It replaces a {@code FlatFileItemReader}, whose
 * {@code BufferedReader.readLine()} holds any line in memory however long it is.
 *
 * <p>A block is one item of the step and the step's chunk is one block, so the framework's work per
 * item (two observations, two JFR events, the listeners) is paid per block of lines rather than per
 * line. Restartable: the lines read so far are saved in the step's execution context under
 * {@code lines.read.count} (the key a line-per-item reader used too), and a restart steps over them.
 * Not thread-safe; one per partition, step-scoped.
 */
class LineReader extends ItemStreamSupport implements ItemStreamReader<List<Lines.Raw>> {

    private static final String READ_COUNT = "read.count";

    private final Path file;
    private final long firstLine;
    private final long lines;
    private final int maxLineBytes;
    private final int blockLines;
    private final RowThrottle throttle;
    private @Nullable BoundedLines input;
    /** Lines of the range read so far. */
    private long read;

    /**
     * @param file the CSV file
     * @param firstLine the number of the first line to read (the header is line 1)
     * @param lines how many lines to read from there; zero for none
     * @param maxLineBytes the longest line read whole
     * @param blockLines the most lines in one block: the step's lines per transaction
     * @param throttle the worker's pace for CSV rows, shared by every reader
     */
    LineReader(Path file, long firstLine, long lines, int maxLineBytes, int blockLines, RowThrottle throttle) {
        if (blockLines < 1) {
            throw new IllegalArgumentException("a block holds at least one line, not " + blockLines);
        }
        this.file = file;
        this.firstLine = firstLine;
        this.lines = lines;
        this.maxLineBytes = maxLineBytes;
        this.blockLines = blockLines;
        this.throttle = throttle;
        setName("lines");
    }

    @Override
    public void open(ExecutionContext context) {
        super.open(context);
        read = context.getLong(getExecutionContextKey(READ_COUNT), 0L);
        try {
            input = new BoundedLines(Files.newInputStream(file), maxLineBytes);
            // the lines before this partition's range, and on restart those it read before
            for (long skipped = 1; skipped < firstLine + read && input.next(); skipped++) {
                // stepped over without decoding
            }
        }
        catch (IOException ex) {
            throw new ItemStreamException("cannot open " + file, ex);
        }
    }

    /** The next block of lines, or null when the range is done. */
    @Override
    public @Nullable List<Lines.Raw> read() throws Exception {
        if (input == null || read >= lines) {
            return null;
        }
        int size = (int) Math.min(blockLines, lines - read);
        List<Lines.Raw> block = new ArrayList<>(size);
        while (block.size() < size && input.next()) {
            if (read % RowThrottle.BLOCK == 0) {
                // a throttle block, or what is left of this partition's range when that is less
                throttle.acquire((int) Math.min(RowThrottle.BLOCK, lines - read));
            }
            long number = firstLine + read;
            read++;
            block.add(input.tooLong() ? new Lines.Raw(number, input.beginning(), input.tooLongReason())
                    : new Lines.Raw(number, input.text(), null));
        }
        if (block.isEmpty()) {
            // the file ended before the range did (it shrank after it was counted)
            read = lines;
            return null;
        }
        return block;
    }

    @Override
    public void update(ExecutionContext context) {
        super.update(context);
        context.putLong(getExecutionContextKey(READ_COUNT), read);
    }

    @Override
    public void close() {
        super.close();
        if (input != null) {
            try {
                input.close();
            }
            catch (IOException ex) {
                throw new ItemStreamException("cannot close " + file, ex);
            }
            finally {
                input = null;
            }
        }
    }
}
