package io.scorepipe.testing;

import io.scorepipe.registry.ModelNames;
import io.scorepipe.registry.ServingModels;
import io.scorepipe.scoring.Scorer;

/** What a process serves, for tests that check an answer against the model that gave it. */
public final class Served {

    private Served() {
    }

    /** The sample model's champion's scorer (a Tribuo scorer: it keeps working after its lease). */
    public static Scorer scorer(ServingModels serving) {
        return scorer(serving, ModelNames.SAMPLE);
    }

    /** {@code model}'s champion's scorer; for Tribuo models, which hold nothing a lease releases. */
    public static Scorer scorer(ServingModels serving, String model) {
        try (ServingModels.Lease lease = serving.champion(model)) {
            return lease.scorer();
        }
    }
}
