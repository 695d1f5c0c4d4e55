package io.scorepipe.batch;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The data folders, the batches table and the labels files table, for both applications. */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
public class BatchAutoConfiguration {

    /** Under {@code scorepipe.data-dir} (from {@code SCOREPIPE_DATA_DIR}), created when missing. */
    @Bean
    DataFolders dataFolders(Environment environment) {
        return new DataFolders(Path.of(environment.getProperty("scorepipe.data-dir", "./data"))).create();
    }

    @Bean
    @ConditionalOnBean(DataSource.class)
    BatchRecords batchRecords(DataSource dataSource) {
        return new BatchRecords(JdbcClient.create(dataSource));
    }

    @Bean
    @ConditionalOnBean(DataSource.class)
    LabelFiles labelFiles(DataSource dataSource) {
        return new LabelFiles(JdbcClient.create(dataSource));
    }
}
