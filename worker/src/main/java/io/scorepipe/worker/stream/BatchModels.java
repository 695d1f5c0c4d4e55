package io.scorepipe.worker.stream;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.registry.UnknownModelException;
import io.scorepipe.scoring.ModelException;

/**
 * The models one batch of stream records names, each model's champion leased once for the whole
 * batch (so that the batch scores with one version per model) and let go when the batch is done.
 * A record naming no model is the default model's; one naming a model that does not exist is
 * refused, to be dead-lettered; the default model before it is made is waited for, as a retry.
 * For one thread.
 */
final class BatchModels implements AutoCloseable {

    private final ServingModels serving;
    private final String defaultModel;
    private final Map<String, ServingModels.Lease> leased = new HashMap<>();

    BatchModels(ServingModels serving, String defaultModel) {
        this.serving = serving;
        this.defaultModel = defaultModel;
    }

    /**
     * The champion of the model a record names.
     *
     * @throws StreamScorer.BadRequestException when the record names no model that exists
     * @throws ModelException when the default model does not exist yet, or has no champion yet
     */
    ServingModels.Lease of(@Nullable String model) {
        String name = model == null ? defaultModel : model;
        ServingModels.Lease lease = leased.get(name);
        if (lease == null) {
            if (!ModelNames.isValid(name)) {
                throw new StreamScorer.BadRequestException("model '" + (name.length() > 60 ? name.substring(0, 57)
                        + "..." : name) + "' is not a model name");
            }
            try {
                lease = serving.champion(name);
            }
            catch (UnknownModelException ex) {
                if (name.equals(defaultModel)) {
                    throw new ModelException("the default model " + name + " does not exist yet", ex);
                }
                throw new StreamScorer.BadRequestException(ex.getMessage());
            }
            leased.put(name, lease);
        }
        return lease;
    }

    @Override
    public void close() {
        leased.values().forEach(ServingModels.Lease::close);
        leased.clear();
    }
}
