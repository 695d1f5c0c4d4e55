package io.scorepipe.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.scorepipe.scoring.InvalidInputException;

class ModelNamesTests {

    @ParameterizedTest
    @ValueSource(strings = {"houses", "a", "churn-2026", "x1", "v", "vx1", "v1a"})
    void namesThatFitUrlsFoldersAndTags(String name) {
        assertThat(ModelNames.isValid(name)).isTrue();
        assertThat(ModelNames.check("name", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Houses", "1houses", "-a", "a_b", "a b", "a.b", "ä"})
    void namesThatDoNot(String name) {
        assertThat(ModelNames.isValid(name)).isFalse();
        assertThatThrownBy(() -> ModelNames.check("name", name)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(name.isEmpty() ? "name is missing" : "is not a model name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v22", "current", "retrain", "promotions", "labels", "versions", "predict"})
    void namesTheRoutesCouldConfuse(String name) {
        assertThat(ModelNames.isValid(name)).isFalse();
        assertThatThrownBy(() -> ModelNames.check("name", name)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(name.startsWith("v") && !name.equals("versions") ? "looks like a version label"
                        : "is a word the routes use");
    }

    @ParameterizedTest
    @ValueSource(ints = {63, 64})
    void atMostSixtyThreeCharacters(int length) {
        assertThat(ModelNames.isValid("a".repeat(length))).isEqualTo(length <= 63);
    }
}
