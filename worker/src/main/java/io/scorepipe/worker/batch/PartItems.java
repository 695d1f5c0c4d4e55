package io.scorepipe.worker.batch;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.scope.ScopedObject;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * The reader and the processor of a partition, as the step sees them: each call goes to that
 * partition's own step-scoped {@link LineReader} and {@link LineScorer}, looked up once when the
 * partition opens; the items are blocks of lines, scored line by line. Called through their scoped proxies instead, every line paid two bean lookups
 * in the step scope (JFR: up to a tenth of a partition's CPU). A partition runs on one thread from
 * open to close, so the targets are kept per thread; the step scope still creates and closes them.
 */
final class PartItems implements ItemStreamReader<List<Lines.Raw>>, ItemProcessor<List<Lines.Raw>, List<Lines.Outcome>> {

    private final Object readerProxy;
    private final Object scorerProxy;
    private final ThreadLocal<LineReader> reader = new ThreadLocal<>();
    private final ThreadLocal<LineScorer> scorer = new ThreadLocal<>();

    /**
     * @param readerProxy the step-scoped {@link LineReader} bean (its scoped proxy)
     * @param scorerProxy the step-scoped {@link LineScorer} bean (its scoped proxy)
     */
    PartItems(Object readerProxy, Object scorerProxy) {
        this.readerProxy = readerProxy;
        this.scorerProxy = scorerProxy;
    }

    @Override
    public void open(ExecutionContext context) {
        // inside the partition's step scope: the proxies resolve to this partition's beans
        LineReader partReader = (LineReader) target(readerProxy);
        reader.set(partReader);
        scorer.set((LineScorer) target(scorerProxy));
        partReader.open(context);
    }

    private static Object target(Object bean) {
        return bean instanceof ScopedObject scoped ? scoped.getTargetObject() : bean;
    }

    @Override
    public @Nullable List<Lines.Raw> read() throws Exception {
        return current(reader).read();
    }

    @Override
    public List<Lines.Outcome> process(List<Lines.Raw> block) {
        LineScorer partScorer = current(scorer);
        List<Lines.Outcome> outcomes = new ArrayList<>(block.size());
        for (Lines.Raw line : block) {
            outcomes.add(partScorer.process(line));
        }
        return outcomes;
    }

    @Override
    public void update(ExecutionContext context) {
        current(reader).update(context);
    }

    @Override
    public void close() {
        LineReader partReader = reader.get();
        reader.remove();
        scorer.remove();
        if (partReader != null) {
            partReader.close();
        }
    }

    private static <T> T current(ThreadLocal<T> part) {
        T target = part.get();
        if (target == null) {
            throw new IllegalStateException("the partition's items are used before it opened, or on another thread");
        }
        return target;
    }
}
