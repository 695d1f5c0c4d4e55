package io.scorepipe.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged application jar (the worker's, or the api's for end-to-end tests), run as a separate
 * operating-system process, so a test can kill it the way production does (SIGKILL: no shutdown
 * hooks, no commits).
 */
public final class AppProcess implements AutoCloseable {

    /** Each jar under test, copied once per test JVM; see {@link #privateCopy}. */
    private static final Map<String, Path> COPIES = new HashMap<>();

    private final Process process;
    private final Path log;

    private AppProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the worker with {@code properties} as command-line arguments. */
    public static AppProcess start(String name, Map<String, Object> properties) {
        return start("scorepipe.worker.jar", name, properties);
    }

    /** Starts the api jar with {@code properties} as command-line arguments. */
    public static AppProcess startApi(String name, Map<String, Object> properties) {
        return start("scorepipe.api.jar", name, properties);
    }

    /**
     * Starts {@code app} ("api" or "worker") the way a container does: configured by environment
     * variables, with only {@code properties} added on the command line.
     */
    public static AppProcess startWithEnvironment(String app, String name, Map<String, String> environment,
            Map<String, Object> properties) {
        return start("scorepipe." + app + ".jar", name, environment, properties);
    }

    private static AppProcess start(String jarProperty, String name, Map<String, Object> properties) {
        return start(jarProperty, name, Map.of(), properties);
    }

    private static AppProcess start(String jarProperty, String name, Map<String, String> environment,
            Map<String, Object> properties) {
        String jar = System.getProperty(jarProperty);
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("the jar is not built (system property " + jarProperty + " = " + jar
                    + "); run the tests with 'mvn verify' from the project root, which packages it first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "--sun-misc-unsafe-memory-access=allow", "-jar", privateCopy(jar).toString()));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        if (!properties.containsKey("server.port")) {
            command.add("--server.port=0");
        }
        if (jarProperty.contains(".api.") && !properties.containsKey("management.server.port")) {
            // the api's actuator has a port of its own (8001 by default): never one another process may hold
            command.add("--management.server.port=0");
        }
        try {
            Path log = Files.createTempFile("worker-" + name + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new AppProcess(process, log);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A copy of {@code jar} that only this test JVM uses: a build that rewrites the jar while
     * its process runs would otherwise break the process's class loading mid-test.
     */
    private static synchronized Path privateCopy(String jar) {
        return COPIES.computeIfAbsent(jar, original -> {
            try {
                Path copy = Files.createTempFile("scorepipe-app-", ".jar");
                copy.toFile().deleteOnExit();
                return Files.copy(Path.of(original), copy, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
    }

    /** Whether the log says the application started. */
    public boolean started() {
        return logText().contains("Started WorkerApplication") || logText().contains("Started ApiApplication");
    }

    /** SIGKILL: the process dies at once, mid-transaction, without any shutdown work. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String logText() {
        try {
            return Files.readString(log);
        }
        catch (IOException ex) {
            return "";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(log);
    }
}
