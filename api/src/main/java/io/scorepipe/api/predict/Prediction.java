package io.scorepipe.api.predict;

import java.util.UUID;

/**
 * One answered prediction.
 *
 * @param predictionId its identity, as stored in the audit trail
 * @param value the predicted value
 * @param model the model that scored it
 * @param modelVersion the label of its version that scored it
 * @param cached whether it came from the cache
 */
public record Prediction(UUID predictionId, double value, String model, String modelVersion, boolean cached) {
}
