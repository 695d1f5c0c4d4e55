package io.scorepipe.config;

import org.springframework.util.Assert;

/**
 * What a Kafka listener consumes: its topic and consumer group, both from configuration. A
 * listener exposes it as {@code subscription()}, and its annotation reads it with
 * {@code #{__listener.subscription().topic()}}, so names live in one place.
 *
 * @param topic the topic
 * @param groupId the consumer group
 */
public record Subscription(String topic, String groupId) {

    public Subscription {
        Assert.hasText(topic, "a subscription needs a topic");
        Assert.hasText(groupId, "a subscription needs a consumer group");
    }
}
