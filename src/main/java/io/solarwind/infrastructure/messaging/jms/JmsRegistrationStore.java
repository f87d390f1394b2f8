package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.application.ConcurrentRegistryChangeException;
import io.solarwind.application.RegistrationStore;
import io.solarwind.application.RegistryChange;
import io.solarwind.infrastructure.messaging.BrokerNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;

/**
 * Registrations as messages on the broker, so that every Solar Wind server sharing the broker
 * (or its HA pair) shares them, with no store of its own to replicate.
 *
 * <ul>
 * <li><b>Durable</b>: {@value BrokerNames#REGISTRY_SHARDS} last-value queues keyed by topic and
 * purpose hold the newest record of each key (a deletion is a tombstone). Artemis scans a
 * last-value queue whole each time a record is added: one queue made the n-th registration cost
 * O(n), so the records are spread by key. Reading the registry is browsing them.</li>
 * <li><b>Versioned, first writer wins</b>: a record of version v of key k carries the duplicate
 * detection key {@code solarwind.registry/k/v}; the broker refuses a second record with that key
 * (it rolls the transaction back), so of two servers writing the same version only the first
 * succeeds, and the other reads the key again ({@link ConcurrentRegistryChangeException}). This
 * is the broker's own duplicate detection, kept in its journal and failing over with it.</li>
 * <li><b>Announced</b>: the same transaction sends the change to the multicast address
 * {@value BrokerNames#REGISTRY_CHANGES}, which every server hears (its API shows the change
 * within milliseconds), and into the dispatch stream ({@value BrokerNames#DISPATCH_FQQN}), where
 * the one active dispatcher applies it in order with the events: every event published after the
 * write returned comes after it.</li>
 * </ul>
 */
@ApplicationScoped
public class JmsRegistrationStore implements RegistrationStore {
    private static final Logger LOG = Logger.getLogger(JmsRegistrationStore.class.getName());
    private static final String DUPLICATE_KEY_PREFIX = BrokerNames.REGISTRY + "/";

    private BrokerConnection broker;
    private Session listening;
    private volatile List<UnreadableRecord> unreadable = List.of();
    /** The unreadable records already logged at SEVERE, so each is logged once, not at every retry. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    protected JmsRegistrationStore() {
    }

    @Inject
    public JmsRegistrationStore(BrokerConnection broker) {
        this.broker = broker;
    }

    @Override
    public synchronized List<RegistryChange> loadAll() {
        Map<String, RegistryChange> byKey = new HashMap<>();
        List<UnreadableRecord> found = new ArrayList<>();
        try (Session session = broker.connection().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            for (int shard = 0; shard < BrokerNames.REGISTRY_SHARDS; shard++) {
                browse(session, BrokerNames.registryShard(shard), byKey, found);
            }
        } catch (JMSException e) {
            throw new BrokerUnavailableException("Reading the registry from " + BrokerNames.REGISTRY + ".* failed: " + e.getMessage(), e);
        }
        unreadable = List.copyOf(found);
        if (!found.isEmpty()) {
            for (UnreadableRecord record : found) {
                if (reported.add(record.queue() + "/" + record.messageId())) {
                    LOG.severe(() -> "The registry queue " + record.queue() + " holds an unreadable record " + record.messageId()
                            + " (" + record.reason() + "). Solar Wind does not dispatch until it is removed: events wait in "
                            + BrokerNames.DISPATCH_QUEUE + ", nothing is lost. Remove it with the broker's tools, e.g. "
                            + record.removalCommand() + " (docs/high-availability.md, \"An unreadable registration record\")");
                }
            }
            // skipping the record would drop its purpose's events without a word; the registry is not read until it goes
            throw new IllegalStateException("the registry holds " + found.size() + " unreadable record" + (found.size() == 1 ? "" : "s")
                    + " (" + found.stream().map(UnreadableRecord::describe).collect(Collectors.joining("; "))
                    + "); remove " + (found.size() == 1 ? "it" : "them") + " with the broker's tools");
        }
        return new ArrayList<>(byKey.values());
    }

    /**
     * The records the last reading of the registry could not read (empty when it read them all):
     * while there are any, this server does not dispatch, and readiness and {@code GET /api/v1/broker}
     * name them.
     */
    public List<UnreadableRecord> unreadable() {
        return unreadable;
    }

