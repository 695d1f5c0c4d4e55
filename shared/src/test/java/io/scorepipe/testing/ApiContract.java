package io.scorepipe.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The api's own OpenAPI description ({@code /v3/api-docs}) as a contract that every answer a test
 * receives is held against: a status that the answering operation does not document fails the
 * test that provoked it. Requests to paths that no operation describes (the actuator's, the API
 * description's own) are not checked. Thread-safe.
 */
public final class ApiContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, ApiContract> BY_BASE = new ConcurrentHashMap<>();

    private final List<Operation> operations;

    private ApiContract(List<Operation> operations) {
        this.operations = List.copyOf(operations);
    }

    /**
     * One operation of the description.
     *
     * @param method upper-case HTTP method
     * @param path the path template, for example {@code /batches/{id}/results}
     * @param statuses the documented statuses ({@code default} among them when there is one)
     * @param admin whether it needs the admin token
     * @param requestTypes the content types its body may have; empty when it takes none
     */
    public record Operation(String method, String path, Set<String> statuses, boolean admin, Set<String> requestTypes) {

        boolean matches(String method, String path) {
            return this.method.equals(method) && segmentsMatch(this.path, path);
        }

        int literalSegments() {
            return (int) this.path.chars().filter(c -> c == '/').count()
                    - (int) this.path.chars().filter(c -> c == '{').count();
        }
    }

    /** The description the api at {@code base} (for example {@code http://127.0.0.1:8000}) serves; read once. */
    public static ApiContract of(String base) {
        return BY_BASE.computeIfAbsent(base, ApiContract::load);
    }

    public List<Operation> operations() {
        return operations;
    }

    /**
     * @throws AssertionError when the operation that answered does not document {@code status}
     */
    public void assertDocumented(String method, URI uri, int status) {
        String path = uri.getRawPath();
        Optional<Operation> operation = operationFor(method.toUpperCase(Locale.ROOT), path);
        if (operation.isEmpty()) {
            return;
        }
        Set<String> documented = operation.get().statuses();
        if (!documented.contains(Integer.toString(status)) && !documented.contains("default")) {
            throw new AssertionError(method + " " + path + " answered " + status + ", which its operation "
                    + operation.get().method() + " " + operation.get().path() + " does not document (it documents "
                    + new TreeSet<>(documented) + ")");
        }
    }

    /** The operation that answers {@code method path}: the one with the most literal segments. */
    public Optional<Operation> operationFor(String method, String path) {
        return operations.stream().filter(operation -> operation.matches(method, path))
                .max((a, b) -> Integer.compare(a.literalSegments(), b.literalSegments()));
    }

    private static boolean segmentsMatch(String template, String path) {
        String[] expected = template.split("/", -1);
        String[] actual = path.split("/", -1);
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(expected[i].startsWith("{") && expected[i].endsWith("}") && !actual[i].isEmpty())
                    && !expected[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }

    private static ApiContract load(String base) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode docs;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v3/api-docs"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(base + "/v3/api-docs answered " + response.statusCode());
            }
            docs = JSON.readTree(response.body());
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot read " + base + "/v3/api-docs: " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : docs.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                JsonNode operation = method.getValue();
                Set<String> statuses = new TreeSet<>(operation.get("responses").propertyNames());
                boolean admin = false;
                for (JsonNode requirement : operation.path("security")) {
                    admin |= requirement.has("admin");
                }
                Set<String> types = new TreeSet<>(operation.path("requestBody").path("content").propertyNames());
                operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), statuses, admin,
                        types));
            }
        }
        return new ApiContract(operations);
    }
}
