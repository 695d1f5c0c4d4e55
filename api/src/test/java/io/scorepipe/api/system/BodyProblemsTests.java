package io.scorepipe.api.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

class BodyProblemsTests {

    private final JsonMapper json = JsonMapper.builder().build();

    record Body(@JsonProperty("request_id") String requestId, @JsonProperty("rows") List<Object> rows,
            @JsonProperty("count") int count) {
    }

    private String describe(String body) {
        JacksonException ex = catchThrowableOfType(JacksonException.class, () -> json.readValue(body, Body.class));
        return BodyProblems.describe(ex);
    }

    @Test
    void aFieldOfTheWrongTypeIsNamedInTheCallersTerms() {
        assertThat(describe("{\"request_id\": {\"a\": 1}}"))
                .isEqualTo("the body is not valid JSON of the expected shape at line 1, column 16: 'request_id' must be "
                        + "a string, got an object");
        assertThat(describe("{\"rows\": \"0,0,0\"}")).endsWith("'rows' must be an array, got a string");
        assertThat(describe("{\"count\": true}")).endsWith("'count' must be a number, got a boolean");
    }

    @Test
    void theWholeBodyOfTheWrongKindIsCalledTheBody() {
        assertThat(describe("[1, 2]")).endsWith("the body must be a JSON object, got an array");
    }

    @Test
    void brokenJsonSaysWhereWithoutJacksonsSourceNotes() {
        String problem = describe("{\"rows\": [1, 2");

        assertThat(problem).startsWith("the body is not valid JSON of the expected shape at line 1, column ")
                .doesNotContain("Source:").doesNotContain("java.");
    }
}