    /** Reads a registry queue into the map, the newest version of each key; records it cannot read go to {@code unreadable}. */
    private static void browse(Session session, String queue, Map<String, RegistryChange> byKey, List<UnreadableRecord> unreadable)
            throws JMSException {
        try (QueueBrowser browser = session.createBrowser(BrokerTopology.existingQueue(queue))) {
            Enumeration<?> records = browser.getEnumeration();
            while (records.hasMoreElements()) {
                Message record = (Message) records.nextElement();
                RegistryChange change;
                try {
                    change = RegistryRecords.fromMessage(record);
                } catch (RuntimeException | MessageFormatException e) {
                    // not Solar Wind's record (no key, no topic): only a broker administrator can put one there
                    unreadable.add(new UnreadableRecord(queue, record.getJMSMessageID(), String.valueOf(e.getMessage())));
                    continue;
                }
                byKey.merge(change.key(), change, (a, b) -> b.version() >= a.version() ? b : a);
            }
        }
    }

    /** A message on a registry queue that is no registration record Solar Wind can read. */
    public record UnreadableRecord(String queue, String messageId, String reason) {
        public String describe() {
            return queue + " " + messageId + ": " + reason;
        }

        /** An Artemis CLI command that consumes just this record (the broker's user and password to be added). */
        public String removalCommand() {
            return "artemis consumer --url tcp://<broker>:61616 --destination queue://" + queue
                    + " --filter \"JMSMessageID='" + messageId + "'\" --message-count 1 --receive-timeout 5000";
        }
    }

    @Override
    public void write(RegistryChange change) {
        try (Session session = broker.connection().createSession(true, Session.SESSION_TRANSACTED);
             MessageProducer producer = session.createProducer(null)) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            Message record = RegistryRecords.toMessage(session, change);
            record.setStringProperty(BrokerNames.DUPLICATE_ID_PROPERTY, DUPLICATE_KEY_PREFIX + change.key() + "/" + change.version());
            producer.send(BrokerTopology.existingQueue(BrokerNames.registryShard(change.key())), record);
            producer.send(BrokerTopology.existingTopic(BrokerNames.REGISTRY_CHANGES), RegistryRecords.toMessage(session, change));
            Message control = RegistryRecords.toMessage(session, change);
            control.setBooleanProperty(BrokerNames.CONTROL_PROPERTY, true);
            // as to a JMS topic: an anycast send to the fully qualified name of a multicast queue is dropped
            producer.send(BrokerTopology.existingTopic(BrokerNames.DISPATCH_FQQN), control);
            session.commit(); // durable when it returns
        } catch (JMSException e) {
            if (isDuplicate(e)) {
                throw new ConcurrentRegistryChangeException(change.key(), change.version());
            }
            throw new BrokerUnavailableException("Writing registration " + change.key() + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether the broker refused the transaction for a duplicate detection key it had seen. */
    static boolean isDuplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ActiveMQException amq && amq.getType() == ActiveMQExceptionType.DUPLICATE_ID_REJECTED) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void listen(Consumer<RegistryChange> listener) {
        closeListening();
        try {
            Session session = broker.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(BrokerTopology.existingTopic(BrokerNames.REGISTRY_CHANGES));
            consumer.setMessageListener(message -> {
                try {
                    listener.accept(RegistryRecords.fromMessage(message));
                } catch (JMSException | RuntimeException e) {
                    LOG.log(Level.SEVERE, "A registry change announced on " + BrokerNames.REGISTRY_CHANGES + " could not be applied; "
                            + "this server's view is refreshed from the registry's queues at its next takeover or reconnection", e);
                }
            });
            listening = session;
        } catch (JMSException e) {
            throw new BrokerUnavailableException("Listening to " + BrokerNames.REGISTRY_CHANGES + " failed: " + e.getMessage(), e);
        }
    }

    private void closeListening() {
        if (listening != null) {
            try {
                listening.close();
            } catch (JMSException e) {
                LOG.log(Level.FINE, "Closing the registry listener", e);
            }
            listening = null;
        }
    }
}
