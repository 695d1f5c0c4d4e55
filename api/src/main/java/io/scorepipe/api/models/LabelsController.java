package io.scorepipe.api.models;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.api.system.ApiProblemException;
import io.scorepipe.api.system.CsvDownload;
import io.scorepipe.api.system.Page;
import io.scorepipe.api.system.ProblemResponse;
import io.scorepipe.batch.LabelFile;
import io.scorepipe.batch.LabelFiles;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.ModelRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * What became of the labels files dropped into {@code inbox/labels/} (the default model's) and
 * {@code inbox/labels/NAME/}.
 */
@RestController
@Tag(name = "models")
class LabelsController {

    private final LabelFiles files;
    private final ModelRegistry registry;
    private final String defaultModel;

    LabelsController(LabelFiles files, ModelRegistry registry, ModelProperties properties) {
        this.files = files;
        this.registry = registry;
        this.defaultModel = properties.defaultName();
    }

    @Operation(summary = "The default model's labels files, newest first",
            description = "Each with the examples it added and the lines it rejected.")
    @ProblemResponse(status = 422, when = "page is negative, or size is not between 1 and 200")
    @GetMapping("/models/labels")
    Page<LabelFileView> list(@Parameter(description = "page number, from 0") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "files per page, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        return listOf(defaultModel, page, size);
    }

    @Operation(summary = "A model's labels files, newest first",
            description = "Each with the examples it added and the lines it rejected.")
    @ProblemResponse(status = 404, when = "no model has that name")
    @ProblemResponse(status = 422, when = "page is negative, or size is not between 1 and 200")
    @GetMapping("/models/" + ModelsController.NAME + "/labels")
    Page<LabelFileView> listOf(@Parameter(example = "diabetes") @PathVariable String name,
            @Parameter(description = "page number, from 0") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "files per page, 1 to 200") @RequestParam(defaultValue = "20") int size) {
        Page.check(page, size);
        registry.requireModel(name);
        return new Page<>(files.list(name, Page.offset(page, size), size).stream().map(LabelFileView::of).toList(), page,
                size, files.count(name));
    }

    @Operation(summary = "One labels file: examples stored, lines rejected, and why a refused file was refused")
    @ProblemResponse(status = 404, when = "no labels file has that id")
    @ProblemResponse(status = 400, when = "the id is not a UUID")
    @GetMapping("/models/labels/{id}")
    LabelFileView one(@PathVariable UUID id) {
        return LabelFileView.of(find(id));
    }

    @Operation(summary = "Download a labels file's rejected lines: line number, reason and the raw line")
    @ProblemResponse(status = 404, when = "no labels file has that id, or its rejects file is no longer there")
    @ProblemResponse(status = 400, when = "the id is not a UUID")
    @ProblemResponse(status = 409, when = "the file is still being read")
    @GetMapping("/models/labels/{id}/rejects")
    ResponseEntity<FileSystemResource> rejects(@PathVariable UUID id) {
        LabelFile file = find(id);
        if ("reading".equals(file.status())) {
            throw ApiProblemException.conflict("Labels file not read yet",
                    "labels file " + id + " is still being read; its rejects are ready once it is completed");
        }
        return CsvDownload.of(file.rejectsPath(), file.fileName().replace(".csv", ".rejects.csv"));
    }

    private LabelFile find(UUID id) {
        return files.find(id).orElseThrow(() -> ApiProblemException.notFound("Unknown labels file",
                "no labels file " + id));
    }

    /**
     * A labels file as the api shows it.
     *
     * @param id its id
     * @param model the model whose examples it holds
     * @param fileName its name
     * @param status reading, completed or failed (refused whole)
     * @param examplesStored labelled examples it added
     * @param linesRejected lines it refused
     * @param error why it was refused whole
     * @param rejects where to download the rejected lines
     * @param createdAt when a worker took it
     * @param finishedAt when it was read
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LabelFileView(@JsonProperty("id") UUID id, @JsonProperty("model") String model,
            @JsonProperty("file_name") String fileName,
            @JsonProperty("status") String status, @JsonProperty("examples_stored") long examplesStored,
            @JsonProperty("lines_rejected") long linesRejected, @JsonProperty("error") @Nullable String error,
            @JsonProperty("rejects") @Nullable String rejects, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("finished_at") @Nullable Instant finishedAt) {

        static LabelFileView of(LabelFile file) {
            return new LabelFileView(file.id(), file.model(), file.fileName(), file.status(), file.examplesStored(), file.linesRejected(),
                    file.error(), "reading".equals(file.status()) ? null : "/models/labels/" + file.id() + "/rejects",
                    file.createdAt(), file.finishedAt());
        }
    }
}
