package io.scorepipe.api.models;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.api.system.LimitedInputStream;
import io.scorepipe.csv.Csv;
import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.NewModel;
import io.scorepipe.registry.Promoter;
import io.scorepipe.registry.RetrainRuns;
import io.scorepipe.registry.TrainingExamples;
import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.InvalidInputException;
import io.scorepipe.scoring.LabelledRow;

/**
 * A new model from a user's own CSV file. The columns are checked first (the target is there, the
 * features exist, no name twice), then every line; the first problem answers 422 naming its column
 * and line, and nothing is stored. A file that is fit becomes the model (its schema the chosen
 * feature columns in file order) and its rows the model's labelled examples, in one transaction;
 * then a retrain run, on a worker, trains version 1 with the usual trainer, judges it on the
 * hash-chosen held-out rows and promotes it. Thread-safe.
 *
 * @param registry the models
 * @param examples where the rows go, as the model's labelled examples
 * @param admin asks the workers for the first training run
 * @param promoter announces the new model to every instance
 * @param minRows fewest labelled rows a model is trained from ({@code scorepipe.retrain.min-examples})
 * @param maxBytes the largest CSV file taken
 */
record ModelCreation(ModelRegistry registry, TrainingExamples examples, ModelAdminService admin, Promoter promoter,
        int minRows, long maxBytes) {

    private static final Logger log = LoggerFactory.getLogger(ModelCreation.class);

    /**
     * What to make.
     *
     * @param name the new model's name
     * @param target the column to predict
     * @param features the columns to learn from, comma-separated; all others but the target and
     *     {@code ignore} when absent
     * @param ignore columns to pass over (an id, a free-text note), comma-separated
     */
    record Request(@Nullable String name, @Nullable String target, @Nullable String features,
            @Nullable String ignore) {
    }

    /**
     * Reads the file, creates the model with its examples, and asks the workers to train it.
     *
     * @return the retrain run that trains version 1
     * @throws InvalidInputException naming the field, column and line of the first problem
     * @throws io.scorepipe.api.system.PayloadTooLargeException past the size limit
     */
    RetrainRuns.Run create(InputStream body, Request request) throws IOException {
        String name = ModelNames.check("name", request.name());
        if (registry.model(name).isPresent()) {
            throw new InvalidInputException("name", "a model named '" + name + "' exists already; choose another name, "
                    + "or add a version to it with POST /models/" + name + "/versions");
        }
        if (request.target() == null || request.target().isBlank()) {
            throw new InvalidInputException("target", "target is missing: name the column to predict, such as "
                    + "target=price");
        }
        Parsed parsed = parse(new LimitedInputStream(body, maxBytes), request);
        FeatureSchema schema = parsed.schema();
        List<String> refs = new ArrayList<>(parsed.rows().size());
        for (int line : parsed.lines()) {
            refs.add("upload:" + name + ":" + line);
        }
        registry.createModel(new NewModel(name, schema.names(), parsed.target(), "csv"),
                () -> examples.add(name, schema, parsed.rows(), "upload", refs));
        log.info("Created model {} from a CSV file: {} rows, features {}, target {}", name, parsed.rows().size(),
                schema.names(), parsed.target());
        promoter.announceNewModel(name, "created from a CSV file");
        return admin.requestRetrain(name, "create");
    }

    private record Parsed(FeatureSchema schema, String target, List<LabelledRow> rows, List<Integer> lines) {
    }

    private Parsed parse(InputStream body, Request request) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        try {
            String header = reader.readLine();
            if (header == null || header.isBlank()) {
                throw new InvalidInputException("file", "the file is empty; expected a header line naming its columns, "
                        + "then one labelled row per line");
            }
            List<String> columns = columns(header);
            String target = request.target().strip();
            int targetAt = columns.indexOf(target);
            if (targetAt < 0) {
                throw new InvalidInputException("target", "the header has no column '" + target + "' to predict; its "
                        + "columns are " + String.join(", ", columns));
            }
            List<String> ignored = list("ignore", request.ignore(), columns);
            List<String> chosen = request.features() == null || request.features().isBlank()
                    ? columns.stream().filter(c -> !c.equals(target) && !ignored.contains(c)).toList()
                    : list("features", request.features(), columns);
            if (chosen.contains(target)) {
                throw new InvalidInputException("features", "the target '" + target + "' cannot also be a feature");
            }
            if (chosen.isEmpty()) {
                throw new InvalidInputException("features", "no feature columns are left: the header has only the target "
                        + "and ignored columns");
            }
            FeatureSchema schema = FeatureSchema.of(chosen);
            int[] at = chosen.stream().mapToInt(columns::indexOf).toArray();
            return rows(reader, columns, schema, at, target, targetAt);
        }
        catch (CharacterCodingException ex) {
            throw new InvalidInputException("file", "the file is not UTF-8 text (is it a CSV file?)");
        }
    }

    private Parsed rows(BufferedReader reader, List<String> columns, FeatureSchema schema, int[] at, String target,
            int targetAt) throws IOException {
        List<LabelledRow> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        Csv.eachLine(reader, (line, text) -> {
            List<String> cells = cells(text, line, columns.size());
            double[] features = new double[at.length];
            for (int i = 0; i < at.length; i++) {
                String column = columns.get(at[i]);
                try {
                    features[i] = FeatureSchema.parseNumber(column, "line " + line + ", column '" + column + "'",
                            cells.get(at[i]));
                }
                catch (InvalidInputException ex) {
                    throw new InvalidInputException(column, ex.getMessage() + "; every feature column must hold numbers "
                            + "(leave this one out with ignore=" + column + ")");
                }
            }
            rows.add(new LabelledRow(features, FeatureSchema.parseNumber(target, "line " + line + ", target column '"
                    + target + "'", cells.get(targetAt))));
            lines.add(line);
        });
        if (rows.size() < minRows) {
            throw new InvalidInputException("file", "the file has " + rows.size() + " labelled row" + (rows.size() == 1
                    ? "" : "s") + "; at least " + minRows + " are needed to train and judge a model "
                    + "(scorepipe.retrain.min-examples)");
        }
        LabelledRow first = rows.getFirst();
        if (rows.stream().allMatch(row -> row.target() == first.target())) {
            throw new InvalidInputException(target, "the target column '" + target + "' holds " + first.target()
                    + " on every line; there is nothing to predict");
        }
        for (int i = 0; i < at.length; i++) {
            int feature = i;
            if (rows.stream().allMatch(row -> row.features()[feature] == first.features()[feature])) {
                String column = schema.names().get(i);
                throw new InvalidInputException(column, "column '" + column + "' holds " + first.features()[i]
                        + " on every line, so nothing can be learnt from it; leave it out with ignore=" + column);
            }
        }
        return new Parsed(schema, target, rows, lines);
    }

    private static List<String> columns(String header) {
        List<String> columns;
        try {
            columns = Csv.header(header);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidInputException("file", "the header line cannot be read: " + ex.getMessage());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            if (column.isEmpty()) {
                throw new InvalidInputException("file", "column " + (i + 1) + " of the header has no name");
            }
            if (!seen.add(column)) {
                throw new InvalidInputException(column, "the header names column '" + column + "' twice; every column "
                        + "needs a name of its own");
            }
        }
        return columns;
    }

    private static List<String> cells(String text, int line, int width) {
        List<String> cells;
        try {
            cells = Csv.split(text);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidInputException("file", "line " + line + " cannot be read: " + ex.getMessage());
        }
        if (cells.size() != width) {
            throw new InvalidInputException("file", "line " + line + " has " + cells.size() + " columns; the header has "
                    + width);
        }
        return cells;
    }

    /** A comma-separated list of the header's columns, each named once. */
    private static List<String> list(String field, @Nullable String value, List<String> columns) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            String name = part.strip();
            if (!columns.contains(name)) {
                throw new InvalidInputException(field, field + " names '" + name + "', which is not a column of the "
                        + "header; its columns are " + String.join(", ", columns));
            }
            if (!names.add(name)) {
                throw new InvalidInputException(field, field + " names '" + name + "' twice");
            }
        }
        return List.copyOf(names);
    }
}
