package io.scorepipe.api.system;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.scorepipe.scoring.InvalidInputException;

/**
 * One page of a long list, newest first.
 *
 * @param items this page's entries
 * @param page the page number, from 0
 * @param size entries per page
 * @param total entries in the whole list
 * @param <T> the entry type
 */
public record Page<T>(@JsonProperty("items") List<T> items, @JsonProperty("page") int page,
        @JsonProperty("size") int size, @JsonProperty("total") long total) {

    /** The most entries one page holds. */
    public static final int MAX_SIZE = 200;

    public Page {
        items = List.copyOf(items);
    }

    /** @throws InvalidInputException naming the parameter, when a page or size is out of range */
    public static void check(int page, int size) {
        if (page < 0) {
            throw new InvalidInputException("page", "page must be 0 or more, got " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidInputException("size", "size must be between 1 and " + MAX_SIZE + ", got " + size);
        }
    }

    /** Where {@code page} starts in the whole list. */
    public static int offset(int page, int size) {
        return Math.multiplyExact(page, size);
    }
}
