package io.scorepipe.api.protocols;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.swagger.v3.oas.annotations.media.Schema;

/** The JSON objects of the Open Inference Protocol's REST API, as its specification names them. */
final class OpenInference {

    /** The one output every model gives. */
    static final String OUTPUT = "prediction";
    /** The name of the one-tensor input layout: all features of each row, in the model's order. */
    static final String INPUT = "input";

    private OpenInference() {
    }

    /**
     * {@code $inference_request}.
     *
     * @param id an identifier to echo
     * @param parameters request parameters
     * @param inputs the input tensors
     * @param outputs the outputs asked for
     */
    record InferenceRequest(@JsonProperty("id") @Nullable String id,
            @JsonProperty("parameters") @Nullable Map<String, Object> parameters,
            @JsonProperty("inputs") @Nullable List<RequestInput> inputs,
            @JsonProperty("outputs") @Nullable List<RequestOutput> outputs) {
    }

    /**
     * {@code $request_input}.
     *
     * @param name the tensor's name: {@code input} for rows of all features, or a feature's name
     * @param shape its shape: {@code [N, k]}, or {@code [N]} / {@code [N, 1]} for one feature
     * @param datatype FP64, FP32, INT64 or INT32
     * @param parameters input parameters
     * @param data the values, row-major, flat or nested
     */
    record RequestInput(@JsonProperty("name") @Nullable String name, @JsonProperty("shape") @Nullable List<Long> shape,
            @JsonProperty("datatype") @Nullable String datatype,
            @JsonProperty("parameters") @Nullable Map<String, Object> parameters,
            @Schema(description = "the values, row-major, as a flat or nested array")
            @JsonProperty("data") @Nullable Object data) {
    }

    /**
     * {@code $request_output}.
     *
     * @param name the output asked for: {@code prediction}
     * @param parameters output parameters
     */
    record RequestOutput(@JsonProperty("name") @Nullable String name,
            @JsonProperty("parameters") @Nullable Map<String, Object> parameters) {
    }

    /**
     * {@code $inference_response}.
     *
     * @param modelName the model
     * @param modelVersion the version that scored every row
     * @param id the request's id, when it gave one
     * @param outputs the one output tensor
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InferenceResponse(@JsonProperty("model_name") String modelName,
            @JsonProperty("model_version") String modelVersion, @JsonProperty("id") @Nullable String id,
            @JsonProperty("outputs") List<ResponseOutput> outputs) {
    }

    /**
     * {@code $response_output}.
     *
     * @param name {@code prediction}
     * @param shape {@code [N]}
     * @param datatype {@code FP64}
     * @param data one prediction per row
     */
    record ResponseOutput(@JsonProperty("name") String name, @JsonProperty("shape") List<Long> shape,
            @JsonProperty("datatype") String datatype, @JsonProperty("data") double[] data) {
    }

    /**
     * {@code $metadata_server_response}.
     *
     * @param name the server's name
     * @param version its version
     * @param extensions the protocol extensions it supports
     */
    record ServerMetadata(@JsonProperty("name") String name, @JsonProperty("version") String version,
            @JsonProperty("extensions") List<String> extensions) {
    }

    /**
     * {@code $metadata_model_response}, with the feature names beside it.
     *
     * @param name the model
     * @param versions the versions that may be asked for by name
     * @param platform the framework that scores it: {@code tribuo} or {@code onnxruntime_onnx}
     * @param inputs the rows' tensor, {@code [-1, k]}
     * @param outputs the prediction's tensor, {@code [-1]}
     * @param features the k features, in the input's order; each may also be sent as a tensor of its own
     */
    record ModelMetadata(@JsonProperty("name") String name, @JsonProperty("versions") List<String> versions,
            @JsonProperty("platform") String platform, @JsonProperty("inputs") List<MetadataTensor> inputs,
            @JsonProperty("outputs") List<MetadataTensor> outputs, @JsonProperty("features") List<String> features) {
    }

    /**
     * {@code $metadata_tensor}.
     *
     * @param name the tensor
     * @param datatype its element type
     * @param shape its shape, -1 for a variable dimension
     */
    record MetadataTensor(@JsonProperty("name") String name, @JsonProperty("datatype") String datatype,
            @JsonProperty("shape") List<Long> shape) {
    }

    /**
     * {@code $ready_model_response}, or the server's (without a name).
     *
     * @param name the model, for a model's readiness
     * @param ready whether it can serve now
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Ready(@JsonProperty("name") @Nullable String name, @JsonProperty("ready") boolean ready) {
    }

    /**
     * {@code $live_server_response}.
     *
     * @param live whether the server answers
     */
    record Live(@JsonProperty("live") boolean live) {
    }

    /**
     * The protocol's error object.
     *
     * @param error what is wrong
     */
    record Error(@JsonProperty("error") String error) {
    }
}
