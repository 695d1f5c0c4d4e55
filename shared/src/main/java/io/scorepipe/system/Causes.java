package io.scorepipe.system;

import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/** Walks an exception's chain of causes, safely (a cause that is its own cause ends the walk). */
public final class Causes {

    private Causes() {
    }

    /** {@code failure} and its causes, outermost first. */
    public static Stream<Throwable> chain(@Nullable Throwable failure) {
        return Stream.iterate(failure, Objects::nonNull, Causes::next);
    }

    /** The first of {@code failure} and its causes that is a {@code type}. */
    public static <T extends Throwable> Optional<T> find(@Nullable Throwable failure, Class<T> type) {
        return chain(failure).filter(type::isInstance).map(type::cast).findFirst();
    }

    /** Whether {@code failure} or one of its causes is a {@code type}. */
    public static boolean causedBy(@Nullable Throwable failure, Class<? extends Throwable> type) {
        return find(failure, type).isPresent();
    }

    /** The last cause in the chain: {@code failure} itself when it has none. */
    public static Throwable root(Throwable failure) {
        return chain(failure).reduce((outer, inner) -> inner).orElse(failure);
    }

    /** The root cause's message, or its type's name when it has none. */
    public static String rootMessage(Throwable failure) {
        Throwable root = root(failure);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static @Nullable Throwable next(Throwable cause) {
        return cause.getCause() == cause ? null : cause.getCause();
    }
}
