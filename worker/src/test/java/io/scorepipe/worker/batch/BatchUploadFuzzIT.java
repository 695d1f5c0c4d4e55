package io.scorepipe.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.csv.Csv;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.testing.ApiContract;
import io.scorepipe.testing.AppProcess;
import io.scorepipe.testing.Fuzz;
import io.scorepipe.testing.Served;
import io.scorepipe.testing.TestServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Awkward and random CSV files uploaded to {@code POST /batches} of the api (its jar, as its own
 * process) and scored by this worker: quotes, line breaks inside quotes, a byte-order mark, CRLF and
 * lone CR, missing and extra columns, empty and header-only files, binary files, a 10 MB line,
 * bytes that are not UTF-8, values the model cannot score, broken multipart bodies. Each upload is
 * refused at once with a 4xx that says why, or accepted and then either failed with a reason or
 * completed with every good line scored, exactly, and every other line in the rejects with its reason.
 *
 * <p>The random files come from {@link Fuzz} (see there why not jqwik); all uploads go in first and
 * are polled together, so the two job slots stay busy. The skip limit is off (100%) so that files
 * with many bad lines complete and their rejects can be checked; {@link ScoreFileIT} covers the limit.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BatchUploadFuzzIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Map<String, Object> PROPERTIES = new HashMap<>();
    static final Set<String> FINISHED = Set.of("completed", "failed", "duplicate");
    static AppProcess api;
    static int apiPort;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws IOException {
        PROPERTIES.putAll(TestServices.springProperties("uploadfuzz"));
        PROPERTIES.put("scorepipe.data-dir", Files.createTempDirectory("scorepipe-data").toString());
        PROPERTIES.put("scorepipe.batch.poll-interval", "200ms");
        PROPERTIES.put("scorepipe.batch.settle", "300ms");
        PROPERTIES.put("scorepipe.batch.chunk-size", "20");
        PROPERTIES.put("scorepipe.batch.skip-limit-percent", "100");
        PROPERTIES.put("scorepipe.batch.group-id", TestServices.uniqueName("batch"));
        PROPERTIES.forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void stopApi() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @Autowired
    ServingModels serving;

    final HttpClient http = HttpClient.newHttpClient();

    /**
     * One upload and what must become of it.
     *
     * @param what what kind of file it is, for messages
     * @param body the bytes sent
     * @param contentType its Content-Type, null for a multipart form with the file as part 'file'
     * @param status 202, or the 4xx it must be refused with
     * @param says a part of the refusal's detail, of the failed batch's error, or of some reject's reason
     * @param good the data lines that must be scored, when it must complete
     * @param dataLines every data line, in order, when it must complete (rejects point into it)
     */
    record Upload(String what, byte[] body, @Nullable String contentType, int status, @Nullable String says,
            @Nullable List<String> good, @Nullable List<String> dataLines) {

        static Upload completes(String what, String header, List<String> dataLines, List<String> good, @Nullable String says,
                String lineBreak) {
            String text = header + lineBreak + String.join(lineBreak, dataLines) + (dataLines.isEmpty() ? "" : lineBreak);
            return new Upload(what, utf8(text), "text/csv", 202, says, good, dataLines);
        }

        static Upload fails(String what, byte[] body, String says) {
            return new Upload(what, body, "text/csv", 202, says, null, null);
        }
    }

    @Test
    void everyUploadIsRefusedWithAReasonOrEndsWithItsGoodLinesScoredAndItsBadLinesRejected() throws Exception {
        // given the api running beside this worker
        apiPort = TestServices.freePort();
        Map<String, Object> apiProperties = new HashMap<>(PROPERTIES);
        apiProperties.put("server.port", apiPort);
        api = AppProcess.startApi("api", apiProperties);
        Fuzz fuzz = Fuzz.seeded();
        List<Upload> uploads = new ArrayList<>(named());
        for (int i = 0; i < 10; i++) {
            uploads.add(random(fuzz, i));
        }
        await().atMost(Duration.ofSeconds(120)).until(api::started);

        // when each is uploaded
        Map<String, Upload> accepted = new LinkedHashMap<>();
        for (Upload upload : uploads) {
            HttpResponse<String> response = upload(upload);
            String context = upload.what() + " (seed " + fuzz.seed() + ") -> " + response.statusCode() + " " + response.body();
            fuzz.check(() -> {
                assertThat(response.statusCode()).as(context).isEqualTo(upload.status());
                if (response.statusCode() != 202) {
                    assertThat(response.headers().firstValue("Content-Type").orElse("")).as(context)
                            .startsWith("application/problem+json");
                    assertThat(JSON.readTree(response.body()).get("detail").asString()).as(context).contains(upload.says());
                }
            });
            if (response.statusCode() == 202) {
                accepted.put(JSON.readTree(response.body()).get("id").asString(), upload);
            }
        }

        // then each accepted one ends as it must
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> accepted.keySet().stream().allMatch(id -> FINISHED.contains(get("/batches/" + id).get("status")
                        .asString())));
        for (Map.Entry<String, Upload> batch : accepted.entrySet()) {
            fuzz.check(() -> assertEnded(batch.getKey(), batch.getValue(), fuzz.seed()));
        }
        fuzz.assertNoFindings();
    }

    private void assertEnded(String id, Upload upload, long seed) {
        JsonNode batch = get("/batches/" + id);
        String context = upload.what() + " (seed " + seed + "): " + batch;
        if (upload.good() == null) {
            assertThat(batch.get("status").asString()).as(context).isEqualTo("failed");
            assertThat(batch.get("error").asString()).as(context).contains(upload.says());
            return;
        }
        assertThat(batch.get("status").asString()).as(context).isEqualTo("completed");
        List<String> dataLines = upload.dataLines();
        assertThat(batch.get("rows_total").asLong()).as(context).isEqualTo(dataLines.size());
        assertThat(batch.get("rows_scored").asLong() + batch.get("rows_rejected").asLong()).as(context)
                .isEqualTo(dataLines.size());

        // every result is exactly the serving model's score of its features, and every good line has one
        List<String> results = lines(text("/batches/" + id + "/results"));
        List<String> header = Csv.split(results.getFirst());
        FeatureSchema schema = Served.scorer(serving).schema();
        assertThat(header.subList(header.size() - 2, header.size())).as(context).containsExactly("prediction", "model_version");
        assertThat(results).as(context).hasSize(1 + (int) batch.get("rows_scored").asLong());
        List<String> scoredInputs = new ArrayList<>();
        for (String result : results.subList(1, results.size())) {
            List<String> cells = Csv.split(result);
            double[] features = new double[schema.size()];
            for (int i = 0; i < features.length; i++) {
                features[i] = Double.parseDouble(cells.get(header.indexOf(schema.names().get(i))));
            }
            assertThat(Double.parseDouble(cells.get(cells.size() - 2))).as("%s: %s", context, result)
                    .isEqualTo(Served.scorer(serving).score(features));
            scoredInputs.add(result.substring(0, result.length() - cells.get(cells.size() - 2).length()
                    - cells.getLast().length() - 2));
        }
        assertThat(scoredInputs).as(context).containsAll(upload.good());

        // and every reject is a line that was not good, with its reason
        List<String> rejects = lines(text("/batches/" + id + "/rejects"));
        assertThat(rejects.getFirst()).isEqualTo("line,reason,raw");
        assertThat(rejects).as(context).hasSize(1 + (int) batch.get("rows_rejected").asLong());
        List<String> reasons = new ArrayList<>();
        for (String reject : rejects.subList(1, rejects.size())) {
            List<String> cells = Csv.split(reject);
            String line = dataLines.get(Integer.parseInt(cells.get(0)) - 2);
            assertThat(upload.good()).as("%s: a good line rejected: %s", context, reject).doesNotContain(line);
            assertThat(cells.get(1)).as("%s: %s", context, reject).hasSizeGreaterThan(15);
            reasons.add(cells.get(1));
        }
        if (upload.says() != null) {
            assertThat(reasons).as(context).anyMatch(reason -> reason.contains(upload.says()));
        }
    }

    private static List<Upload> named() {
        List<String> rows = ScoreFileIT.sampleLines(12).subList(1, 13);
        String header = ScoreFileIT.sampleLines(0).getFirst();
        String idHeader = "id," + header;
        List<Upload> uploads = new ArrayList<>();
        uploads.add(Upload.completes("quoted fields", idHeader, List.of("\"a,b\"," + rows.get(0),
                "\"say \"\"hi\"\"\"," + rows.get(1), "plain," + rows.get(2)), List.of("\"a,b\"," + rows.get(0),
                "\"say \"\"hi\"\"\"," + rows.get(1), "plain," + rows.get(2)), null, "\n"));
        List<String> embedded = List.of("one," + rows.get(0), "\"multi", "line\"," + rows.get(1), "three," + rows.get(2));
        uploads.add(Upload.completes("a line break inside quotes", idHeader, embedded,
                List.of(embedded.get(0), embedded.get(3)), "field 1 has an unterminated quote", "\n"));
        uploads.add(Upload.completes("a byte-order mark and CRLF", "\uFEFF" + header, rows.subList(0, 5), rows.subList(0, 5),
                null, "\r\n"));
        uploads.add(Upload.completes("lone CRs", header, rows.subList(0, 5), rows.subList(0, 5), null, "\r"));
        List<String> columns = List.of("one," + rows.get(0), rows.get(1), "three," + rows.get(2) + ",extra");
        uploads.add(Upload.completes("missing and extra columns", idHeader, columns, List.of(columns.get(0)),
                "expected 11 columns, got 12", "\n"));
        List<String> awkward = new ArrayList<>(List.of(rows.get(1).replaceFirst("^[^,]*", "NaN"),
                rows.get(2).replaceFirst("^[^,]*", "Infinity"), rows.get(3).replaceFirst("^[^,]*", "0x1p3"),
                rows.get(4).replaceFirst("^[^,]*", ""), "1e308,1e308,1e308,1e308,1e308,1e308,1e308,1e308,1e308,1e308"));
        awkward.addAll(rows.subList(5, 12));
        uploads.add(Upload.completes("values that are no numbers or too large", header, awkward, rows.subList(5, 12),
                "the features are too large for the model", "\n"));
        uploads.add(Upload.completes("a header only", header, List.of(), List.of(), null, "\n"));
        List<String> longLine = new ArrayList<>(rows);
        longLine.set(6, "1".repeat(10 * 1024 * 1024));
        List<String> goodAroundLong = new ArrayList<>(rows);
        goodAroundLong.remove(6);
        uploads.add(Upload.completes("a 10 MB line among good ones", header, longLine, goodAroundLong,
                "line is longer than 65536 bytes (10485760 bytes)", "\n"));
        // a byte that is not UTF-8 passes through an id column, and is no number in a feature column
        String tail = rows.get(2).substring(rows.get(2).indexOf(','));
        byte[] notUtf8 = concat(utf8(idHeader + "\nok," + rows.get(0) + "\nid"), new byte[] {(byte) 0xff},
                utf8("," + rows.get(1) + "\nbad,0.0"), new byte[] {(byte) 0xff}, utf8(tail + "\n"));
        uploads.add(new Upload("bytes that are not UTF-8", notUtf8, "text/csv", 202,
                "feature 'age' must be a finite decimal number, got '0.0\uFFFD'",
                List.of("ok," + rows.get(0), "id\uFFFD," + rows.get(1)),
                List.of("ok," + rows.get(0), "id\uFFFD," + rows.get(1), "bad,0.0\uFFFD" + tail)));
        uploads.add(new Upload("an empty file", new byte[0], "text/csv", 422, "the upload is empty", null, null));
        uploads.add(Upload.fails("a binary file", concat(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}, fixedRandomBytes(5000)),
                "the header line is not UTF-8 text"));
        uploads.add(Upload.fails("only a 10 MB line", utf8("age," + "x".repeat(10 * 1024 * 1024)),
                "the header line is longer than 65536 bytes"));
        uploads.add(Upload.fails("a header lacking a feature", utf8(header.replace("bmi", "weight") + "\n" + rows.get(0) + "\n"),
                "lacks the model's feature [bmi]"));
        uploads.add(new Upload("a multipart form", utf8(header + "\n" + rows.get(7) + "\n"), null, 202, null,
                List.of(rows.get(7)), List.of(rows.get(7))));
        uploads.add(new Upload("a multipart body without a boundary", utf8("garbage"), "multipart/form-data", 400,
                "the multipart body could not be read", null, null));
        uploads.add(new Upload("a multipart form without a file part", utf8("--b\r\nContent-Disposition: form-data; "
                + "name=\"other\"\r\n\r\nx\r\n--b--\r\n"), "multipart/form-data; boundary=b", 400,
                "Required part 'file' is not present", null, null));
        uploads.add(new Upload("JSON instead of CSV", utf8("{\"rows\": []}"), "application/json", 415,
                "send multipart/form-data or text/csv", null, null));
        return uploads;
    }

    /** Sample lines, some left good, the others broken in random ways, with random line breaks. */
    private static Upload random(Fuzz fuzz, int which) {
        List<String> rows = ScoreFileIT.sampleLines(fuzz.between(5, 40));
        String header = rows.removeFirst();
        List<String> dataLines = new ArrayList<>();
        List<String> good = new ArrayList<>();
        for (String row : rows) {
            if (fuzz.chance(0.6)) {
                dataLines.add(row);
                good.add(row);
                continue;
            }
            List<String> cells = new ArrayList<>(Arrays.asList(row.split(",")));
            String broken = switch (fuzz.between(0, 3)) {
                case 0 -> fuzz.mutate(row);
                case 1 -> fuzz.text(80);
                case 2 -> {
                    cells.set(fuzz.between(0, cells.size() - 1), fuzz.oneOf(Fuzz.NON_NUMBERS));
                    yield String.join(",", cells);
                }
                default -> {
                    cells.set(fuzz.between(0, cells.size() - 1), "\"" + fuzz.text(10).replace("\"", "") + "\"");
                    yield String.join(",", cells);
                }
            };
            // a line break inside a line is its own case above; here lines stay lines
            dataLines.add(broken.replace('\r', ' ').replace('\n', ' '));
        }
        String lineBreak = fuzz.oneOf("\n", "\r\n", "\r");
        return Upload.completes("random file " + which + " (" + good.size() + " of " + dataLines.size() + " lines good)",
                header, dataLines, good, null, lineBreak);
    }

    private HttpResponse<String> upload(Upload upload) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/batches?rescore=true&name=fuzz.csv"));
        if (upload.contentType() == null) {
            String boundary = "scorepipe-" + System.nanoTime();
            byte[] body = concat(utf8("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
                    + "filename=\"upload.csv\"\r\nContent-Type: text/csv\r\n\r\n"), upload.body(),
                    utf8("\r\n--" + boundary + "--\r\n"));
            request.header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        }
        else {
            request.header("Content-Type", upload.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(upload.body()));
        }
        return checked(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Every answer is one the api's OpenAPI description documents for the operation that gave it. */
    private HttpResponse<String> checked(HttpResponse<String> response) {
        ApiContract.of(uri("").toString()).assertDocumented(response.request().method(), response.request().uri(),
                response.statusCode());
        return response;
    }

    private JsonNode get(String path) {
        return JSON.readTree(text(path));
    }

    private String text(String path) {
        try {
            return checked(http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString())).body();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** The lines of a results or rejects file: it ends every line with \n, and no line holds one. */
    private static List<String> lines(String text) {
        return List.of(text.split("\n"));
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + apiPort + path);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] fixedRandomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(7).nextBytes(bytes);
        return bytes;
    }
}
