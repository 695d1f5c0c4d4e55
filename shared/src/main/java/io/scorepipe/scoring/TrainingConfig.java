package io.scorepipe.scoring;

/**
 * Hyperparameters of the SGD trainer (squared loss, AdaGrad).
 *
 * @param epochs passes over the training data
 * @param learningRate AdaGrad's initial learning rate, as a fraction of the target's magnitude (its
 *     standard deviation, or its mean's size when larger): AdaGrad moves each weight by about the
 *     rate per step at first, so the rate must match how far the weights have to go
 * @param epsilon AdaGrad's epsilon, which keeps the first steps finite
 * @param minibatchSize examples per gradient step
 * @param seed the trainer's random seed: the same data and seed give the same model
 */
public record TrainingConfig(int epochs, double learningRate, double epsilon, int minibatchSize, long seed) {

    /**
     * Defaults that reach ordinary least squares' accuracy on the bundled diabetes data and on raw
     * data whose target lies far from zero.
     */
    public static final TrainingConfig DEFAULT = new TrainingConfig(100, 0.1, 0.1, 1, 42L);

    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a positive number, got " + epsilon);
        }
        if (minibatchSize < 1) {
            throw new IllegalArgumentException("minibatchSize must be at least 1, got " + minibatchSize);
        }
    }

    public TrainingConfig withEpochs(int epochs) {
        return new TrainingConfig(epochs, learningRate, epsilon, minibatchSize, seed);
    }
}
