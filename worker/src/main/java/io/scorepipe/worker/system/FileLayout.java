package io.scorepipe.worker.system;

import java.util.ArrayList;
import java.util.List;

import io.scorepipe.scoring.FeatureSchema;

/**
 * How a CSV header maps to a model: the column of each feature, in schema order. Extra columns
 * (ids, for example) are allowed and pass through to the results. Scored files and labels files
 * alike.
 *
 * @param columns the header's column names
 * @param featureColumns for each schema feature, its column index
 */
public record FileLayout(List<String> columns, int[] featureColumns) {

    private static final int MAX_SHOWN = 20;

    /**
     * @throws IllegalArgumentException when the header lacks features or names a column twice
     */
    public static FileLayout of(FileHeader header, FeatureSchema schema) {
        List<String> columns = header.columns();
        List<String> missing = new ArrayList<>();
        int[] featureColumns = new int[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            String name = schema.names().get(i);
            featureColumns[i] = columns.indexOf(name);
            if (featureColumns[i] < 0) {
                missing.add(name);
            }
            else if (columns.lastIndexOf(name) != featureColumns[i]) {
                throw new IllegalArgumentException("the header names column '" + name + "' twice");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the header " + shown(columns) + " lacks the model's feature"
                    + (missing.size() > 1 ? "s " : " ") + missing + "; expected columns " + schema.names()
                    + " in any order, other columns allowed");
        }
        return new FileLayout(columns, featureColumns);
    }

    /** The header's columns for a message: a line of any length must not make a message of that length. */
    private static String shown(List<String> columns) {
        List<String> shown = columns.stream().limit(MAX_SHOWN)
                .map(column -> column.length() <= 40 ? column : column.substring(0, 37) + "...").toList();
        String list = String.join(", ", shown);
        return "[" + list + (columns.size() > MAX_SHOWN ? ", ... (" + columns.size() + " columns)" : "") + "]";
    }
}
