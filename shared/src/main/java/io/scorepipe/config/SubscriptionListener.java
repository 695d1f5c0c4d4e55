package io.scorepipe.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * A {@link KafkaListener} whose topic and consumer group are its bean's {@link Subscription}
 * (the bean exposes it as {@code subscription()}), reading keys as text and values as bytes,
 * which the listener reads with {@link io.scorepipe.messages.Messages}: a record that is not its
 * message reaches the listener, to be dead-lettered or skipped with the reason, and never stalls
 * the partition.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@KafkaListener(topics = "#{__listener.subscription().topic()}", groupId = "#{__listener.subscription().groupId()}")
public @interface SubscriptionListener {

    /** The listener container's id, which also names its threads. */
    @AliasFor(annotation = KafkaListener.class, attribute = "id")
    String id();

    /** A container factory of its own (with its own deserializers); the application's by default. */
    @AliasFor(annotation = KafkaListener.class, attribute = "containerFactory")
    String containerFactory() default "";

    /** "true" for a listener that takes a whole poll's records at once. */
    @AliasFor(annotation = KafkaListener.class, attribute = "batch")
    String batch() default "";

    /** Consumer properties over the factory's: text keys and byte values unless a factory of its own says otherwise. */
    @AliasFor(annotation = KafkaListener.class, attribute = "properties")
    String[] properties() default {"key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
            "value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"};
}
