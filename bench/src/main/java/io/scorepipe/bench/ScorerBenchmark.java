package io.scorepipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.tribuo.Model;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.ModelTrainer;
import io.scorepipe.scoring.OnnxModels;
import io.scorepipe.scoring.Scorer;
import io.scorepipe.scoring.TrainedModel;
import io.scorepipe.scoring.TrainingConfig;

/**
 * The scorer's cost per row on the bundled model: one row at a time, batches of 1000, and
 * Tribuo's own {@code predict} per row for comparison; and ONNX Runtime's, behind the same
 * interface, on the scikit-learn tree ensemble of the test fixtures (60 trees of depth 3 over six
 * raw features). One thread, so the figures are one core's.
 */
@State(Scope.Benchmark)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScorerBenchmark {

    static final int BATCH = 1000;

    /** The tree ensemble, read from the repository (the bench runs from its root). */
    static final Path TREES = Path.of("shared/src/test/resources/fixtures/houses/houses-gbt.onnx");
    static final Path TREE_ROWS = Path.of("shared/src/test/resources/fixtures/houses/houses-expected.csv");

    private Scorer scorer;
    private Scorer trees;
    private double[][] treeRows;
    private Model<Regressor> model;
    private String[] names;
    private double[][] rows;
    private double[] out;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        BundledSample sample = BundledSample.diabetes();
        TrainedModel trained = new ModelTrainer(TrainingConfig.DEFAULT).train(sample.schema(), sample.rows());
        scorer = trained.scorer();
        model = trained.model();
        names = sample.schema().names().toArray(String[]::new);
        Random random = new Random(42);
        rows = new double[BATCH][names.length];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextGaussian() * 0.05;
            }
        }
        out = new double[BATCH];
        setUpTrees();
        for (double[] row : rows) {
            double tribuo = model.predict(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, row))
                    .getOutput().getValues()[0];
            double ours = scorer.score(row);
            if (Math.abs(ours - tribuo) > 1e-9 * Math.abs(tribuo)) {
                throw new IllegalStateException("scorer disagrees with Tribuo: " + ours + " vs " + tribuo);
            }
        }
    }

    private void setUpTrees() throws IOException {
        trees = OnnxModels.open(Files.readAllBytes(TREES), null);
        List<String> lines = Files.readAllLines(TREE_ROWS);
        treeRows = new double[BATCH][];
        for (int i = 0; i < BATCH; i++) {
            String[] cells = lines.get(1 + i % (lines.size() - 1)).split(",");
            treeRows[i] = Arrays.stream(cells, 1, 7).mapToDouble(Double::parseDouble).toArray();
            double expected = Double.parseDouble(cells[8]);
            double ours = trees.score(treeRows[i]);
            if (Math.abs(ours - expected) > 1e-5 * Math.abs(expected)) {
                throw new IllegalStateException("ONNX Runtime disagrees with scikit-learn: " + ours + " vs " + expected);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trees.close();
    }

    /** One row, as /predict scores it. */
    @Benchmark
    @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public double singleRow() {
        double[] row = rows[next];
        next = (next + 1) % BATCH;
        return scorer.score(row);
    }

    /** A batch of 1000 rows, as the CSV job and the stream score them; the score is per row. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void batchOf1000(Blackhole blackhole) {
        scorer.scoreAll(rows, out);
        blackhole.consume(out);
    }

    /** Tribuo's own predict for one row, building the Example as a caller must. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public double tribuoPredictRow() {
        double[] row = rows[next];
        next = (next + 1) % BATCH;
        return model.predict(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, row)).getOutput().getValues()[0];
    }

    /** One row through ONNX Runtime's tree ensemble, as /models/{name}/predict scores it. */
    @Benchmark
    @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public double onnxTreeRow() {
        double[] row = treeRows[next];
        next = (next + 1) % BATCH;
        return trees.score(row);
    }

    /** 1000 rows through ONNX Runtime in one run of the session; the score is per row. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void onnxTreeBatchOf1000(Blackhole blackhole) {
        trees.scoreAll(treeRows, out);
        blackhole.consume(out);
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
