package io.scorepipe.api.system;

import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Says what is wrong with a JSON body that Jackson could not read, in the caller's terms: where,
 * which field, what was expected and what came. Jackson's own words name Java types
 * ({@code java.util.ArrayList<java.lang.Object>}), which mean nothing to a caller.
 */
final class BodyProblems {

    private static final Pattern SOURCE = Pattern.compile("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)|\\s*at \\[Source:[^\\]]*\\]");

    private BodyProblems() {
    }

    static String describe(JacksonException json) {
        TokenStreamLocation location = json.getLocation();
        String where = location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return "the body is not valid JSON of the expected shape" + where + ": " + what(json);
    }

    private static String what(JacksonException json) {
        // "Cannot deserialize value of type X from Y": a value of the wrong JSON type, where we can say which
        if (json instanceof MismatchedInputException mismatch && json.getOriginalMessage().startsWith("Cannot deserialize")) {
            String field = json.getPath().isEmpty() ? "the body" : "'" + path(json) + "'";
            return field + " must be " + expected(mismatch.getTargetType()) + ", got " + kind(mismatch.getCurrentToken());
        }
        // Jackson appends where its input came from; the location above says it better
        return SOURCE.matcher(json.getOriginalMessage()).replaceAll("").strip();
    }

    private static String path(JacksonException json) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : json.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            }
            else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return Map.class.isAssignableFrom(type) ? "an object" : "a JSON object";
    }

    private static String kind(@Nullable JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "something else";
        };
    }
}
