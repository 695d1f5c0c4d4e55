package io.scorepipe.worker.retrain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.scoring.FeatureSchema;

/**
 * Each model's feature schema, read from the registry once: a model's features never change, so
 * a stream of examples costs no query per record. Thread-safe.
 *
 * @param registry where schemas come from
 * @param known the schemas read so far
 */
record ModelSchemas(ModelRegistry registry, Map<String, FeatureSchema> known) {

    ModelSchemas(ModelRegistry registry) {
        this(registry, new ConcurrentHashMap<>());
    }

    /** @throws io.scorepipe.registry.UnknownModelException when there is no such model */
    FeatureSchema of(String model) {
        FeatureSchema schema = known.get(model);
        if (schema == null) {
            schema = registry.requireModel(model).schema();
            known.put(model, schema);
        }
        return schema;
    }
}
