package io.scorepipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class DatabaseUrlTests {

    @Test
    void seedFormBecomesJdbcWithUser() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app@localhost:5432/predictions");

        assertThat(url).isEqualTo(new DatabaseUrl("jdbc:postgresql://localhost:5432/predictions", "app", null));
    }

    @Test
    void passwordPortDefaultAndQueryAreKept() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://app:s%40cret@db/predictions?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/predictions?sslmode=require");
        assertThat(url.username()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("s@cret");
        assertThat(url.toString()).doesNotContain("s@cret");
    }

    @Test
    void jdbcUrlsPassThrough() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h:1/d").jdbcUrl()).isEqualTo("jdbc:postgresql://h:1/d");
    }

    @Test
    void badUrlsSayWhatIsExpectedWithoutThePassword() {
        assertThatIllegalArgumentException().isThrownBy(() -> DatabaseUrl.parse("mysql://app:pw@h/d"))
                .withMessageContaining("DATABASE_URL 'mysql://app:***@h/d' is not a PostgreSQL URL")
                .withMessageContaining("postgresql://");
        assertThatIllegalArgumentException().isThrownBy(() -> DatabaseUrl.parse("postgresql://app@h"))
                .withMessageContaining("names no database");
    }
}
