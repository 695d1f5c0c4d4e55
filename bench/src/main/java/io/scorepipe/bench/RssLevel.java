package io.scorepipe.bench;

/**
 * A process's RSS over the minutes: the first and the last minute's, and whether the last minutes'
 * (at most the acceptance's window) stayed within the acceptance's spread of each other.
 */
record RssLevel(long firstKb, long lastKb, int minutes, double spread, boolean levelled) {
}
