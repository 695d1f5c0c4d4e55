package io.scorepipe.registry;

/** A model was named that the registry does not hold. */
public class UnknownModelException extends RuntimeException {

    private final String name;

    public UnknownModelException(String name) {
        super("no model named '" + name + "' is registered (GET /models lists them)");
        this.name = name;
    }

    public String name() {
        return name;
    }
}
