package io.scorepipe.api.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import io.scorepipe.api.system.UploadTooLargeException;
import io.scorepipe.batch.Batch;
import io.scorepipe.batch.BatchRecords;
import io.scorepipe.batch.BatchState;
import io.scorepipe.registry.ModelInfo;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.UnknownModelException;
import io.scorepipe.scoring.InvalidInputException;

/** The HTTP contract of the batch routes: uploads, progress and downloads, with the error mapping. */
@WebMvcTest(BatchesController.class)
@EnableConfigurationProperties(ModelProperties.class)
class BatchesControllerTests {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    BatchUploads uploads;

    @MockitoBean
    BatchRecords records;

    @MockitoBean
    ModelRegistry registry;

    @Test
    void anUploadAnswers202WithTheBatchToPoll() throws Exception {
        UUID id = UUID.randomUUID();
        given(uploads.store(any(), eq("diabetes"), eq("patients.csv"), eq(false))).willReturn(id);
        given(records.find(id)).willReturn(Optional.of(batch(id, BatchState.UPLOADED, null, null)));

        assertThat(mvc.post().uri("/batches?name=patients.csv").contentType("text/csv").content("age,sex\n1,2\n"))
                .hasStatus(HttpStatus.ACCEPTED).hasHeader("Location", "/batches/" + id)
                .bodyJson().extractingPath("$.status").isEqualTo("uploaded");
    }

    @Test
    void anEmptyUploadIs422AndATooLargeOne413() throws Exception {
        given(uploads.store(any(), any(), any(), anyBoolean())).willThrow(new InvalidInputException("file", "the upload is empty"));
        assertThat(mvc.post().uri("/batches").contentType("text/csv").content(""))
                .hasStatus(HttpStatus.UNPROCESSABLE_CONTENT).bodyJson().extractingPath("$.errors[0].field").isEqualTo("file");

        willThrow(new UploadTooLargeException(10)).given(uploads).store(any(), any(), any(), anyBoolean());
        assertThat(mvc.post().uri("/batches").contentType("text/csv").content("a,b\n"))
                .hasStatus(HttpStatus.CONTENT_TOO_LARGE);
    }

    @Test
    void aFailedBatchRefusesItsResultsAsFailedButServesItsRejects() throws Exception {
        // given a failed batch with a rejects file
        UUID id = UUID.randomUUID();
        Path rejects = Files.createTempFile("rejects", ".csv");
        Files.writeString(rejects, "line,reason,raw\n3,bad,x\n");
        given(records.find(id)).willReturn(Optional.of(batch(id, BatchState.FAILED, "too many rejected lines", rejects)));

        // then
        assertThat(mvc.get().uri("/batches/" + id + "/results")).hasStatus(HttpStatus.CONFLICT)
                .bodyJson().extractingPath("$.title").isEqualTo("Batch failed");
        assertThat(mvc.get().uri("/batches/" + id + "/rejects")).hasStatusOk().hasContentType("text/csv")
                .body().asString().isEqualTo("line,reason,raw\n3,bad,x\n");
        assertThat(mvc.get().uri("/batches/" + id)).hasStatusOk().bodyJson().extractingPath("$.rejects")
                .isEqualTo("/batches/" + id + "/rejects");
    }

    @Test
    void aRunningBatchsFilesAreNotReadyAndUnknownOrMalformedIdsSayWhy() {
        UUID id = UUID.randomUUID();
        given(records.find(id)).willReturn(Optional.of(batch(id, BatchState.RUNNING, null, null)));

        assertThat(mvc.get().uri("/batches/" + id + "/rejects")).hasStatus(HttpStatus.CONFLICT)
                .bodyJson().extractingPath("$.title").isEqualTo("Batch not ready");
        assertThat(mvc.get().uri("/batches/" + UUID.randomUUID())).hasStatus(HttpStatus.NOT_FOUND)
                .bodyJson().extractingPath("$.title").isEqualTo("Unknown batch");
        assertThat(mvc.get().uri("/batches/not-a-uuid")).hasStatus(HttpStatus.BAD_REQUEST);
    }

    @Test
    void anUploadForANamedModelGoesToItAndAnUnknownModelIs404() throws Exception {
        UUID id = UUID.randomUUID();
        given(registry.requireModel("houses")).willReturn(new ModelInfo("houses", List.of("sqft"), "price", "csv",
                Instant.now(), "v1", 1));
        given(registry.requireModel("nope")).willThrow(new UnknownModelException("nope"));
        given(uploads.store(any(), eq("houses"), eq("homes.csv"), eq(false))).willReturn(id);
        given(records.find(id)).willReturn(Optional.of(batch(id, BatchState.UPLOADED, null, null)));

        assertThat(mvc.post().uri("/batches?name=homes.csv&model=houses").contentType("text/csv").content("sqft\n1\n"))
                .hasStatus(HttpStatus.ACCEPTED);
        assertThat(mvc.post().uri("/batches?model=nope").contentType("text/csv").content("sqft\n1\n"))
                .hasStatus(HttpStatus.NOT_FOUND).bodyJson().extractingPath("$.title").isEqualTo("Unknown model");
    }

    private static Batch batch(UUID id, BatchState state, String error, Path rejects) {
        return new Batch(id, "diabetes", "patients.csv", state, null, false, null, null, null,
                rejects == null ? null : rejects.toString(), "v1", 10L, 7, 3, error, Instant.now(), Instant.now(),
                state == BatchState.FAILED ? Instant.now() : null);
    }
}
