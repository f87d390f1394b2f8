package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.infrastructure.messaging.BrokerNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.activemq.artemis.api.core.ActiveMQAddressExistsException;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQQueue;
import org.apache.activemq.artemis.jms.client.ActiveMQTopic;

/**
 * Creates Solar Wind's fixed destinations when they are missing, the same way on the
 * embedded and on an external broker: the inbound topic with the dispatcher's durable
 * subscription, the registry's queues and change broadcast, and the dead-letter and expiry queues.
 *
 * <p>The dispatcher's subscription takes one consumer at a time ({@code max-consumers=1}): of
 * all Solar Wind servers sharing the broker, one dispatches and the others stand by, retrying
 * until it goes (see {@code Dispatcher}). A subscription made by an earlier version, without the
 * limit, gets it here.
 */
@ApplicationScoped
public class BrokerTopology {
    /** Consumers the dispatcher's subscription takes at a time: the one active dispatcher. */
    public static final int DISPATCHERS = 1;

    private BrokerConnection broker;

    protected BrokerTopology() {
    }

    @Inject
    public BrokerTopology(BrokerConnection broker) {
        this.broker = broker;
    }

    public void ensure() {
        broker.admin("Creating Solar Wind's destinations", session -> {
            QueueConfiguration dispatch = QueueConfiguration.of(BrokerNames.DISPATCH_QUEUE)
                    .setAddress(BrokerNames.INBOUND).setRoutingType(RoutingType.MULTICAST).setMaxConsumers(DISPATCHERS);
            createIfMissing(session, dispatch);
            if (session.queueQuery(dispatch.getName()).getMaxConsumers() != DISPATCHERS) {
                BrokerManagement.invoke(session, "updateQueue", dispatch.toJSON());
            }
            if (!session.addressQuery(SimpleString.of(BrokerNames.REGISTRY_CHANGES)).isExists()) {
                try {
                    session.createAddress(SimpleString.of(BrokerNames.REGISTRY_CHANGES), RoutingType.MULTICAST, false);
                } catch (ActiveMQAddressExistsException raced) {
                    // another server created it meanwhile: fine
                }
            }
            for (int shard = 0; shard < BrokerNames.REGISTRY_SHARDS; shard++) {
                String name = BrokerNames.registryShard(shard);
                createIfMissing(session, QueueConfiguration.of(name).setAddress(name).setRoutingType(RoutingType.ANYCAST)
                        .setLastValue(true).setLastValueKey(BrokerNames.REGISTRY_KEY));
            }
            createIfMissing(session, QueueConfiguration.of(BrokerNames.SCHEMAS).setAddress(BrokerNames.SCHEMAS)
                    .setRoutingType(RoutingType.ANYCAST).setLastValue(true).setLastValueKey(BrokerNames.SCHEMA_KEY));
            if (!session.addressQuery(SimpleString.of(BrokerNames.SCHEMA_CHANGES)).isExists()) {
                try {
                    session.createAddress(SimpleString.of(BrokerNames.SCHEMA_CHANGES), RoutingType.MULTICAST, false);
                } catch (ActiveMQAddressExistsException raced) {
                    // another server created it meanwhile: fine
                }
            }
            createIfMissing(session, QueueConfiguration.of(BrokerNames.DEAD_LETTER)
                    .setAddress(BrokerNames.DEAD_LETTER).setRoutingType(RoutingType.ANYCAST));
            createIfMissing(session, QueueConfiguration.of(BrokerNames.EXPIRY)
                    .setAddress(BrokerNames.EXPIRY).setRoutingType(RoutingType.ANYCAST));
            return null;
        });
    }

    /**
     * A JMS queue that exists on the broker (made here at start, or by the registry before anything
     * uses it), which the JMS client sends to and browses without looking it up first: the look-up
     * is an address query, which the broker answers by walking every binding it has (O(queues),
     * tens of ms with 30,000 purposes).
     */
    public static ActiveMQQueue existingQueue(String name) {
        ActiveMQQueue queue = new ActiveMQQueue(name);
        queue.setCreated(true);
        return queue;
    }

    /** A JMS topic (a multicast address) that exists on the broker, used without a look-up (see {@link #existingQueue}). */
    public static ActiveMQTopic existingTopic(String address) {
        ActiveMQTopic topic = new ActiveMQTopic(address);
        topic.setCreated(true);
        return topic;
    }

    /** Creates a durable, never auto-deleted queue (and its address); an existing one is left as it is. */
    static void createIfMissing(ClientSession session, QueueConfiguration queue) throws ActiveMQException {
        if (session.queueQuery(queue.getName()).isExists()) {
            return;
        }
        try {
            session.createQueue(queue.setDurable(true).setAutoCreateAddress(true).setAutoDelete(false));
        } catch (ActiveMQQueueExistsException raced) {
            // another server created it meanwhile: fine
        }
    }
}
