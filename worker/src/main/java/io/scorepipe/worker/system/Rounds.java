package io.scorepipe.worker.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work the worker repeats on a schedule (an inbox look, a heartbeat, a sweep): a round that fails,
 * say while PostgreSQL is away, is logged, and the next round tries again.
 */
public final class Rounds {

    private static final Logger log = LoggerFactory.getLogger(Rounds.class);

    private Rounds() {
    }

    /** One round of {@code what}, which never throws. */
    public static Runnable quietly(String what, Round round) {
        return () -> {
            try {
                round.run();
            }
            catch (Exception ex) {
                log.warn("{} failed; trying again at the next round: {}", what, ex.getMessage());
            }
        };
    }

    /** One round's work. */
    @FunctionalInterface
    public interface Round {
        void run() throws Exception;
    }
}
