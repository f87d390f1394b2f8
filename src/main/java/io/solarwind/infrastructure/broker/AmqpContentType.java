package io.solarwind.infrastructure.broker;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.protocol.amqp.broker.AMQPMessage;
import org.apache.qpid.proton.amqp.messaging.Properties;

/**
 * The AMQP {@code content-type} of an AMQP message (the CloudEvents AMQP binding's
 * {@code datacontenttype}), which the broker's message API does not offer. In a class of its own,
 * used only for a message that is no core message (in practice an AMQP one), so that a broker
 * without the AMQP module never loads it.
 */
final class AmqpContentType {
    private AmqpContentType() {
    }

    /** The message's content-type, or null when it has none or is no AMQP message. */
    static String of(Message message) {
        if (message instanceof AMQPMessage amqp) {
            Properties properties = amqp.getProperties();
            if (properties != null && properties.getContentType() != null) {
                return properties.getContentType().toString();
            }
        }
        return null;
    }
}
