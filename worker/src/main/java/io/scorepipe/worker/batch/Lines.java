package io.scorepipe.worker.batch;

import org.jspecify.annotations.Nullable;

/** What flows through the {@code scoreFile} step. */
final class Lines {

    private Lines() {
    }

    /**
     * A data line as read.
     *
     * @param number its line number in the file (the header is line 1)
     * @param text the line without its line break, or only its beginning when it could not be read
     * @param unreadable why the line could not be read (it is too long), when it could not
     */
    record Raw(long number, String text, @Nullable String unreadable) {
    }

    /**
     * A line after scoring: a prediction, or the reason it was rejected.
     *
     * @param number its line number
     * @param text the line as read
     * @param features the parsed features, when scored
     * @param prediction the prediction, when scored
     * @param rejection why it was rejected, otherwise
     */
    record Outcome(long number, String text, double @Nullable [] features, double prediction,
            @Nullable String rejection) {

        static Outcome scored(Raw raw, double[] features, double prediction) {
            return new Outcome(raw.number(), raw.text(), features, prediction, null);
        }

        static Outcome rejected(Raw raw, String reason) {
            return new Outcome(raw.number(), raw.text(), null, Double.NaN, reason);
        }

        boolean isScored() {
            return rejection == null;
        }
    }
}
