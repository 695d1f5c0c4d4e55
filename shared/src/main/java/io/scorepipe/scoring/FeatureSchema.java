package io.scorepipe.scoring;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.scorepipe.scoring.InvalidInputException.FieldError;
import tools.jackson.core.io.NumberInput;

/**
 * The named, ordered features a model takes, and the one place where raw input (positional
 * values, named values, CSV cells) becomes a {@code double[]} in that order. Tribuo silently
 * drops feature names it does not know, so every check happens here, before scoring.
 *
 * <p>Immutable and thread-safe.
 */
public final class FeatureSchema {

    private static final int MAX_LISTED = 12;

    private final List<String> names;
    private final Map<String, Integer> positions;

    private FeatureSchema(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a feature schema needs at least one feature");
        }
        Map<String, Integer> positions = HashMap.newHashMap(names.size());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || name.isBlank() || !name.strip().equals(name)) {
                throw new IllegalArgumentException("feature " + (i + 1) + " has a blank or padded name: '" + name + "'");
            }
            if (positions.putIfAbsent(name, i) != null) {
                throw new IllegalArgumentException("feature '" + name + "' is named twice");
            }
        }
        this.names = List.copyOf(names);
        this.positions = Map.copyOf(positions);
    }

    public static FeatureSchema of(List<String> names) {
        return new FeatureSchema(names);
    }

    public static FeatureSchema of(String... names) {
        return new FeatureSchema(List.of(names));
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    /** The position of a feature, or -1 when the schema has no such feature. */
    public int indexOf(String name) {
        Integer position = positions.get(name);
        return position == null ? -1 : position;
    }

    /**
     * Reads a JSON-shaped record: an array of values in schema order, or an object keyed by
     * feature name.
     *
     * @throws InvalidInputException naming every field that is wrong and what was expected
     */
    public double[] read(@Nullable Object features) {
        if (features instanceof List<?> values) {
            return fromPositional(values);
        }
        if (features instanceof Map<?, ?> values) {
            return fromNamed(values);
        }
        throw new InvalidInputException("features", "features must be an array of " + size()
                + " numbers (" + describe() + ") or an object keyed by feature name, got " + kind(features));
    }

    /** Reads values given in schema order. */
    public double[] fromPositional(List<?> values) {
        if (values.size() != size()) {
            throw new InvalidInputException("features",
                    "expected " + size() + " features (" + describe() + "), got " + values.size());
        }
        double[] out = new double[size()];
        List<FieldError> errors = new ArrayList<>(0);
        for (int i = 0; i < out.length; i++) {
            out[i] = toDouble(values.get(i), names.get(i), "feature " + (i + 1) + " (" + names.get(i) + ")", errors);
        }
        throwIfAny(errors);
        return out;
    }

    /** Reads values keyed by feature name; every feature must be present, and no other. */
    public double[] fromNamed(Map<?, ?> values) {
        List<FieldError> errors = new ArrayList<>(0);
        Set<String> unknown = new LinkedHashSet<>();
        for (Object key : values.keySet()) {
            if (!(key instanceof String name) || !positions.containsKey(name)) {
                unknown.add(String.valueOf(key));
            }
        }
        if (!unknown.isEmpty()) {
            List<String> shown = unknown.stream().map(FeatureSchema::shownName).toList();
            // the caller's key names the field when it can; a blank or huge one cannot, so the record does
            String first = unknown.iterator().next();
            String field = first.isBlank() || first.length() > 40 ? "features" : first;
            errors.add(new FieldError(field, "unknown feature" + (unknown.size() > 1 ? "s " : " ") + list(shown)));
        }
        List<String> missing = names.stream().filter(name -> !values.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            errors.add(new FieldError(missing.getFirst(), "missing feature" + (missing.size() > 1 ? "s " : " ")
                    + list(missing)));
        }
        if (!errors.isEmpty()) {
            // the expected names once, after the last naming problem, however many there are
            FieldError last = errors.removeLast();
            errors.add(new FieldError(last.field(), last.message() + "; expected " + describe()));
        }
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            String name = names.get(i);
            if (values.containsKey(name)) {
                out[i] = toDouble(values.get(name), name, "feature '" + name + "'", errors);
            }
        }
        throwIfAny(errors);
        return out;
    }

    /**
     * Parses one text cell (a CSV field) for the feature at {@code position}. Accepts what
     * {@link Double#parseDouble} accepts for finite decimal numbers; rejects NaN, infinities,
     * hexadecimal and empty cells.
     */
    public double parseCell(int position, @Nullable String cell) {
        char[] chars = cell == null ? new char[0] : cell.toCharArray();
        return parseCell(position, chars, 0, chars.length);
    }

    /**
     * Parses the cell held in {@code chars[from, to)} by the rules of {@link #parseCell(int, String)}:
     * for a caller that splits a line itself and makes no {@code String} per cell.
     */
    public double parseCell(int position, char[] chars, int from, int to) {
        String name = names.get(position);
        // the label only when there is something to say: a batch parses ten cells a line
        return parseNumber(name, () -> "feature '" + name + "'", chars, from, to);
    }

    /**
     * Parses a text cell of any numeric column (a target, say) by the rules features follow.
     *
     * @param field the column, for the error
     * @param label how the message names it, for example {@code "target"}
     * @throws InvalidInputException naming the column and what it holds
     */
    public static double parseNumber(String field, String label, @Nullable String cell) {
        return parseNumber(field, () -> label, cell);
    }

    private static double parseNumber(String field, Supplier<String> label, @Nullable String cell) {
        char[] chars = cell == null ? new char[0] : cell.toCharArray();
        return parseNumber(field, label, chars, 0, chars.length);
    }

    private static double parseNumber(String field, Supplier<String> label, char[] chars, int from, int to) {
        // stripped as String.strip() strips: every whitespace character is in the basic plane
        while (from < to && Character.isWhitespace(chars[from])) {
            from++;
        }
        while (to > from && Character.isWhitespace(chars[to - 1])) {
            to--;
        }
        if (from == to) {
            throw new InvalidInputException(field, label.get() + " is empty; expected a number");
        }
        if (!looksDecimal(chars, from, to)) {
            throw new InvalidInputException(field, label.get() + " must be a finite decimal number, got '"
                    + abbreviate(chars, from, to) + "'");
        }
        double value;
        try {
            // Jackson's FastDoubleParser: Double.parseDouble's exact value in about half its time
            // (parsing was a third of a batch partition's CPU); from an array, without String.charAt's checks
            value = NumberInput.parseDouble(chars, from, to - from, true);
        }
        catch (NumberFormatException ex) {
            throw new InvalidInputException(field, label.get() + " must be a number, got '"
                    + abbreviate(chars, from, to) + "'");
        }
        if (!Double.isFinite(value)) {
            throw new InvalidInputException(field, label.get() + " is out of range: '" + abbreviate(chars, from, to)
                    + "'");
        }
        return value;
    }

    /** The feature names for a message: all of them when few, else the first ones and a count. */
    public String describe() {
        return list(names);
    }

    private static double toDouble(@Nullable Object value, String field, String label, List<FieldError> errors) {
        switch (value) {
            case Double d -> {
                return finite(d, field, label, errors);
            }
            case Float f -> {
                return finite(f.doubleValue(), field, label, errors);
            }
            case Integer i -> {
                return i;
            }
            case Long l -> {
                return l;
            }
            case Short s -> {
                return s;
            }
            case BigDecimal big -> {
                return finite(big.doubleValue(), field, label, errors);
            }
            case BigInteger big -> {
                return finite(big.doubleValue(), field, label, errors);
            }
            case Number n -> {
                return finite(n.doubleValue(), field, label, errors);
            }
            case null -> errors.add(new FieldError(field, label + " is null; expected a number"));
            default -> errors.add(new FieldError(field, label + " must be a number, got " + kind(value)));
        }
        return Double.NaN;
    }

    private static double finite(double value, String field, String label, List<FieldError> errors) {
        if (Double.isNaN(value)) {
            errors.add(new FieldError(field, label + " is NaN; expected a finite number"));
        }
        else if (Double.isInfinite(value)) {
            errors.add(new FieldError(field, label + " is out of range (" + value + "); expected a finite number"));
        }
        return value;
    }

    private static boolean looksDecimal(char[] chars, int from, int to) {
        // Double.parseDouble also takes "NaN", "Infinity", hex floats and a trailing 'd' or 'f':
        // none of those is a number a CSV producer means.
        for (int i = from; i < to; i++) {
            char c = chars[i];
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    private static String kind(@Nullable Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "a string (\"" + abbreviate(s) + "\")";
            case Boolean b -> "a boolean (" + b + ")";
            case Number n -> "a number (" + abbreviate(n.toString()) + ")";
            case List<?> l -> "an array";
            case Map<?, ?> m -> "an object";
            default -> "a " + value.getClass().getSimpleName();
        };
    }

    /** A caller's feature name for a message: blank ones quoted so they show, long ones cut. */
    private static String shownName(String name) {
        return name.isBlank() ? "'" + name + "'" : abbreviate(name);
    }

    private static String abbreviate(char[] chars, int from, int to) {
        return abbreviate(new String(chars, from, to - from));
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private static String list(List<String> items) {
        if (items.size() <= MAX_LISTED) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, MAX_LISTED)) + ", ... (" + items.size() + " in all)";
    }

    private static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof FeatureSchema schema && names.equals(schema.names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return "FeatureSchema" + names;
    }
}
