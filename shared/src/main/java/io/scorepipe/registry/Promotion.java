package io.scorepipe.registry;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One entry of the promotion history: a version became champion.
 *
 * @param id the entry's place in the history
 * @param model the model whose champion changed
 * @param version the label that became champion
 * @param previousVersion the label that served before it, if any
 * @param reason why
 * @param promotedBy who or what promoted it: {@code api}, {@code retrain}, {@code bootstrap}
 * @param promotedAt when
 */
public record Promotion(long id, String model, String version, @Nullable String previousVersion, String reason, String promotedBy,
        Instant promotedAt) {
}
