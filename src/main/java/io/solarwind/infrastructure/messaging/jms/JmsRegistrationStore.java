package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.application.PurposeRegistry;
import io.solarwind.application.RegistrationStore;
import io.solarwind.domain.Exchange;
import io.solarwind.domain.Purpose;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
import io.solarwind.infrastructure.messaging.BrokerNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.logging.Logger;

/**
 * Registrations as messages in a durable last-value queue on the broker, keyed by
 * topic and purpose: the broker's journal (and its HA, where configured) keeps them,
 * and a newer record of the same key replaces the older one. A deletion is a
 * tombstone record. Reading the registry is browsing the queue.
 */
@ApplicationScoped
public class JmsRegistrationStore implements RegistrationStore {
    private static final Logger LOG = Logger.getLogger(JmsRegistrationStore.class.getName());
    private static final String TOPIC = "solarwind_topic";
    private static final String PURPOSE = "solarwind_purpose";
    private static final String EXCHANGE = "solarwind_exchange";
    private static final String REGISTERED_AT = "solarwind_registered_at";
    private static final String DELETED = "solarwind_deleted";
    private static final String MAX_ATTEMPTS = "solarwind_redelivery_max_attempts";
    private static final String DELAY = "solarwind_redelivery_delay_millis";
    private static final String MULTIPLIER = "solarwind_redelivery_multiplier";
    private static final String MAX_DELAY = "solarwind_redelivery_max_delay_millis";

    private BrokerConnection broker;

    protected JmsRegistrationStore() {
    }

    @Inject
    public JmsRegistrationStore(BrokerConnection broker) {
        this.broker = broker;
    }

    @Override
    public synchronized List<Registration> loadAll() {
        List<Registration> all = new ArrayList<>();
        try (Session session = broker.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(session.createQueue(BrokerNames.REGISTRY))) {
            Enumeration<?> records = browser.getEnumeration();
            while (records.hasMoreElements()) {
                Message record = (Message) records.nextElement();
                if (record.getBooleanProperty(DELETED)) {
                    continue;
                }
                try {
                    all.add(new Registration(
                            Topic.of(record.getStringProperty(TOPIC)),
                            Purpose.of(record.getStringProperty(PURPOSE)),
                            Exchange.parse(record.getStringProperty(EXCHANGE)),
                            redeliveryOf(record),
                            Instant.parse(record.getStringProperty(REGISTERED_AT))));
                } catch (RuntimeException unreadable) {
                    LOG.severe("Skipping an unreadable registration record " + record.getJMSMessageID() + ": " + unreadable);
                }
            }
        } catch (JMSException e) {
            throw new BrokerUnavailableException("Reading the registry from " + BrokerNames.REGISTRY + " failed: " + e.getMessage(), e);
        }
        return all;
    }

    /** The record's policy; records written before policies existed get the default one. */
    private static Redelivery redeliveryOf(Message record) throws JMSException {
        if (!record.propertyExists(MAX_ATTEMPTS)) {
            return PurposeRegistry.defaultRedelivery();
        }
        return new Redelivery(record.getIntProperty(MAX_ATTEMPTS), record.getLongProperty(DELAY),
                record.getDoubleProperty(MULTIPLIER), record.getLongProperty(MAX_DELAY));
    }

    @Override
    public void save(Registration registration) {
        write(registration, false);
    }

    @Override
    public void delete(Registration registration) {
        write(registration, true);
    }

    private synchronized void write(Registration r, boolean deleted) {
        try (Session session = broker.connection().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            Queue registry = session.createQueue(BrokerNames.REGISTRY);
            try (MessageProducer producer = session.createProducer(registry)) {
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                Message record = session.createMessage();
                record.setStringProperty(BrokerNames.REGISTRY_KEY, r.key());
                record.setStringProperty(TOPIC, r.topic().name());
                record.setStringProperty(PURPOSE, r.purpose().name());
                record.setStringProperty(EXCHANGE, r.exchange().wireName());
                record.setStringProperty(REGISTERED_AT, r.registeredAt().toString());
                record.setBooleanProperty(DELETED, deleted);
                record.setIntProperty(MAX_ATTEMPTS, r.redelivery().maxAttempts());
                record.setLongProperty(DELAY, r.redelivery().delayMillis());
                record.setDoubleProperty(MULTIPLIER, r.redelivery().multiplier());
                record.setLongProperty(MAX_DELAY, r.redelivery().maxDelayMillis());
                producer.send(record); // persistent and blocking: durable when it returns
            }
        } catch (JMSException e) {
            throw new BrokerUnavailableException("Writing registration " + r.key() + " failed: " + e.getMessage(), e);
        }
    }
}
