package io.scorepipe.api.batch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import io.scorepipe.api.system.ApiProblemException;
import io.scorepipe.api.system.CsvDownload;
import io.scorepipe.api.system.ProblemResponse;
import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchRecords;
import io.scorepipe.batch.BatchState;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.ModelRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

@RestController
@Tag(name = "batches", description = "Bulk scoring of CSV files")
class BatchesController {

    /** Both upload forms are one operation in the API description; each carries the whole text. */
    private static final String UPLOAD = "Send the file itself as a text/csv body, or as the part 'file' of a "
            + "multipart form (its name is then the file's own unless name is given). Its header must name the model's "
            + "features, in any order (the default model's, or those of the model named by model); other columns pass through to the results. A file whose content was scored "
            + "before points at those results (status 'duplicate') unless rescore=true. Answers 202 at once with the "
            + "batch to poll (Location).";

    private final BatchUploads uploads;
    private final BatchRecords batches;
    private final ModelRegistry registry;
    private final String defaultModel;

    BatchesController(BatchUploads uploads, BatchRecords batches, ModelRegistry registry, ModelProperties properties) {
        this.uploads = uploads;
        this.batches = batches;
        this.registry = registry;
        this.defaultModel = properties.defaultName();
    }

    @Operation(summary = "Upload a CSV file to score", description = UPLOAD)
    @ApiResponse(responseCode = "202", description = "Accepted: the batch, 'uploaded'",
            headers = @Header(name = "Location", description = "the batch to poll, /batches/{id}"))
    @ProblemResponse(status = 404, when = "no model has the name given as model")
    @ProblemResponse(status = 413, when = "the file is larger than scorepipe.upload.max-size")
    @ProblemResponse(status = 422, when = "the upload is empty")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The CSV file itself", required = true,
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"), examples = @ExampleObject(
                    value = "age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n0.038,0.051,0.062,0.022,-0.044,-0.035,-0.043,-0.003,0.020,-0.018\n")))
    @PostMapping(path = "/batches", consumes = "text/csv", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<BatchView> uploadBody(HttpServletRequest request,
            @Parameter(description = "the file's name, for the results and rejects files", example = "patients.csv")
            @RequestParam(required = false) @Nullable String name,
            @Parameter(description = "score it even when the same content was scored before")
            @RequestParam(defaultValue = "false") boolean rescore,
            @Parameter(description = "the model that scores it (default: the default model)", example = "diabetes")
            @RequestParam(required = false) @Nullable String model) throws IOException {
        String scoredBy = model(model);
        try (InputStream body = request.getInputStream()) {
            return accepted(uploads.store(body, scoredBy, name, rescore));
        }
    }

    @Operation(summary = "Upload a CSV file to score", description = UPLOAD)
    @ApiResponse(responseCode = "202", description = "Accepted: the batch, 'uploaded'",
            headers = @Header(name = "Location", description = "the batch to poll, /batches/{id}"))
    @ProblemResponse(status = 404, when = "no model has the name given as model")
    @ProblemResponse(status = 413, when = "the part 'file' is larger than scorepipe.upload.max-size")
    @ProblemResponse(status = 422, when = "the part 'file' is empty")
    @PostMapping(path = "/batches", consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<BatchView> uploadForm(@RequestPart("file") MultipartFile file,
            @RequestParam(required = false) @Nullable String name, @RequestParam(defaultValue = "false") boolean rescore,
            @RequestParam(required = false) @Nullable String model) throws IOException {
        String scoredBy = model(model);
        try (InputStream body = file.getInputStream()) {
            return accepted(uploads.store(body, scoredBy, name != null ? name : file.getOriginalFilename(), rescore));
        }
    }

    /** The model a batch is for: the one named, which must exist, or the default. */
    private String model(@Nullable String model) {
        if (model == null || model.isBlank()) {
            return defaultModel;
        }
        return registry.requireModel(model.strip()).name();
    }

    @Operation(summary = "Recent batches, newest first", description = "Each with its status and progress.")
    @GetMapping("/batches")
    List<BatchView> recent(@Parameter(description = "how many, 1 to 200 (a value outside is brought inside)")
            @RequestParam(defaultValue = "20") int limit) {
        Instant now = Instant.now();
        return batches.recent(Math.clamp(limit, 1, 200)).stream().map(batch -> BatchView.of(batch, now)).toList();
    }

    @Operation(summary = "A batch's status and progress", description = "uploaded, queued, running (rows done, rows "
            + "per second, ETA), then completed, duplicate or failed (with the reason).")
    @ProblemResponse(status = 404, when = "no batch has that id")
    @ProblemResponse(status = 400, when = "the id is not a UUID")
    @GetMapping("/batches/{id}")
    BatchView one(@PathVariable UUID id) {
        return BatchView.of(find(id), Instant.now());
    }

    @Operation(summary = "Download the results: every input column, then prediction and model_version")
    @ProblemResponse(status = 404, when = "no batch has that id, or its results file is no longer there")
    @ProblemResponse(status = 400, when = "the id is not a UUID")
    @ProblemResponse(status = 409, when = "the batch has not completed yet (Batch not ready), or it failed (Batch failed: "
            + "the detail says why; its rejects are still served)")
    @GetMapping("/batches/{id}/results")
    ResponseEntity<FileSystemResource> results(@PathVariable UUID id) {
        Batch batch = find(id);
        if (batch.status() == BatchState.FAILED) {
            throw ApiProblemException.conflict("Batch failed", "batch " + id + " failed, so it has no results: "
                    + batch.error() + "; its rejected lines are at /batches/" + id + "/rejects");
        }
        requireEnded(batch);
        return CsvDownload.of(batch.resultsPath(), batch.fileName().replace(".csv", ".scored.csv"));
    }

    @Operation(summary = "Download the rejects: line number, reason and the raw line",
            description = "For a completed batch, every rejected line; for a failed one, the lines rejected before it "
                    + "stopped.")
    @ProblemResponse(status = 404, when = "no batch has that id, or its rejects file is no longer there")
    @ProblemResponse(status = 400, when = "the id is not a UUID")
    @ProblemResponse(status = 409, when = "the batch is still queued or running (Batch not ready)")
    @GetMapping("/batches/{id}/rejects")
    ResponseEntity<FileSystemResource> rejects(@PathVariable UUID id) {
        Batch batch = find(id);
        if (batch.status() != BatchState.FAILED) {
            requireEnded(batch);
        }
        return CsvDownload.of(batch.rejectsPath(), batch.fileName().replace(".csv", ".rejects.csv"));
    }

    private ResponseEntity<BatchView> accepted(UUID id) {
        return ResponseEntity.accepted().location(URI.create("/batches/" + id)).body(BatchView.of(find(id), Instant.now()));
    }

    private Batch find(UUID id) {
        return batches.find(id).orElseThrow(() -> ApiProblemException.notFound("Unknown batch", "no batch " + id));
    }

    private static void requireEnded(Batch batch) {
        if (batch.status() != BatchState.COMPLETED && batch.status() != BatchState.DUPLICATE) {
            throw ApiProblemException.conflict("Batch not ready", "batch " + batch.id() + " is "
                    + batch.status().dbValue() + "; its files are ready once it is completed");
        }
    }
}
