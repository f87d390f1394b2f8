package io.solarwind.infrastructure.broker;

import java.util.function.BiConsumer;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.protocol.amqp.broker.AMQPLargeMessage;
import org.apache.activemq.artemis.protocol.amqp.broker.AMQPMessage;
import org.apache.qpid.proton.amqp.messaging.Properties;

/**
 * What the inbound plugin needs of an AMQP message beyond the broker's message API. In a class of
 * its own, used only for a message that is no core message (in practice an AMQP one), so that a
 * broker without the AMQP module never loads it.
 */
final class AmqpInbound {
    private AmqpInbound() {
    }

    /** The message's AMQP {@code content-type} (the CloudEvents AMQP binding's {@code datacontenttype}), or null. */
    static String contentType(Message message) {
        if (message instanceof AMQPMessage amqp) {
            Properties properties = amqp.getProperties();
            if (properties != null && properties.getContentType() != null) {
                return properties.getContentType().toString();
            }
        }
        return null;
    }

    /**
     * How to add a string property to the message so that every consumer sees it. An application
     * property, for a standard AMQP message (re-encoded afterwards); for a large one (over
     * {@code amqpMinLargeMessageSize}, 100 KiB by default) also an "extra" property: Artemis 2.40
     * converts a large AMQP message for a core (JMS) consumer, the dispatcher, from its stored
     * encoding, which keeps the application properties as the publisher sent them, and adds only
     * its extra properties (AMQPLargeMessage.toCore). Without them a large AMQP event reached the
     * dispatcher with no {@code ce_type} and was dead-lettered.
     */
    static BiConsumer<String, String> putter(Message message) {
        if (message instanceof AMQPLargeMessage large) {
            return (name, value) -> {
                large.putStringProperty(name, value);
                large.createExtraProperties().putSimpleStringProperty(SimpleString.of(name), SimpleString.of(value));
            };
        }
        return message::putStringProperty;
    }
}
