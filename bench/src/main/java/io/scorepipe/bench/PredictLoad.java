package io.scorepipe.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Recorder;

/**
 * The {@code POST /predict} load, open loop: a pacer hands out tickets carrying their intended send
 * time and each sender, on its own connection, takes its latency from that time (no coordinated
 * omission).
 */
final class PredictLoad {

    private static final PrintStream log = System.err;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    final LongAdder scheduled = new LongAdder();
    final LongAdder ok = new LongAdder();
    final LongAdder hits = new LongAdder();
    final LongAdder non200 = new LongAdder();
    final LongAdder ioErrors = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final Recorder latency = new Recorder(1, Snapshot.HIGHEST_MICROS, 3);
    /** The slowest answer since the timeline's last line, microseconds. */
    final AtomicLong slowest = new AtomicLong();
    /**
     * Intended send times, nanoTime; at most ten seconds of backlog. (Sized by the rate, so made
     * once it is known: as a field initialiser of the driver it saw a rate of 0 and held 1,000
     * tickets, 0.4 s at 2,500 req/s, and a stall of half a second counted as dropped requests.)
     */
    final ArrayBlockingQueue<Long> tickets;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean pacerDone;

    private final URI uri;
    /** The request's head up to the value of Content-Length. */
    private final byte[] head;
    private final double rate;
    private final double hitShare;
    private final int connections;
    private final SoakVectors vectors;
    private final Ramp ramp;

    PredictLoad(URI uri, double rate, double hitShare, int connections, SoakVectors vectors, Ramp ramp) {
        this.uri = uri;
        head = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.ISO_8859_1);
        this.rate = rate;
        this.hitShare = hitShare;
        this.connections = connections;
        this.vectors = vectors;
        this.ramp = ramp;
        tickets = new ArrayBlockingQueue<>(backlogLimit(rate));
    }

    /** How many requests ten seconds at the rate are, within [1,000, 1,000,000]. */
    private static int backlogLimit(double rate) {
        if (rate <= 0) {
            throw new IllegalStateException("the rate must be set before the backlog is sized");
        }
        return (int) Math.max(1000, Math.min(rate * 10, 1_000_000));
    }

    double rate() {
        return rate;
    }

    double hitShare() {
        return hitShare;
    }

    int connections() {
        return connections;
    }

    int hotCount() {
        return vectors.hotCount();
    }

    void start(long start, long end) {
        threads.add(Thread.ofPlatform().name("predict-pacer").daemon().start(() -> pace(start, end)));
        for (int i = 0; i < connections; i++) {
            SplittableRandom random = new SplittableRandom(7919L * (i + 1) + System.nanoTime());
            threads.add(Thread.ofVirtual().name("predict-" + i).start(() -> send(random)));
        }
    }

    private void pace(long start, long end) {
        try {
            for (long i = 0;;) {
                long intended = start + ramp.ramped(i, rate);
                if (intended >= end) {
                    return;
                }
                long now = System.nanoTime();
                if (intended > now) {
                    LockSupport.parkNanos(Math.min(intended - now, 1_000_000));
                    continue;
                }
                // due, maybe late: each ticket keeps its own intended time
                scheduled.increment();
                if (!tickets.offer(intended)) {
                    dropped.increment();
                    kind("not sent: more than 10 s of backlog in the client (the api, or the client's connections, "
                            + "did not keep up)");
                }
                i++;
            }
        }
        finally {
            pacerDone = true;
        }
    }

    private void send(SplittableRandom random) {
        StringBuilder body = new StringBuilder(400);
        StringBuilder answer = new StringBuilder(200);
        Http1 connection = null;
        while (true) {
            Long intended;
            try {
                intended = tickets.poll(100, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                return;
            }
            if (intended == null) {
                if (pacerDone && tickets.isEmpty()) {
                    if (connection != null) {
                        connection.close();
                    }
                    return;
                }
                continue;
            }
            inFlight.incrementAndGet();
            try {
                double[] features = random.nextDouble() < hitShare ? vectors.hot(random) : vectors.fresh(random);
                body.setLength(0);
                body.append("{\"features\":");
                SoakVectors.appendArray(body, features);
                body.append('}');
                if (connection == null) {
                    connection = new Http1(uri.getHost(), uri.getPort(), REQUEST_TIMEOUT);
                }
                int status = connection.exchange(request(body), answer);
                long micros = (System.nanoTime() - intended) / 1000;
                slowest.accumulateAndGet(micros, Math::max);
                if (!connection.reusable()) {
                    connection.close(); // the server said Connection: close (Tomcat does every 100 requests)
                    connection = null;
                }
                if (status == 200) {
                    latency.recordValue(Math.clamp(micros, 1, Snapshot.HIGHEST_MICROS));
                    ok.increment();
                    if (answer.indexOf("\"cached\":true") >= 0) {
                        hits.increment();
                    }
                }
                else {
                    non200.increment();
                    String text = answer.toString().replaceAll("\\s+", " ");
                    kind("HTTP " + status + ": " + text.substring(0, Math.min(200, text.length())));
                }
            }
            catch (IOException | RuntimeException ex) {
                ioErrors.increment();
                kind(ex.getClass().getName() + ": " + ex.getMessage());
                if (connection != null) {
                    connection.close();
                    connection = null;
                }
            }
            finally {
                inFlight.decrementAndGet();
            }
        }
    }

    /** The request's bytes: the fixed head, the length, the JSON body (ASCII). */
    private byte[] request(StringBuilder body) {
        byte[] length = (body.length() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = new byte[head.length + length.length + body.length()];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(length, 0, bytes, head.length, length.length);
        for (int i = 0, at = head.length + length.length; i < body.length(); i++) {
            bytes[at + i] = (byte) body.charAt(i);
        }
        return bytes;
    }

    private void kind(String what) {
        if (errorKinds.size() < 30 || errorKinds.containsKey(what)) {
            errorKinds.computeIfAbsent(what, k -> new LongAdder()).increment();
        }
    }

    /** Waits for the pacer and the senders to finish, until {@code deadline} at the latest. */
    void await(long deadline) throws InterruptedException {
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                log.println("predict: senders still busy at the drain deadline");
                return;
            }
        }
    }
}
