package io.scorepipe.worker.batch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

import io.scorepipe.audit.AuditRecord;
import io.scorepipe.audit.AuditSource;
import io.scorepipe.audit.AuditWriter;
import io.scorepipe.audit.BatchLineIds;
import io.scorepipe.csv.Csv;

/**
 * Writes one partition's chunk: scored lines to its part of the results file and to the audit
 * table, rejected lines to its part of the rejects file, and the batch's progress counters, all
 * within the chunk's transaction. The part files are written when the transaction commits and
 * cut back to the last committed chunk on restart, so a resumed job repeats nothing.
 */
class ScoredLineWriter implements ItemStreamWriter<List<Lines.Outcome>> {

    private static final byte[] COMMA = { ',' };

    private final PartFile results;
    private final PartFile rejects;
    private final AuditWriter audit;
    private final BatchLifecycle lifecycle;
    private final UUID batchId;
    private final BatchLineIds ids;
    /** "batch id:", before each line's number in its audit row's source reference. */
    private final String sourceRefPrefix;
    /** ",version", after each scored line's prediction in the results. */
    private final byte[] versionColumn;
    private final String model;
    private final String modelVersion;
    private final long fileLines;
    private final double skipLimitPercent;
    /** Set once the file's rejected lines passed the limit; the partition stops at its next chunk. */
    private @Nullable TooManyRejectsException stop;

    ScoredLineWriter(Path resultsPart, Path rejectsPart, AuditWriter audit, BatchLifecycle lifecycle, UUID batchId,
            String model, String modelVersion, long fileLines, double skipLimitPercent) {
        this.results = new PartFile("results", resultsPart);
        this.rejects = new PartFile("rejects", rejectsPart);
        this.audit = audit;
        this.lifecycle = lifecycle;
        this.batchId = batchId;
        this.ids = new BatchLineIds(batchId);
        this.sourceRefPrefix = batchId + ":";
        this.versionColumn = ("," + modelVersion).getBytes(StandardCharsets.UTF_8);
        this.model = model;
        this.modelVersion = modelVersion;
        this.fileLines = fileLines;
        this.skipLimitPercent = skipLimitPercent;
    }

    @Override
    public void write(Chunk<? extends List<Lines.Outcome>> chunk) throws Exception {
        if (stop != null) {
            // nothing of this chunk is written: the step fails with the counts of the committed chunks
            throw stop;
        }
        int lines = 0;
        for (List<Lines.Outcome> block : chunk) {
            lines += block.size();
        }
        List<AuditRecord> records = new ArrayList<>(lines);
        int rejected = 0;
        Instant now = Instant.now();
        for (List<Lines.Outcome> block : chunk) {
            for (Lines.Outcome line : block) {
                if (line.isScored()) {
                    results.line(line.text().getBytes(StandardCharsets.UTF_8), COMMA,
                            Double.toString(line.prediction()).getBytes(StandardCharsets.ISO_8859_1), versionColumn);
                    records.add(new AuditRecord(ids.forLine(line.number()), AuditSource.BATCH, null,
                            sourceRefPrefix + line.number(), null, model, modelVersion, line.features(),
                            line.prediction(), false, 0, now));
                }
                else {
                    rejects.line(line.number() + "," + Csv.quote(line.rejection()) + "," + Csv.quote(line.text()));
                    rejected++;
                }
            }
        }
        audit.copy(records);
        // the limit is the whole file's: the counter in the batches table adds up every partition. This
        // chunk still commits, so that its rejected lines are counted and kept; the next one stops the part.
        // A worker that lost its claim to another fails here, and its chunk rolls back.
        long rejectedSoFar = lifecycle.progress(batchId, records.size(), rejected);
        if (rejectedSoFar > TooManyRejectsException.limit(fileLines, skipLimitPercent)) {
            stop = new TooManyRejectsException(rejectedSoFar, fileLines, skipLimitPercent);
        }
    }

    @Override
    public void open(ExecutionContext context) {
        results.open(context);
        rejects.open(context);
    }

    @Override
    public void update(ExecutionContext context) {
        results.update(context);
        rejects.update(context);
    }

    @Override
    public void close() {
        results.close();
        rejects.close();
    }
}
