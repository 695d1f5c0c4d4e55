package io.scorepipe.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The {@code --name value} arguments the bench drivers take. */
final class CliOptions {

    private CliOptions() {
    }

    /** The {@code --name value} pairs of {@code args} from index {@code from} on. */
    static Map<String, String> parse(String[] args, int from, Function<String, IllegalArgumentException> usage) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw usage.apply("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    /** The value of {@code --name}, which must be given and not blank. */
    static String required(Map<String, String> options, String name, Function<String, IllegalArgumentException> usage) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw usage.apply("--" + name + " is required");
        }
        return value;
    }
}
