package io.scorepipe.scoring;

import java.util.Arrays;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** How a model version's bytes are to be read. */
public enum ModelFormat {
    /** A Tribuo {@code Model<Regressor>} in Tribuo's protobuf format: trained here, or brought by a user. */
    TRIBUO("tribuo-protobuf"),
    /** An ONNX graph, scored by ONNX Runtime. */
    ONNX("onnx");

    private final String dbValue;

    ModelFormat(String dbValue) {
        this.dbValue = dbValue;
    }

    /** The registry's name of the format. */
    public String dbValue() {
        return dbValue;
    }

    public static ModelFormat fromDb(String value) {
        return Arrays.stream(values()).filter(format -> format.dbValue.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown model format '" + value + "' in the registry"));
    }

    /**
     * The format a caller named ({@code onnx}, {@code tribuo}), or else the one the file's name
     * ({@code .onnx}) or its bytes (a Tribuo model's protobuf names its class) say.
     *
     * @throws InvalidInputException for a format name that is neither
     */
    public static ModelFormat of(@Nullable String named, @Nullable String fileName, byte[] bytes) {
        if (named != null && !named.isBlank()) {
            return switch (named.strip().toLowerCase(Locale.ROOT)) {
                case "onnx" -> ONNX;
                case "tribuo", "tribuo-protobuf" -> TRIBUO;
                default -> throw new InvalidInputException("format", "format must be onnx or tribuo, got '"
                        + (named.length() > 40 ? named.substring(0, 37) + "..." : named) + "'");
            };
        }
        if (fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            return ONNX;
        }
        return ModelCodec.looksLikeTribuo(bytes) ? TRIBUO : ONNX;
    }
}
