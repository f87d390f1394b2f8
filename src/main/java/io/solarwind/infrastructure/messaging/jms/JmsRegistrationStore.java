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
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.SimpleString;

/**
 * Registrations as messages in durable last-value queues on the broker, keyed by topic and
 * purpose: the broker's journal (and its HA, where configured) keeps them, and a newer record
 * of the same key replaces the older one. A deletion is a tombstone record. The records are
 * spread over {@value BrokerNames#REGISTRY_SHARDS} queues by key (Artemis scans a last-value
 * queue whole each time a record is added: one queue made the n-th registration cost O(n));
 * reading the registry is browsing them.
 *
 * <p>The single queue {@code solarwind.registry} of earlier versions is read once at start:
 * its records move to the queues of their keys (where a key has no newer record yet), then it
 * is deleted.
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
        Map<String, Registration> byKey = new LinkedHashMap<>();
        try (Session session = broker.connection().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            for (int shard = 0; shard < BrokerNames.REGISTRY_SHARDS; shard++) {
                browse(session, BrokerNames.registryShard(shard), byKey);
            }
            if (broker.admin("Looking for the registry of an earlier version",
                    admin -> admin.queueQuery(SimpleString.of(BrokerNames.REGISTRY)).isExists())) {
                migrate(session, byKey);
            }
        } catch (JMSException e) {
            throw new BrokerUnavailableException("Reading the registry from " + BrokerNames.REGISTRY + ".* failed: " + e.getMessage(), e);
        }
        byKey.values().removeIf(r -> r == null);
        return new ArrayList<>(byKey.values());
    }

    /**
     * Reads a registry queue into the map: a registration by key, {@code null} for a tombstone
     * (a key that was deleted).
     */
    private static void browse(Session session, String queue, Map<String, Registration> byKey) throws JMSException {
        try (QueueBrowser browser = session.createBrowser(BrokerTopology.existingQueue(queue))) {
            Enumeration<?> records = browser.getEnumeration();
            while (records.hasMoreElements()) {
                Message record = (Message) records.nextElement();
                String key = record.getStringProperty(BrokerNames.REGISTRY_KEY);
                if (key == null) {
                    continue;
                }
                if (record.getBooleanProperty(DELETED)) {
                    byKey.put(key, null);
                    continue;
                }
                try {
                    byKey.put(key, new Registration(
                            Topic.of(record.getStringProperty(TOPIC)),
                            Purpose.of(record.getStringProperty(PURPOSE)),
                            Exchange.parse(record.getStringProperty(EXCHANGE)),
                            redeliveryOf(record),
                            Instant.parse(record.getStringProperty(REGISTERED_AT))));
                } catch (RuntimeException unreadable) {
                    LOG.severe("Skipping an unreadable registration record " + record.getJMSMessageID() + " in " + queue + ": " + unreadable);
                }
            }
        }
    }

    /**
     * Moves the records of the earlier single registry queue into the queues of their keys, where
     * those have no record of the key (theirs are newer), then deletes it. Run again after a crash
     * in between, it finds the moved records in place and moves the rest. Of two servers starting
     * at once, the one that finds the queue gone fails its start, which is retried, and then
     * finds nothing to move.
     */
    private void migrate(Session session, Map<String, Registration> byKey) throws JMSException {
        Map<String, Registration> earlier = new LinkedHashMap<>();
        browse(session, BrokerNames.REGISTRY, earlier);
        int moved = 0;
        for (Map.Entry<String, Registration> e : earlier.entrySet()) {
            if (!byKey.containsKey(e.getKey()) && e.getValue() != null) {
                write(e.getValue(), false);
                byKey.put(e.getKey(), e.getValue());
                moved++;
            }
        }
        broker.admin("Deleting the registry queue of an earlier version", admin -> {
            admin.deleteQueue(SimpleString.of(BrokerNames.REGISTRY));
            if (admin.addressQuery(SimpleString.of(BrokerNames.REGISTRY)).isExists()) {
                BrokerManagement.invoke(admin, "deleteAddress", BrokerNames.REGISTRY);
            }
            return null;
        });
        int count = moved;
        LOG.info(() -> "Moved " + count + " registrations from " + BrokerNames.REGISTRY + " (an earlier version's registry) to "
                + BrokerNames.REGISTRY + ".00-" + (BrokerNames.REGISTRY_SHARDS - 1) + " and deleted it");
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
        try (Session session = broker.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer producer = session.createProducer(BrokerTopology.existingQueue(BrokerNames.registryShard(r.key())))) {
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
        } catch (JMSException e) {
            throw new BrokerUnavailableException("Writing registration " + r.key() + " failed: " + e.getMessage(), e);
        }
    }
}
