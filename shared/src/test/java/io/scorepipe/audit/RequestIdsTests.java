package io.scorepipe.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.scorepipe.scoring.InvalidInputException;

class RequestIdsTests {

    @ParameterizedTest
    @ValueSource(strings = {"", "order-1234", "ünïcödé 注文 😀", "x"})
    void ordinaryIdsPass(String id) {
        assertThat(RequestIds.check(id)).isSameAs(id);
    }

    static Stream<Arguments> badIds() {
        return Stream.of(
                Arguments.of("a\u0000b", "request_id must not contain control characters, got U+0000 at position 2"),
                Arguments.of("a\nb", "request_id must not contain control characters, got U+000A at position 2"),
                Arguments.of("\u0085", "request_id must not contain control characters, got U+0085 at position 1"),
                Arguments.of("ab\uD800", "request_id must be valid Unicode text, got an unpaired surrogate U+D800 at position 3"),
                Arguments.of("\uDE00\uD83D", "request_id must be valid Unicode text, got an unpaired surrogate U+DE00 at position 1"));
    }

    @ParameterizedTest
    @MethodSource("badIds")
    void textPostgreSqlCannotHoldOrThatIsNotTextIsRefused(String id, String message) {
        InvalidInputException ex = catchThrowableOfType(InvalidInputException.class, () -> RequestIds.check(id));

        assertThat(ex).hasMessage(message);
        assertThat(ex.errors()).singleElement().extracting(InvalidInputException.FieldError::field).isEqualTo("request_id");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201})
    void idsAreAtMost200Characters(int length) {
        String id = "r".repeat(length);
        if (length <= RequestIds.MAX_LENGTH) {
            assertThat(RequestIds.check(id)).isEqualTo(id);
        }
        else {
            assertThat(catchThrowableOfType(InvalidInputException.class, () -> RequestIds.check(id)))
                    .hasMessage("request_id must be at most 200 characters, got 201");
        }
    }
}
