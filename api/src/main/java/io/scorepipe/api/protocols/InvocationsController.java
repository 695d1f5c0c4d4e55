package io.scorepipe.api.protocols;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.api.predict.PredictProperties;
import io.scorepipe.api.predict.Prediction;
import io.scorepipe.api.predict.PredictionService;
import io.scorepipe.api.predict.Route;
import io.scorepipe.api.system.ApiProblemException;
import io.scorepipe.api.system.LimitedInputStream;
import io.scorepipe.api.system.ProblemResponse;
import io.scorepipe.csv.Csv;
import io.scorepipe.registry.ModelProperties;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

/**
 * MLflow's scoring protocol, as {@code mlflow models serve} speaks it: {@code POST /invocations}
 * with a pandas-style JSON body ({@code dataframe_split}, {@code dataframe_records}) or a tensor one
 * ({@code instances}, {@code inputs}), or a CSV file; answering {@code {"predictions": [...]}}. The
 * default model scores, or the one named by {@code ?model=}. As pandas would, columns other than
 * the model's features are passed over; a missing feature refuses the request. Errors are
 * MLflow's {@code {"error_code": ..., "message": ...}}.
 *
 * @param serving the decoded versions
 * @param predictions the scoring core
 * @param models the default model
 * @param properties the row and body limits
 */
