package io.scorepipe.api.models;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.drift.DriftReport;
import io.scorepipe.registry.ModelInfo;

/**
 * A model's drift as {@code GET /models/{name}/drift} shows it.
 *
 * @param model the model
 * @param champion the version serving now (the report may be of the one before, right after a promotion)
 * @param status {@code computed}, or {@code waiting} before the first report
 * @param reason why there is no report yet, when there is none
 * @param report the latest report, when there is one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record DriftView(@JsonProperty("model") String model, @JsonProperty("champion") @Nullable String champion,
        @JsonProperty("status") String status, @JsonProperty("reason") @Nullable String reason,
        @JsonProperty("report") @Nullable DriftReport report) {

    static DriftView computed(ModelInfo model, DriftReport report) {
        return new DriftView(model.name(), model.champion(), "computed", null, report);
    }

    static DriftView waiting(ModelInfo model) {
        String reason = model.champion() == null ? "no version of " + model.name() + " serves yet"
                : "no report yet: a worker compares the audited predictions of " + model.champion() + " with what it "
                        + "learnt from every scorepipe.drift.interval, once the window holds scorepipe.drift.min-rows "
                        + "of them";
        return new DriftView(model.name(), model.champion(), "waiting", reason, null);
    }
}
