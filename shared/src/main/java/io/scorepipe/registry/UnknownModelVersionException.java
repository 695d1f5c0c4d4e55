package io.scorepipe.registry;

/** A model version was named that the registry does not hold. */
public class UnknownModelVersionException extends RuntimeException {

    private final String label;

    public UnknownModelVersionException(String label) {
        super("no model version '" + label + "' is registered");
        this.label = label;
    }

    public String label() {
        return label;
    }
}
