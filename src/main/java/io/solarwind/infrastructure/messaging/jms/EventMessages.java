package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.domain.Event;
import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.util.Map;

/**
 * The one place where an event becomes a JMS message: a {@code TextMessage} for textual
 * content types, else a {@code BytesMessage} with the exact bytes; every attribute as a
 * {@code ce_<attribute>} string property; the duplicate detection key from source and id.
 */
public final class EventMessages {
    private EventMessages() {
    }

    public static Message toMessage(Session session, Event event) throws JMSException {
        Message message;
        if (Event.isTextual(event.dataContentType())) {
            message = session.createTextMessage(event.text());
        } else {
            BytesMessage bytes = session.createBytesMessage();
            bytes.writeBytes(event.data());
            message = bytes;
        }
        for (Map.Entry<String, String> attribute : event.attributes().entrySet()) {
            message.setStringProperty(CloudEventProperties.property(attribute.getKey()), attribute.getValue());
        }
        message.setStringProperty(BrokerNames.DUPLICATE_ID_PROPERTY,
                CloudEventProperties.deduplicationKey(event.source(), event.id()));
        return message;
    }
}
