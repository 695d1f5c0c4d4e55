package io.scorepipe.registry;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.scorepipe.scoring.InvalidInputException;

/**
 * What a model may be called. A name is {@code [a-z][a-z0-9-]{0,62}}: it appears in URLs, folder
 * names, metric tags and cache keys unescaped. So that a model's routes cannot be mistaken for the
 * default model's older ones, a name may not look like a version label ({@code v} and digits) nor
 * be one of the words the routes use.
 */
public final class ModelNames {

    /** The model that existed before models had names, and that the bundled sample trains. */
    public static final String SAMPLE = "diabetes";

    /** Words of the routes under {@code /models}, and of the folders under the inbox. */
    public static final Set<String> RESERVED = Set.of("current", "retrain", "promotions", "labels", "versions",
            "predict", "rollback", "promote", "models", "batches", "new", "processing", "uploads");

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern VERSION_LABEL = Pattern.compile("v[0-9]+");

    private ModelNames() {
    }

    /** Whether {@code name} may name a model. */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches() && !VERSION_LABEL.matcher(name).matches()
                && !RESERVED.contains(name);
    }

    /**
     * Checks a name a caller gave.
     *
     * @param field the request field that carries it, for the error
     * @throws InvalidInputException saying what is wrong with it
     */
    public static String check(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidInputException(field, field + " is missing; expected a model name such as 'houses'");
        }
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException(field, field + " '" + shown(name) + "' is not a model name: expected a lower-case "
                    + "letter, then up to 62 lower-case letters, digits or '-'");
        }
        if (VERSION_LABEL.matcher(name).matches()) {
            throw new InvalidInputException(field, field + " '" + name + "' looks like a version label (v and digits); "
                    + "choose another model name");
        }
        if (RESERVED.contains(name)) {
            throw new InvalidInputException(field, field + " '" + name + "' is a word the routes use ("
                    + String.join(", ", new TreeSet<>(RESERVED)) + "); choose another model name");
        }
        return name;
    }

    private static String shown(String name) {
        return name.length() <= 40 ? name : name.substring(0, 37) + "...";
    }
}
