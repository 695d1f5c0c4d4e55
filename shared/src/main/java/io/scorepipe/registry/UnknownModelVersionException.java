package io.scorepipe.registry;

/** A model version was named that the registry does not hold. */
public class UnknownModelVersionException extends RuntimeException {

    private final String model;
    private final String label;

    public UnknownModelVersionException(String model, String label) {
        super("model '" + model + "' has no version '" + label + "'");
        this.model = model;
        this.label = label;
    }

    public String model() {
        return model;
    }

    public String label() {
        return label;
    }
}
