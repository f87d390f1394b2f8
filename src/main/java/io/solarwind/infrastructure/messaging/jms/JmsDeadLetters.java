package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.application.DeadLetters;
import io.solarwind.domain.Registration;
import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;

/**
 * Dead letters on the {@code DLA} queue, found by the purpose they failed in: the properties
 * the handler API's interceptor sets ({@code solarwind_topic}, {@code solarwind_purpose}), or
 * the queue Artemis moved them from after its own last attempt ({@code _AMQ_ORIG_QUEUE}).
 */
@ApplicationScoped
public class JmsDeadLetters implements DeadLetters {
    static final String TOPIC = "solarwind_topic";
    static final String PURPOSE = "solarwind_purpose";
    static final String ATTEMPTS = "solarwind_attempts";

    private BrokerConnection broker;

    protected JmsDeadLetters() {
    }

    @Inject
    public JmsDeadLetters(BrokerConnection broker) {
        this.broker = broker;
    }

    @Override
    public List<DeadLetter> list(Registration purpose, int limit) {
        List<DeadLetter> letters = new ArrayList<>();
        try (Session session = broker.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(session.createQueue(BrokerNames.DEAD_LETTER), selector(purpose, null))) {
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements() && letters.size() < limit) {
                Message m = (Message) messages.nextElement();
                letters.add(new DeadLetter(m.getStringProperty(CloudEventProperties.ID),
                        m.propertyExists(BrokerNames.REASON_PROPERTY) ? m.getStringProperty(BrokerNames.REASON_PROPERTY)
                                : "the broker's last delivery attempt failed",
                        m.propertyExists(ATTEMPTS) ? m.getIntProperty(ATTEMPTS) : m.getIntProperty("JMSXDeliveryCount"),
                        m.getJMSTimestamp()));
            }
        } catch (JMSException e) {
            throw new BrokerUnavailableException("Reading the dead letters of " + purpose.key() + " failed: " + e.getMessage(), e);
        }
        return letters;
    }

    @Override
    public boolean retry(Registration purpose, String id) {
        return take(purpose, id, true);
    }

    @Override
    public boolean discard(Registration purpose, String id) {
        return take(purpose, id, false);
    }

    private boolean take(Registration purpose, String id, boolean resend) {
        try (Session session = broker.transactedConnection().createSession(true, Session.SESSION_TRANSACTED);
             MessageConsumer consumer = session.createConsumer(session.createQueue(BrokerNames.DEAD_LETTER), selector(purpose, id));
             MessageProducer producer = session.createProducer(null)) {
            Message letter = consumer.receive(2000);
            if (letter == null) {
                return false;
            }
            if (resend) {
                var core = ((ActiveMQMessage) letter).getCoreMessage();
                for (String property : new String[] {BrokerNames.REASON_PROPERTY, ATTEMPTS, TOPIC, PURPOSE,
                        "solarwind_original_destination", "_AMQ_ORIG_ADDRESS", "_AMQ_ORIG_QUEUE", "_AMQ_ORIG_MESSAGE_ID",
                        "_AMQ_ORIG_ROUTING_TYPE", BrokerNames.DUPLICATE_ID_PROPERTY}) {
                    core.removeProperty(SimpleString.of(property));
                }
                if (purpose.routesByVersion()) {
                    // back to the active version's queue, which takes only the events marked with its version
                    core.putStringProperty(purpose.versionProperty(), purpose.versions().active());
                }
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                // as to a JMS topic: a direct purpose's queue is multicast, and a send to its fully
                // qualified name reaches that queue alone (an anycast send would be dropped)
                producer.send(ActiveMQDestination.createTopic(purpose.destination()), letter);
            }
            session.commit();
            return true;
        } catch (JMSException e) {
            throw new BrokerUnavailableException("Taking dead letter " + id + " of " + purpose.key() + " failed: " + e.getMessage(), e);
        }
    }

    /** Topic and purpose are validated names and the id is quoted, so the selector cannot be broken out of. */
    static String selector(Registration purpose, String id) {
        String queues = purpose.queues().stream().map(q -> "'" + q + "'").collect(java.util.stream.Collectors.joining(", "));
        String own = "((" + TOPIC + " = '" + purpose.topic().name() + "' AND " + PURPOSE + " = '" + purpose.purpose().name()
                + "') OR _AMQ_ORIG_QUEUE IN (" + queues + "))";
        return id == null ? own : own + " AND " + CloudEventProperties.ID + " = '" + id.replace("'", "''") + "'";
    }
}
