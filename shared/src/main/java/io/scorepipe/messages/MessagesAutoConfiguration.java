package io.scorepipe.messages;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;

/** The {@link MessagePublisher} of any scorepipe application that talks to Kafka. */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass({KafkaTemplate.class, KafkaProperties.class})
@ConditionalOnBean(KafkaProperties.class)
public class MessagesAutoConfiguration {

    @Bean
    MessagePublisher messagePublisher(KafkaProperties kafka) {
        return new MessagePublisher(kafka.buildProducerProperties());
    }
}
