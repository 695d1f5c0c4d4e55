package io.scorepipe.api.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.scorepipe.api.system.ApiProblemException;
import io.scorepipe.drift.FeatureProfile;
import io.scorepipe.registry.ChampionRule;
import io.scorepipe.registry.ModelInfo;
import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ModelRegistry;
import io.scorepipe.registry.ModelVersion;
import io.scorepipe.registry.NewModel;
import io.scorepipe.registry.NewModelVersion;
import io.scorepipe.registry.Promoter;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.registry.TrainingExamples;
import io.scorepipe.scoring.FeatureSchema;
import io.scorepipe.scoring.InvalidInputException;
import io.scorepipe.scoring.LabelledRow;
import io.scorepipe.scoring.Metrics;
import io.scorepipe.scoring.ModelException;
import io.scorepipe.scoring.ModelFiles;
import io.scorepipe.scoring.ModelFormat;
import io.scorepipe.scoring.Scorer;
import io.scorepipe.system.Sha256;

/**
 * A model file brought from elsewhere (ONNX, or Tribuo's own format): checked before anything is
 * stored (it loads, its input and output fit the features, a probe batch gives one finite value per
 * row, it is within the size limit), judged like a retrained challenger on the model's held-out
 * labelled examples when it has any, registered as a candidate, and promoted when asked. A name
 * with no model yet becomes one, with the file's features. Thread-safe.
 *
 * @param registry the models
 * @param serving decodes the champion to judge against
 * @param examples the model's labelled examples, the held-out ones judged on
 * @param rule the champion rule
 * @param promoter promotes and announces
 * @param maxBytes the largest file taken ({@code scorepipe.model.max-import-size})
 */
