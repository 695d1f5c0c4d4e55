package io.scorepipe.api.batch;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.scorepipe.batch.BatchRecords;
import io.scorepipe.batch.DataFolders;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UploadProperties.class)
class BatchesConfiguration {

    @Bean
    BatchUploads batchUploads(DataFolders folders, BatchRecords batches, UploadProperties properties) {
        return new BatchUploads(folders, batches, properties.maxSize().toBytes());
    }
}
