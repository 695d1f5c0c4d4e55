package io.scorepipe.scoring;

import java.util.ArrayList;
import java.util.List;

import org.tribuo.Model;
import org.tribuo.VariableInfo;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.regression.Regressor;

import com.google.protobuf.InvalidProtocolBufferException;

import io.scorepipe.system.Causes;

/**
 * Writes and reads models in Tribuo's protobuf format (never Java serialization), and checks a
 * model before it may serve: that it is a regression model and that its features are the ones
 * the registry says it has. Every failure is a {@link ModelException} with a message a person
 * can act on, not a stack trace from deep inside Tribuo.
 */
public final class ModelCodec {

    private ModelCodec() {
    }

    public static byte[] toBytes(Model<Regressor> model) {
        return model.serialize().toByteArray();
    }

    /**
     * Reads a model and checks it against {@code schema}.
     *
     * @throws ModelException when the bytes are not a Tribuo model, not a regression model, or
     *     use features the schema does not have
     */
    public static Model<Regressor> fromBytes(byte[] bytes, FeatureSchema schema) {
        Model<Regressor> regression = read(bytes);
        checkFeatures(regression, schema);
        return regression;
    }

    /**
     * Reads a regression model without a schema to check it against: a file a user brings.
     *
     * @throws ModelException when the bytes are not a Tribuo model or not a regression model
     */
    public static Model<Regressor> read(byte[] bytes) {
        if (bytes.length == 0) {
            throw new ModelException("the model is empty (0 bytes)");
        }
        Model<?> model;
        try {
            model = Model.deserialize(ModelProto.parseFrom(bytes));
        }
        catch (InvalidProtocolBufferException ex) {
            throw new ModelException("the model bytes are not a Tribuo protobuf model (" + bytes.length
                    + " bytes): " + ex.getMessage(), ex);
        }
        catch (RuntimeException ex) {
            // Tribuo reports a foreign or damaged model with IllegalStateException,
            // IllegalArgumentException or a wrapped reflection error, depending on where it breaks.
            throw new ModelException("the model bytes could not be read as a Tribuo model: " + rootMessage(ex), ex);
        }
        if (!model.validate(Regressor.class)) {
            throw new ModelException("the model predicts " + outputKind(model) + ", but a regression model "
                    + "(Regressor) is required");
        }
        Model<Regressor> regression = model.castModel(Regressor.class);
        if (regression.getOutputIDInfo().size() != 1) {
            throw new ModelException("the model has " + regression.getOutputIDInfo().size()
                    + " outputs; scorepipe serves models with exactly one");
        }
        return regression;
    }

    /** The features a model knows, in its own id order. */
    public static List<String> featureNames(Model<Regressor> model) {
        List<String> names = new ArrayList<>();
        for (int id = 0; id < model.getFeatureIDMap().size(); id++) {
            names.add(model.getFeatureIDMap().get(id).getName());
        }
        return names;
    }

    /** Whether the bytes parse as a Tribuo model file at all (not whether it is a fitting one). */
    static boolean looksLikeTribuo(byte[] bytes) {
        try {
            return ModelProto.parseFrom(bytes).getClassName().startsWith("org.tribuo.");
        }
        catch (InvalidProtocolBufferException ex) {
            return false;
        }
    }

    private static void checkFeatures(Model<Regressor> model, FeatureSchema schema) {
        List<String> foreign = new ArrayList<>();
        for (VariableInfo info : model.getFeatureIDMap()) {
            if (schema.indexOf(info.getName()) < 0) {
                foreign.add(info.getName());
            }
        }
        if (!foreign.isEmpty()) {
            throw new ModelException("the model uses features " + foreign.stream().sorted().toList()
                    + " that its registered schema " + schema.names() + " lacks");
        }
        if (model.getFeatureIDMap().size() == 0) {
            throw new ModelException("the model has no features");
        }
    }

    private static String outputKind(Model<?> model) {
        var domain = model.getOutputIDInfo().getDomain();
        return domain.isEmpty() ? "an unknown output" : domain.iterator().next().getClass().getSimpleName();
    }

    private static String rootMessage(Throwable ex) {
        Throwable root = Causes.root(ex);
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