record ModelImports(ModelRegistry registry, ServingModels serving, TrainingExamples examples, ChampionRule rule,
        Promoter promoter, long maxBytes) {

    private static final Logger log = LoggerFactory.getLogger(ModelImports.class);
    /** Held-out examples a probe batch takes at most. */
    private static final int PROBE_ROWS = 100;

    /** When an imported version becomes champion. */
    enum Promote {
        /** Never: it stays a candidate until promoted. */
        FALSE,
        /** At once. */
        TRUE,
        /** When it beats the champion by the usual rule, or the model has none. */
        AUTO;

        static Promote of(@Nullable String value) {
            if (value == null || value.isBlank()) {
                return FALSE;
            }
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "false" -> FALSE;
                case "true" -> TRUE;
                case "auto" -> AUTO;
                default -> throw new InvalidInputException("promote", "promote must be true, false or auto, got '"
                        + (value.length() > 20 ? value.substring(0, 17) + "..." : value) + "'");
            };
        }
    }

    /**
     * What to import.
     *
     * @param model the model's name
     * @param bytes the file
     * @param fileName its name, when it came with one
     * @param format onnx or tribuo, when the caller says
     * @param features the features in the file's input order, comma-separated, when the caller names them
     * @param promote when it becomes champion
     */
    record Upload(String model, byte[] bytes, @Nullable String fileName, @Nullable String format,
            @Nullable String features, Promote promote) {
    }

    /**
     * Checks, judges, registers and maybe promotes an uploaded model file.
     *
     * @throws InvalidInputException for a bad name, parameter or empty file
     * @throws ApiProblemException 422 when the file cannot serve, with the runtime's reason; nothing is stored
     */
    ModelVersion importFile(Upload upload) {
        String name = ModelNames.check("name", upload.model());
        byte[] bytes = upload.bytes();
        if (bytes.length == 0) {
            throw new InvalidInputException("file", "the upload is empty; expected an ONNX or Tribuo model file");
        }
        if (bytes.length > maxBytes) {
            throw refused("the file is " + bytes.length + " bytes; the limit is " + maxBytes
                    + " bytes (scorepipe.model.max-import-size)");
        }
        ModelFormat format = ModelFormat.of(upload.format(), upload.fileName(), bytes);
        Optional<ModelInfo> existing = registry.model(name);
        List<String> declared = features(upload.features());
        if (declared == null && format == ModelFormat.TRIBUO && existing.isPresent()) {
            declared = existing.get().featureNames(); // a Tribuo model finds its features by name
        }
        ModelFiles.Opened opened;
        try {
            opened = ModelFiles.open(format, bytes, declared);
        }
        catch (ModelException ex) {
            throw refused(ex.getMessage());
        }
        try (Scorer file = opened.scorer()) {
            FeatureSchema schema = existing.map(ModelInfo::schema).orElse(file.schema());
            checkSameFeatures(name, existing.isPresent(), file.schema(), schema);
            Scorer inModelOrder = file.taking(schema);
            List<LabelledRow> heldOut = existing.isPresent() ? heldOut(name, schema) : List.of();
            try {
                ModelFiles.probe(inModelOrder, heldOut.isEmpty() ? ModelFiles.plainProbes(schema.size())
                        : heldOut.subList(0, Math.min(PROBE_ROWS, heldOut.size())).stream().map(LabelledRow::features)
                                .toList());
            }
            catch (ModelException ex) {
                throw refused(ex.getMessage());
            }
            Optional<String> champion = serving.championLabel(name).or(() -> registry.champion(name)
                    .map(ModelVersion::label));
            ChampionRule.Verdict verdict = heldOut.isEmpty() ? null : judge(name, inModelOrder, heldOut, champion);
            Decision decision = decide(upload.promote(), verdict, champion.isPresent());
            Map<String, Object> metrics = new LinkedHashMap<>(verdict == null
                    ? Map.of("evaluated_on", "no labelled examples of " + name + " to judge it on") : verdict.metrics());
            metrics.put("decision", decision.promote() ? "promoted" : "not promoted");
            metrics.put("reason", decision.reason());
            ModelVersion registered = registry.registerCreating(new NewModel(name, file.schema().names(), null, "import"),
                    new NewModelVersion(file.schema().names(), metrics, provenance(upload, format, declared != null), 0,
                            format, bytes, profile(name, inModelOrder, heldOut)));
            log.info("Imported {} {} ({}, {} bytes): {}", name, registered.label(), format.dbValue(), bytes.length,
                    decision.reason());
            if (decision.promote()) {
                return promoter.promote(name, registered.label(), decision.reason(), "import");
            }
            if (existing.isEmpty()) {
                promoter.announceNewModel(name, "imported " + registered.label() + " as a candidate");
            }
            return registered;
        }
    }

    /**
     * What an imported version is compared with for drift: the labelled examples it was judged on;
     * none for a new model, whose first scored window serves.
     */
    private static @Nullable FeatureProfile profile(String name, Scorer inModelOrder, List<LabelledRow> heldOut) {
        return heldOut.isEmpty() ? null : FeatureProfile.of("the " + heldOut.size() + " labelled examples of " + name
                + " it was judged on", inModelOrder, heldOut);
    }

    private record Decision(boolean promote, String reason) {
    }

    private static Decision decide(Promote promote, ChampionRule.@Nullable Verdict verdict, boolean hasChampion) {
        return switch (promote) {
            case TRUE -> new Decision(true, "imported with promote=true" + (verdict == null ? "" : "; by the champion rule "
                    + verdict.reason()));
            case FALSE -> new Decision(false, "imported as a candidate (promote=false)" + (verdict == null ? ""
                    : "; by the champion rule " + verdict.reason()));
            case AUTO -> {
                if (!hasChampion) {
                    yield new Decision(true, "imported with promote=auto: no champion to beat");
                }
                if (verdict == null) {
                    yield new Decision(false, "imported with promote=auto, not promoted: the model has no labelled "
                            + "examples to judge it against the champion on; promote it explicitly to serve it");
                }
                yield new Decision(verdict.promote(), "imported with promote=auto: " + verdict.reason());
            }
        };
    }

    private ChampionRule.Verdict judge(String name, Scorer challenger, List<LabelledRow> heldOut,
            Optional<String> champion) {
        Metrics figures = Metrics.evaluate(challenger, heldOut);
        ChampionRule.Champion current = null;
        if (champion.isPresent()) {
            try (ServingModels.Lease lease = serving.version(name, champion.get())) {
                current = new ChampionRule.Champion(lease.label(), Metrics.evaluate(lease.scorer(), heldOut));
            }
        }
        return rule.judge(figures, current, heldOut.size() + " held-out examples (" + rule.holdoutPercent()
                + "% by id hash)");
    }

    private List<LabelledRow> heldOut(String name, FeatureSchema schema) {
        List<LabelledRow> rows = new ArrayList<>();
        for (TrainingExamples.Example example : examples.load(name, schema, 0)) {
            if (rule.heldOut(example.id())) {
                rows.add(example.row());
            }
        }
        return rows;
    }

    private static void checkSameFeatures(String name, boolean exists, FeatureSchema file, FeatureSchema model) {
        if (exists && !new HashSet<>(file.names()).equals(new HashSet<>(model.names()))) {
            throw refused("the file's features " + file.names() + " are not model " + name + "'s " + model.names()
                    + "; every version of a model takes the same features (in any order)");
        }
    }

    private static Map<String, Object> provenance(Upload upload, ModelFormat format, boolean featuresNamed) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("imported", true);
        provenance.put("format", format.dbValue());
        if (upload.fileName() != null) {
            provenance.put("file_name", upload.fileName());
        }
        provenance.put("file_bytes", upload.bytes().length);
        provenance.put("file_sha256", Sha256.hexOf(upload.bytes()));
        provenance.put("features_from", featuresNamed ? "the upload or the model's schema" : "the file");
        return provenance;
    }

    private static @Nullable List<String> features(@Nullable String features) {
        if (features == null || features.isBlank()) {
            return null;
        }
        List<String> names = Arrays.stream(features.split(",", -1)).map(String::strip).toList();
        if (names.stream().anyMatch(String::isEmpty)) {
            throw new InvalidInputException("features", "features must be names separated by commas, such as "
                    + "'sqft,rooms,age'; got '" + (features.length() > 60 ? features.substring(0, 57) + "..." : features)
                    + "'");
        }
        return names;
    }

    private static ApiProblemException refused(String reason) {
        return ApiProblemException.unprocessable("Model refused", reason + "; nothing was stored");
    }
}
