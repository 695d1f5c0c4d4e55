package io.scorepipe.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What watches the applications in a deployment, so that the soak's apps see the requests a deployed
 * one sees: compose's readiness probe every {@value #PROBE_SECONDS} s and a Prometheus server's
 * scrape every {@value #SCRAPE_SECONDS} s, each against both actuators.
 *
 * <p>Without them, the only requests besides the load were the driver's own scrapes, once a minute.
 * A request of a kind the JIT has not yet seen (another handler mapping, filter chain and request
 * type on the actuator's port) fails the type checks that the compiled request path speculated on:
 * the JVM deoptimised Tomcat's and Spring MVC's hot methods at each minute's start and recompiled them
 * while the machine was full (JFR: 19 to 50 deoptimisations in that second, class_check traps in
 * {@code ApplicationFilterChain.doFilter}, {@code DispatcherServlet.getHandler} and the argument
 * resolvers, the compiler threads at 40 to 70% of a core for three to four seconds), and
 * {@code /predict} answered 60% of its load meanwhile: p99 spikes of 0.4 to 1.1 s. A deployment
 * that is probed and scraped from its start has shown the JIT those kinds of request before it
 * compiles the hot path.
 */
final class Monitoring implements AutoCloseable {

    static final int PROBE_SECONDS = 10;
    static final int SCRAPE_SECONDS = 15;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("monitoring").factory());

    /**
     * Starts probing and scraping.
     *
     * @param actuators each application's actuator base URL
     */
    Monitoring(List<String> actuators) {
        for (String actuator : actuators) {
            URI readiness = URI.create(actuator + "/actuator/health/readiness");
            URI prometheus = URI.create(actuator + "/actuator/prometheus");
            timer.scheduleAtFixedRate(() -> get(readiness), 0, PROBE_SECONDS, TimeUnit.SECONDS);
            timer.scheduleAtFixedRate(() -> get(prometheus), 0, SCRAPE_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void get(URI uri) {
        try {
            http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        catch (IOException ex) {
            // a probe that fails is what the run's own checks report; here it only has to be sent
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
