package io.scorepipe.api.system;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A CSV file of the data folder as a download, streamed from disk. */
public final class CsvDownload {

    private static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");

    private CsvDownload() {
    }

    /**
     * @param path the file, if one was recorded
     * @param name the name the caller's browser saves it under
     * @throws ApiProblemException 404 when the file is not there (any more)
     */
    public static ResponseEntity<FileSystemResource> of(@Nullable String path, String name) {
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw ApiProblemException.notFound("File not found", "the file " + name + " is not in the data folder "
                    + "(any more)");
        }
        return ResponseEntity.ok().contentType(TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name).build().toString())
                .body(new FileSystemResource(path));
    }
}
