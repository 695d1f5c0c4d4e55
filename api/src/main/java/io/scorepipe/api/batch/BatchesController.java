package io.scorepipe.api.batch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchRepository;
import io.scorepipe.batch.BatchStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

@RestController
@Tag(name = "batches", description = "Bulk scoring of CSV files")
class BatchesController {

    private static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");

    private final BatchUploads uploads;
    private final BatchRepository batches;

    BatchesController(BatchUploads uploads, BatchRepository batches) {
        this.uploads = uploads;
        this.batches = batches;
    }

    @Operation(summary = "Upload a CSV file to score (text/csv body)", description = "The header must name the model's "
            + "features, in any order; other columns pass through. Answers 202 with the batch to poll.")
    @PostMapping(path = "/batches", consumes = "text/csv")
    ResponseEntity<BatchView> uploadBody(HttpServletRequest request, @RequestParam(required = false) @Nullable String name,
            @RequestParam(defaultValue = "false") boolean rescore) throws IOException {
        try (InputStream body = request.getInputStream()) {
            return accepted(uploads.store(body, name, rescore));
        }
    }

    @Operation(summary = "Upload a CSV file to score (multipart form, part 'file')")
    @PostMapping(path = "/batches", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<BatchView> uploadForm(@RequestPart("file") MultipartFile file,
            @RequestParam(required = false) @Nullable String name, @RequestParam(defaultValue = "false") boolean rescore)
            throws IOException {
        try (InputStream body = file.getInputStream()) {
            return accepted(uploads.store(body, name != null ? name : file.getOriginalFilename(), rescore));
        }
    }

    @Operation(summary = "Recent batches, newest first")
    @GetMapping("/batches")
    List<BatchView> recent(@RequestParam(defaultValue = "20") int limit) {
        Instant now = Instant.now();
        return batches.recent(Math.clamp(limit, 1, 200)).stream().map(batch -> BatchView.of(batch, now)).toList();
    }

    @Operation(summary = "A batch's status and progress")
    @GetMapping("/batches/{id}")
    BatchView one(@PathVariable UUID id) {
        return BatchView.of(find(id), Instant.now());
    }

    @Operation(summary = "Download the results: every input column, then prediction and model_version")
    @GetMapping("/batches/{id}/results")
    ResponseEntity<FileSystemResource> results(@PathVariable UUID id) {
        Batch batch = completed(id);
        return download(batch.resultsPath(), batch.fileName().replace(".csv", ".scored.csv"));
    }

    @Operation(summary = "Download the rejects: line number, reason and the raw line")
    @GetMapping("/batches/{id}/rejects")
    ResponseEntity<FileSystemResource> rejects(@PathVariable UUID id) {
        Batch batch = completed(id);
        return download(batch.rejectsPath(), batch.fileName().replace(".csv", ".rejects.csv"));
    }

    private ResponseEntity<BatchView> accepted(UUID id) {
        return ResponseEntity.accepted().location(URI.create("/batches/" + id)).body(BatchView.of(find(id), Instant.now()));
    }

    private Batch find(UUID id) {
        return batches.find(id).orElseThrow(() -> new UnknownBatchException(id));
    }

    private Batch completed(UUID id) {
        Batch batch = find(id);
        if (batch.status() != BatchStatus.COMPLETED && batch.status() != BatchStatus.DUPLICATE) {
            throw new BatchNotReadyException("batch " + id + " is " + batch.status().dbValue()
                    + (batch.error() == null ? "; its files are ready once it is completed" : ": " + batch.error()));
        }
        return batch;
    }

    private static ResponseEntity<FileSystemResource> download(@Nullable String path, String name) {
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new BatchNotReadyException("the file is no longer there");
        }
        return ResponseEntity.ok().contentType(TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name).build().toString())
                .body(new FileSystemResource(path));
    }
}
