package io.scorepipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class LinePartitionerTests {

    @Test
    void linesAreSplitIntoContiguousRangesAfterTheHeader() {
        Map<String, ExecutionContext> parts = new LinePartitioner(10).partition(3);

        assertThat(parts.keySet()).containsExactly("part0", "part1", "part2");
        assertThat(ranges(parts)).containsExactly(List.of(2L, 4L, 0L), List.of(6L, 4L, 1L), List.of(10L, 2L, 2L));
    }

    @Test
    void fewerLinesThanPartitionsGiveOnePartPerLine() {
        assertThat(ranges(new LinePartitioner(2).partition(4))).containsExactly(List.of(2L, 1L, 0L), List.of(3L, 1L, 1L));
    }

    @Test
    void anEmptyFileStillHasOnePartThatReadsNothing() {
        assertThat(ranges(new LinePartitioner(0).partition(2))).containsExactly(List.of(2L, 0L, 0L));
    }

    private static List<List<Long>> ranges(Map<String, ExecutionContext> parts) {
        return parts.values().stream().map(part -> List.of(part.getLong(LinePartitioner.FIRST_LINE),
                part.getLong(LinePartitioner.LINES), (long) part.getInt(LinePartitioner.INDEX))).toList();
    }
}