@RestController
@Tag(name = "mlflow", description = "MLflow scoring protocol")
record InvocationsController(ServingModels serving, PredictionService predictions, ModelProperties models,
        PredictProperties properties) {

    /**
     * The answer.
     *
     * @param predictions one per row, in order
     */
    record Predictions(@JsonProperty("predictions") double[] predictions) {
    }

    @Operation(summary = "Liveness, as MLflow's scoring server answers it")
    @GetMapping("/ping")
    String ping() {
        return "";
    }

    @Operation(summary = "Score rows (MLflow's JSON formats)", description = "One of: dataframe_split {\"columns\": "
            + "[...], \"data\": [[...], ...]}; dataframe_records [{\"col\": value, ...}, ...]; instances [[...] or {...}, "
            + "...]; inputs (rows as instances, or columns {\"col\": [...], ...}). Each row is scored, cached and "
            + "audited (route invocations) as POST /predict scores a row.")
    @ProblemResponse(status = 400, when = "the body has none or several of the formats, a feature column is missing, a "
            + "value is not a number, params are sent, or there are more rows than the limit")
    @ProblemResponse(status = 404, when = "no model has the name given as model")
    @ProblemResponse(status = 503, when = "the model has no champion yet, or the audit trail is unavailable")
    @PostMapping(path = "/invocations", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Predictions invoke(@Parameter(description = "the model (default: the default model)", example = "diabetes")
            @RequestParam(required = false) @Nullable String model,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(type = "object",
                    example = "{\"dataframe_split\": {\"columns\": [\"age\", \"sex\", \"bmi\", \"bp\", \"s1\", \"s2\", "
                            + "\"s3\", \"s4\", \"s5\", \"s6\"], \"data\": [[0.038, 0.051, 0.062, 0.022, -0.044, -0.035, "
                            + "-0.043, -0.003, 0.020, -0.018]]}}")))
            @RequestBody Map<String, Object> body) {
        try (ServingModels.Lease lease = serving.champion(name(model))) {
            return score(lease, jsonRows(body, lease.scorer().schema()));
        }
    }

    @Operation(summary = "Score rows (a CSV file)", description = "A header naming the columns, then one row per line; "
            + "columns other than the model's features are passed over.")
    @ProblemResponse(status = 400, when = "a feature column is missing, a value is not a number, or there are more "
            + "rows than the limit")
    @ProblemResponse(status = 404, when = "no model has the name given as model")
    @ProblemResponse(status = 413, when = "the file is larger than scorepipe.predict.max-body-size (1 MB)")
    @ProblemResponse(status = 503, when = "the model has no champion yet, or the audit trail is unavailable")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "text/csv",
            schema = @Schema(type = "string")))
    @PostMapping(path = "/invocations", consumes = "text/csv", produces = MediaType.APPLICATION_JSON_VALUE)
    Predictions invokeCsv(@Parameter(description = "the model (default: the default model)", example = "diabetes")
            @RequestParam(required = false) @Nullable String model, HttpServletRequest request) throws IOException {
        try (ServingModels.Lease lease = serving.champion(name(model));
                InputStream body = new LimitedInputStream(request.getInputStream(),
                        properties.maxBodySize().toBytes())) {
            return score(lease, csvRows(body, lease.scorer().schema()));
        }
    }

    private String name(@Nullable String model) {
        return model == null || model.isBlank() ? models.defaultName() : model.strip();
    }

    private Predictions score(ServingModels.Lease model, List<double[]> rows) {
        if (rows.isEmpty()) {
            throw ApiProblemException.badRequest("there are no rows to score");
        }
        if (rows.size() > properties.maxBatchRows()) {
            throw ApiProblemException.badRequest("at most " + properties.maxBatchRows() + " rows per request, got "
                    + rows.size());
        }
        List<Prediction> scored = predictions.scoreRows(model, rows, null, Route.INVOCATIONS);
        return new Predictions(scored.stream().mapToDouble(Prediction::value).toArray());
    }

    /** The rows of MLflow's JSON formats. */
    static List<double[]> jsonRows(Map<String, Object> body, FeatureSchema schema) {
        Object params = body.get("params");
        if (params instanceof Map<?, ?> map && !map.isEmpty() || params != null && !(params instanceof Map<?, ?>)) {
            throw ApiProblemException.badRequest("params are not supported: the models take no inference parameters");
        }
        List<String> formats = body.keySet().stream().filter(key -> !key.equals("params")).toList();
        if (formats.size() != 1) {
            throw ApiProblemException.badRequest("the body must hold exactly one of dataframe_split, dataframe_records, "
                    + "instances or inputs; it holds " + (formats.isEmpty() ? "none" : String.join(", ", formats)));
        }
        String format = formats.getFirst();
        Object value = body.get(format);
        return switch (format) {
            case "dataframe_split" -> split(value, schema);
            case "dataframe_records" -> records(list(value, format), schema);
            case "instances" -> KServeV1Controller.rows(list(value, format), schema);
            case "inputs" -> value instanceof Map<?, ?> columns ? records(transpose(columns), schema)
                    : KServeV1Controller.rows(list(value, format), schema);
            default -> throw ApiProblemException.badRequest("unknown format '" + format + "': send dataframe_split, "
                    + "dataframe_records, instances or inputs");
        };
    }

    private static List<double[]> split(@Nullable Object value, FeatureSchema schema) {
        if (!(value instanceof Map<?, ?> split) || !(split.get("columns") instanceof List<?> columns)
                || !(split.get("data") instanceof List<?> data)) {
            throw ApiProblemException.badRequest("dataframe_split must be {\"columns\": [...], \"data\": [[...], ...]}");
        }
        List<Map<String, Object>> records = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            if (!(data.get(i) instanceof List<?> row) || row.size() != columns.size()) {
                throw ApiProblemException.badRequest("dataframe_split row " + i + " must be an array of "
                        + columns.size() + " values, one per column");
            }
            Map<String, Object> record = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                record.put(String.valueOf(columns.get(c)), row.get(c));
            }
            records.add(record);
        }
        return records(records, schema);
    }

    /** Rows by column name, passing over the columns that are not features, as a pandas frame would. */
    private static List<double[]> records(List<?> records, FeatureSchema schema) {
        List<double[]> rows = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            if (!(records.get(i) instanceof Map<?, ?> record)) {
                throw ApiProblemException.badRequest("row " + i + " must be an object keyed by column name");
            }
            Map<String, Object> features = new LinkedHashMap<>();
            record.forEach((key, cell) -> {
                if (schema.indexOf(String.valueOf(key)) >= 0) {
                    features.put(String.valueOf(key), cell);
                }
            });
            try {
                rows.add(schema.fromNamed(features));
            }
            catch (InvalidInputException ex) {
                throw ApiProblemException.badRequest("row " + i + ": " + ex.getMessage());
            }
        }
        return rows;
    }

    private static List<Map<String, Object>> transpose(Map<?, ?> columns) {
        int n = -1;
        for (Map.Entry<?, ?> column : columns.entrySet()) {
            if (!(column.getValue() instanceof List<?> values) || n >= 0 && values.size() != n) {
                throw ApiProblemException.badRequest("inputs as columns must map each column to an array, all of one "
                        + "length");
            }
            n = values.size();
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (int r = 0; r < Math.max(n, 0); r++) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (Map.Entry<?, ?> column : columns.entrySet()) {
                record.put(String.valueOf(column.getKey()), ((List<?>) column.getValue()).get(r));
            }
            records.add(record);
        }
        return records;
    }

    private static List<?> list(@Nullable Object value, String format) {
        if (!(value instanceof List<?> list)) {
            throw ApiProblemException.badRequest(format + " must be an array of rows");
        }
        return list;
    }

    /** The rows of a CSV body: the features' columns by the header, the others passed over. */
    static List<double[]> csvRows(InputStream body, FeatureSchema schema) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String header = reader.readLine();
        if (header == null || header.isBlank()) {
            throw ApiProblemException.badRequest("the CSV is empty; expected a header naming the columns");
        }
        List<String> columns = Csv.header(header);
        int[] at = new int[schema.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = columns.indexOf(schema.names().get(i));
            if (at[i] < 0) {
                throw ApiProblemException.badRequest("column '" + schema.names().get(i) + "' is missing; the model takes "
                        + schema.describe());
            }
        }
        List<double[]> rows = new ArrayList<>();
        Csv.eachLine(reader, (number, line) -> {
            try {
                List<String> cells = Csv.split(line);
                if (cells.size() != columns.size()) {
                    throw new IllegalArgumentException("it has " + cells.size() + " columns; the header has "
                            + columns.size());
                }
                double[] row = new double[at.length];
                for (int i = 0; i < at.length; i++) {
                    row[i] = schema.parseCell(i, cells.get(at[i]));
                }
                rows.add(row);
            }
            catch (IllegalArgumentException | InvalidInputException ex) {
                throw ApiProblemException.badRequest("line " + number + ": " + ex.getMessage());
            }
        });
        return rows;
    }
}
