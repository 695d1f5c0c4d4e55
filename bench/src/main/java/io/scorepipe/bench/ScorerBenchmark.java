package io.scorepipe.bench;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.tribuo.Model;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import io.scorepipe.scoring.BundledSample;
import io.scorepipe.scoring.ModelTrainer;
import io.scorepipe.scoring.Scorer;
import io.scorepipe.scoring.TrainedModel;
import io.scorepipe.scoring.TrainingConfig;

/**
 * The scorer's cost per row on the bundled model: one row at a time, batches of 1000, and
 * Tribuo's own {@code predict} per row for comparison. One thread, so the figures are one core's.
 */
@State(Scope.Benchmark)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScorerBenchmark {

    static final int BATCH = 1000;

    private Scorer scorer;
    private Model<Regressor> model;
    private String[] names;
    private double[][] rows;
    private double[] out;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
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
        for (double[] row : rows) {
            double tribuo = model.predict(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, row))
                    .getOutput().getValues()[0];
            double ours = scorer.score(row);
            if (Math.abs(ours - tribuo) > 1e-9 * Math.abs(tribuo)) {
                throw new IllegalStateException("scorer disagrees with Tribuo: " + ours + " vs " + tribuo);
            }
        }
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

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
