package io.scorepipe.registry;

/** A new model was given the name of one the registry already holds. */
public class ModelNameTakenException extends RuntimeException {

    public ModelNameTakenException(String name) {
        super("a model named '" + name + "' exists already; choose another name, or add a version to it with "
                + "POST /models/" + name + "/versions");
    }
}
