package io.scorepipe.reliability;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.scorepipe.scoring.BundledSample;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A steady stream of {@code POST /predict} calls at a fixed rate, each answer kept: a quarter
 * repeat a sample row (cache hits), the rest are fresh. Requests are sent by virtual threads
 * with a client timeout longer than anything the api waits for, so that an answer is never
 * abandoned by the client while the api still audits it.
 */
final class PredictLoad implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<double[]> ROWS = BundledSample.diabetes().rows().stream().map(row -> row.features()).toList();

    /** One request and what became of it; {@code status} -1 means no answer arrived. */
    record Answer(int status, String predictionId, String modelVersion, String body) {
    }

    private final Stack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final LongAdder answered200 = new LongAdder();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread pacer;
    private long sequence;

    PredictLoad(Stack stack, int perSecond) {
        this.stack = stack;
        long intervalNanos = 1_000_000_000L / perSecond;
        pacer = Thread.ofPlatform().name("predict-load").start(() -> {
            long next = System.nanoTime();
            while (running.get()) {
                String body = body(sequence++);
                senders.submit(() -> send(body));
                next += intervalNanos;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        });
    }

    private static String body(long n) {
        double[] row = ROWS.get((int) (n % ROWS.size()));
        StringBuilder json = new StringBuilder("{\"features\": [");
        for (int i = 0; i < row.length; i++) {
            // three in four requests are new feature vectors, so most miss the cache
            double value = n % 4 == 0 ? row[i] : row[i] + (n % 100_003) * 1e-9 * (i + 1);
            json.append(i == 0 ? "" : ", ").append(value);
        }
        return json.append("]}").toString();
    }

    private void send(String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.api("/predict"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            String id = null;
            String version = null;
            if (response.statusCode() == 200) {
                JsonNode answer = JSON.readTree(response.body());
                id = answer.get("prediction_id").asString();
                version = answer.get("model_version").asString();
            }
            answers.add(new Answer(response.statusCode(), id, version, response.body()));
            if (response.statusCode() == 200) {
                answered200.increment();
            }
        }
        catch (Exception ex) {
            answers.add(new Answer(-1, null, null, ex.toString()));
        }
    }

    /** How many requests were answered 200 so far. */
    long answered200() {
        return answered200.sum();
    }

    /** Stops sending, waits for the answers in flight, and returns every answer. */
    List<Answer> stop() throws InterruptedException {
        running.set(false);
        pacer.join();
        senders.shutdown();
        senders.awaitTermination(90, TimeUnit.SECONDS);
        return new ArrayList<>(answers);
    }

    static Map<Integer, Long> byStatus(List<Answer> answers) {
        return answers.stream().collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting()));
    }


    @Override
    public void close() throws InterruptedException {
        if (running.get()) {
            stop();
        }
    }
}
