package io.scorepipe.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A reader of Prometheus text: the few series the report reads, summed over whatever other labels they carry. */
final class Prometheus {

    private static final List<String[]> SERIES = List.of(
            new String[] {"jvm_memory_used_bytes", "area=\"heap\""},
            new String[] {"jvm_memory_used_bytes", "id=\"G1 Old Gen\""},
            new String[] {"jvm_memory_used_bytes", "area=\"nonheap\""},
            new String[] {"jvm_buffer_memory_used_bytes", "id=\"direct\""},
            new String[] {"jvm_threads_live_threads", ""},
            new String[] {"jvm_gc_pause_seconds_sum", ""},
            new String[] {"scorepipe_audit_fallbacks_total", ""},
            new String[] {"scorepipe_cache_requests_total", "result=\"error\""},
            new String[] {"scorepipe_cache_requests_total", "result=\"skipped\""},
            new String[] {"http_server_requests_seconds_count", "uri=\"/predict\""},
            new String[] {"http_server_requests_seconds_sum", "uri=\"/predict\""},
            new String[] {"http_server_requests_seconds_max", "uri=\"/predict\""});

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** The series at {@code uri} by "name|labels"; none when the endpoint does not answer 200. */
    Map<String, Double> scrape(URI uri) {
        Map<String, Double> values = new HashMap<>();
        String text;
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return values;
            }
            text = response.body();
        }
        catch (IOException ex) {
            return values;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return values;
        }
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int space = line.lastIndexOf(' ');
            int brace = line.indexOf('{');
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
            String labels = brace >= 0 && brace < space ? line.substring(brace, space) : "";
            for (String[] series : SERIES) {
                if (series[0].equals(name) && labels.contains(series[1])) {
                    try {
                        values.merge(series[0] + "|" + series[1], Double.parseDouble(line.substring(space + 1)),
                                series[0].endsWith("_max") ? Double::max : Double::sum);
                    }
                    catch (NumberFormatException ex) {
                        // NaN or the like: skip
                    }
                }
            }
        }
        return values;
    }

    /** A counter's value (since the process started: the run and its start-up). */
    static double value(Map<String, Double> values, String name, String labels) {
        return values.getOrDefault(name + "|" + labels, 0.0);
    }
}
