package io.scorepipe.scoring;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.util.Assert;

/**
 * The input record does not fit the model's feature schema. Carries one {@link FieldError} per
 * problem so that a caller can point at each field; the message joins them for people.
 */
public final class InvalidInputException extends ScoringException {

    private final List<FieldError> errors;

    public InvalidInputException(List<FieldError> errors) {
        super(join(errors), null);
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String join(List<FieldError> errors) {
        Assert.notEmpty(errors, "an invalid input has at least one error");
        return errors.stream().map(FieldError::message).collect(Collectors.joining("; "));
    }

    /**
     * One problem with one field of the input.
     *
     * @param field the feature name, or {@code features} when the problem is the whole record
     * @param message what is wrong and what was expected, for a person
     */
    public record FieldError(String field, String message) {
        public FieldError {
            Assert.hasText(field, "field must not be empty");
            Assert.hasText(message, "message must not be empty");
        }
    }
}
