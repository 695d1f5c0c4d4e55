package io.scorepipe.worker.batch;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

import io.scorepipe.worker.system.BoundedLines;

/**
 * Reads one partition's range of a file's lines, each as a {@link Lines.Raw} numbered as in the
 * file, through {@link BoundedLines}: a line over the length limit is read as its beginning and
 * the reason, never held whole. It replaces a {@code FlatFileItemReader}, whose
 * {@code BufferedReader.readLine()} holds any line in memory however long it is.
 *
 * <p>Restartable like that reader: the lines read so far are saved in the step's execution
 * context (under the same key, {@code lines.read.count}), and a restart skips them. Not thread-safe;
 * one per partition, step-scoped.
 */
class LineReader extends AbstractItemCountingItemStreamItemReader<Lines.Raw> {

    private final Path file;
    private final long firstLine;
    private final long lines;
    private final int maxLineBytes;
    private final RowThrottle throttle;
    private @Nullable BoundedLines input;

    /**
     * @param file the CSV file
     * @param firstLine the number of the first line to read (the header is line 1)
     * @param lines how many lines to read from there; zero for none
     * @param maxLineBytes the longest line read whole
     * @param throttle the worker's pace for CSV rows, shared by every reader
     */
    LineReader(Path file, long firstLine, long lines, int maxLineBytes, RowThrottle throttle) {
        this.file = file;
        this.firstLine = firstLine;
        this.lines = lines;
        this.maxLineBytes = maxLineBytes;
        this.throttle = throttle;
        setName("lines");
        setMaxItemCount(Math.clamp(lines, 1, Integer.MAX_VALUE));
    }

    @Override
    protected void doOpen() throws Exception {
        input = new BoundedLines(Files.newInputStream(file), maxLineBytes);
        for (long skipped = 1; skipped < firstLine && input.next(); skipped++) {
            // lines before this partition's range
        }
    }

    @Override
    protected Lines.@Nullable Raw doRead() throws Exception {
        // the count already includes the line being read
        if (input == null || getCurrentItemCount() > lines || !input.next()) {
            return null;
        }
        if ((getCurrentItemCount() - 1) % RowThrottle.BLOCK == 0) {
            // a block, or what is left of this partition's range when that is less
            throttle.acquire((int) Math.min(RowThrottle.BLOCK, lines - getCurrentItemCount() + 1));
        }
        long number = firstLine + getCurrentItemCount() - 1;
        if (!input.tooLong()) {
            return new Lines.Raw(number, input.text(), null);
        }
        return new Lines.Raw(number, input.beginning(), input.tooLongReason());
    }

    @Override
    protected void jumpToItem(int itemIndex) throws Exception {
        // on restart: step over the lines done before, without decoding them
        for (int i = 0; i < itemIndex && input != null && input.next(); i++) {
            // skipped
        }
    }

    @Override
    protected void doClose() throws Exception {
        if (input != null) {
            input.close();
            input = null;
        }
    }
}
