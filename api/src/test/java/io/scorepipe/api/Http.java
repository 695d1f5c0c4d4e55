package io.scorepipe.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.scorepipe.testing.ApiContract;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small JSON client for the api under test. Every answer is held against the api's OpenAPI
 * description ({@link ApiContract}): a status the answering operation does not document fails the
 * test at once. Thread-safe.
 */
public final class Http {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final boolean checked;

    public Http(int port) {
        this(port, true);
    }

    private Http(int port, boolean checked) {
        this.base = "http://127.0.0.1:" + port;
        this.checked = checked;
    }

    /** A client for the api's management port (the actuator), which has no API description to hold answers to. */
    public static Http management(int port) {
        return new Http(port, false);
    }

    public Response get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    public Response postJson(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    public Response send(HttpRequest.Builder builder) {
        try {
            HttpRequest request = builder.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (checked) {
                ApiContract.of(base).assertDocumented(request.method(), request.uri(), response.statusCode());
            }
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers().map());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    /**
     * An answer.
     *
     * @param status the HTTP status
     * @param contentType the Content-Type header
     * @param body the body as text
     * @param headers every header, by lower-case name
     */
    public record Response(int status, String contentType, String body, java.util.Map<String, java.util.List<String>> headers) {

        /** The first value of a header, or null. */
        public @org.jspecify.annotations.Nullable String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .flatMap(entry -> entry.getValue().stream()).findFirst().orElse(null);
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String text(String pointer) {
            return json().at(pointer).asString();
        }
    }
}
