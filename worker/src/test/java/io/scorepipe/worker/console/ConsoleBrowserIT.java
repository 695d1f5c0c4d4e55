package io.scorepipe.worker.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.TrainingExamples;
import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.testing.AppProcess;
import io.scorepipe.testing.TestServices;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console in a real browser: Debian's headless Chromium, driven through Debian's chromedriver
 * (never a downloaded one), against the api as its own process and this worker. It signs in, reads
 * the models and their chart, promotes a version with the button, uploads a file through the form
 * and watches its progress reach 100%, sends inputs with one feature moved and finds it flagged on
 * the drift page, and looks at the live page. A screenshot of every page is kept in
 * {@code target/console-screenshots} (and, when {@code scorepipe.screenshots.dir} is set, there too:
 * {@code scripts/screenshots} refreshes the README's).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleBrowserIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TOKEN = "console-token-" + UUID.randomUUID();
    static final BundledSample SAMPLE = BundledSample.diabetes();
    static final Map<String, Object> PROPERTIES = new HashMap<>();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Path SHOTS = Path.of("target", "console-screenshots");
    static Path dataDir;
    static AppProcess api;
    static int apiPort;

    @Autowired
    TrainingExamples examples;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws IOException {
        dataDir = Files.createTempDirectory("scorepipe-data");
        PROPERTIES.putAll(TestServices.springProperties("console"));
        PROPERTIES.put("scorepipe.data-dir", dataDir.toString());
        PROPERTIES.put("scorepipe.retrain.cron", "-");
        PROPERTIES.put("scorepipe.batch.poll-interval", "200ms");
        PROPERTIES.put("scorepipe.batch.group-id", TestServices.uniqueName("batch"));
        PROPERTIES.put("scorepipe.batch.max-rows-per-second", "4000");
        PROPERTIES.put("scorepipe.drift.interval", "1s");
        PROPERTIES.put("scorepipe.drift.min-rows", "300");
        PROPERTIES.put("scorepipe.console.sample-interval", "1s");
        PROPERTIES.put("scorepipe.admin.token-file", TestServices.adminTokenFile(TOKEN));
        PROPERTIES.forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void stopApi() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void signInModelsPromotionUploadDriftAndLive() throws Exception {
        // given the api beside this worker, and version 2 of the sample model, trained here on labels moved up by 50
        apiPort = TestServices.freePort();
        Map<String, Object> apiProperties = new HashMap<>(PROPERTIES);
        apiProperties.put("server.port", apiPort);
        api = AppProcess.startApi("api", apiProperties);
        await().ignoreExceptions().atMost(Duration.ofSeconds(120)).until(api::started);
        List<LabelledRow> moved = SAMPLE.rows().stream().map(row -> new LabelledRow(row.features(), row.target() + 50))
                .toList();
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < moved.size(); i++) {
            refs.add("moved:" + i);
        }
        examples.add(ModelNames.SAMPLE, SAMPLE.schema(), moved, "test", refs);
        HttpResponse<String> retrain = HTTP.send(HttpRequest.newBuilder(URI.create(url("/models/diabetes/retrain")))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(retrain.statusCode()).as(retrain.body()).isEqualTo(202);
        await().ignoreExceptions().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                "v2".equals(JSON.readTree(get("/models/diabetes", null).body()).path("champion").asString()));

        // every console call without the token is refused
        for (String call : List.of("/console/api/session", "/console/api/live", "/console/api/data/models",
                "/console/api/data/batches", "/console/api/data/models/diabetes/drift")) {
            assertThat(get(call, null).statusCode()).as(call).isEqualTo(401);
            assertThat(get(call, "Bearer not-" + TOKEN).statusCode()).as(call).isEqualTo(401);
        }
        assertThat(get("/console/api/data/models", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/console/api/data/actuator/health", "Bearer " + TOKEN).statusCode()).isEqualTo(404);

        ChromeDriver browser = browser();
        try {
            // the console without the token shows the sign-in box and nothing else
            browser.get(url("/"));
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("sign-in")).isDisplayed());
            assertThat(browser.getCurrentUrl()).endsWith("/console/");
            assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("page")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("page")).getText()).isEmpty();
            browser.findElement(By.id("token")).sendKeys("wrong");
            browser.findElement(By.cssSelector("#sign-in-form button")).click();
            await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElement(By.id("sign-in-error")).getText().isEmpty());
            assertThat(browser.findElement(By.id("page")).isDisplayed()).isFalse();
            shot(browser, "sign-in");

            // signed in: the models, the versions with their figures, the chart
            browser.findElement(By.id("token")).clear();
            browser.findElement(By.id("token")).sendKeys(TOKEN);
            browser.findElement(By.cssSelector("#sign-in-form button")).click();
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.cssSelector("#versions-table tr[data-version]")).isEmpty());
            assertThat(browser.findElement(By.cssSelector("tr[data-model='diabetes'] .champion")).getText()).isEqualTo("v2");
            assertThat(browser.findElements(By.cssSelector("#versions-table tr[data-version]"))).hasSize(2);
            assertThat(browser.findElement(By.cssSelector("#versions-table tr[data-version='v1']")).getText()).contains("Promote");
            assertThat(browser.findElements(By.cssSelector("#metrics-chart canvas"))).isNotEmpty();
            assertThat(browser.findElement(By.id("metrics-chart")).getText()).contains("RMSE", "MAE", "R²");
            assertThat(browser.findElement(By.id("promotions-table")).getText()).contains("bootstrap", "retrain");
            shot(browser, "models");

            // promote v1 with its button: the dialog says what it will do, and the champion changes
            browser.findElement(By.cssSelector("button.promote[data-version='v1']")).click();
            await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("confirm")).isDisplayed());
            assertThat(browser.findElement(By.id("confirm-text")).getText()).contains("Promote v1 of diabetes", "replaces v2");
            browser.findElement(By.id("confirm-ok")).click();
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("champion")).getText().equals("v1"));
            assertThat(browser.findElement(By.cssSelector("#versions-table tr[data-version='v1']")).getText()).contains("champion");

            // drift: inputs with bmi moved up are flagged, the rest are not (before the file below, whose
            // unmoved rows are audited predictions too and would dilute the window)
            int bmi = SAMPLE.schema().names().indexOf("bmi");
            for (LabelledRow row : SAMPLE.rows()) {
                double[] features = row.features().clone();
                features[bmi] += 0.1;
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url("/predict")))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("features", features))))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
            }
            browser.get(url("/console/#drift"));
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                browser.navigate().refresh();
                return !browser.findElements(By.cssSelector(".drift-feature[data-feature='bmi'].shifted")).isEmpty();
            });
            // (the predictions move with bmi, so their own card may be flagged too: it is not a feature)
            assertThat(browser.findElements(By.cssSelector(".drift-feature.shifted"))).extracting(e -> e.getAttribute("data-feature"))
                    .filteredOn(name -> !name.equals("prediction")).containsExactly("bmi");
            assertThat(browser.findElements(By.cssSelector(".drift-feature"))).hasSize(SAMPLE.schema().size() + 1);
            assertThat(browser.findElement(By.cssSelector(".drift-feature[data-feature='bmi'] .psi")).getText()).contains("shifted");
            shot(browser, "drift");

            // batches: a file through the upload form, its progress bar to 100%
            Path file = csv(12_000);
            browser.get(url("/console/#batches"));
            await().ignoreExceptions().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.id("upload-file")).isEmpty());
            browser.findElement(By.id("upload-file")).sendKeys(file.toAbsolutePath().toString());
            browser.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
            await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector("#batches-table tr[data-status='running']")).size()
                    + browser.findElements(By.cssSelector("#batches-table tr[data-status='completed']")).size() > 0);
            List<String> progress = new ArrayList<>();
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                WebElement bar = browser.findElement(By.cssSelector("#batches-table tr[data-batch] .progress"));
                progress.add(bar.getAttribute("aria-valuenow"));
                if (progress.size() == 4) {
                    shot(browser, "batches-running");
                }
                return "100".equals(bar.getAttribute("aria-valuenow"));
            });
            WebElement done = browser.findElement(By.cssSelector("#batches-table tr[data-batch]"));
            assertThat(done.getAttribute("data-status")).isEqualTo("completed");
            assertThat(done.getText()).contains(file.getFileName().toString(), "12000 / 12000", "results");
            assertThat(progress.stream().anyMatch(value -> !value.equals("0") && !value.equals("100"))).as(progress.toString())
                    .isTrue();
            shot(browser, "batches");

            // live: the api's traffic, latency, cache, errors and lag
            browser.get(url("/console/#live"));
            await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector("#live-rps canvas")).size() > 0
                    && browser.findElement(By.id("live-note")).getText().contains("so far"));
            assertThat(browser.findElement(By.id("live-rps")).getText()).contains("predict diabetes");
            assertThat(browser.findElement(By.id("live-latency")).getText()).contains("p50", "p99");
            assertThat(browser.findElement(By.id("live-lag")).getText()).contains("stream", "audit sink");
            shot(browser, "live");

            // signing out leaves the sign-in box only
            browser.findElement(By.id("sign-out")).click();
            await().ignoreExceptions().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("sign-in")).isDisplayed());
            assertThat(browser.findElement(By.id("page")).isDisplayed()).isFalse();
        }
        finally {
            browser.quit();
        }
    }

    private static ChromeDriver browser() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("scorepipe.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("scorepipe.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1300", "--hide-scrollbars", "--lang=en-GB");
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return driver;
    }

    private static void shot(ChromeDriver browser, String name) throws IOException {
        Files.createDirectories(SHOTS);
        Path png = SHOTS.resolve(name + ".png");
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), png,
                StandardCopyOption.REPLACE_EXISTING);
        String docs = System.getProperty("scorepipe.screenshots.dir");
        if (docs != null && !docs.isBlank()) {
            Files.createDirectories(Path.of(docs));
            Files.copy(png, Path.of(docs).resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path csv(int rows) throws IOException {
        Path file = Files.createTempDirectory("console-upload").resolve("patients-" + rows + ".csv");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("patient," + String.join(",", SAMPLE.schema().names()) + "\n");
            for (int i = 0; i < rows; i++) {
                out.write("p" + i);
                for (double value : SAMPLE.rows().get(i % SAMPLE.rows().size()).features()) {
                    out.write("," + value);
                }
                out.write("\n");
            }
        }
        return file;
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + apiPort + path;
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
