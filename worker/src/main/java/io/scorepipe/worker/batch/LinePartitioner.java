package io.scorepipe.worker.batch;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Splits a file's data lines into contiguous ranges, one per partition; each partition writes its
 * own part of the results, and the parts are joined in order at the end.
 */
class LinePartitioner implements Partitioner {

    static final String FIRST_LINE = "first.line";
    static final String LINES = "lines";
    static final String INDEX = "index";

    private final long dataLines;

    LinePartitioner(long dataLines) {
        this.dataLines = dataLines;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        int parts = (int) Math.max(1, Math.min(gridSize, dataLines));
        long size = (dataLines + parts - 1) / Math.max(1, parts);
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (int i = 0; i < parts; i++) {
            long first = (long) i * size;
            ExecutionContext context = new ExecutionContext();
            context.putLong(FIRST_LINE, first + 2); // line 1 is the header
            context.putLong(LINES, Math.max(0, Math.min(size, dataLines - first)));
            context.putInt(INDEX, i);
            partitions.put("part" + i, context);
        }
        return partitions;
    }
}
