package io.solarwind.crash;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;

/** The test's view of the broker's queues, as a handler service in another JVM has it (JMS over TCP). */
final class BrokerQueues implements AutoCloseable {
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);
    private final ActiveMQConnectionFactory factory;
    private final Connection connection;
    private final ClientSession core;

    BrokerQueues(String brokerUrl) throws JMSException {
        factory = Access.jmsFactory(brokerUrl);
        factory.setBlockOnAcknowledge(true); // so that the broker's count is final once acknowledge() returns
        connection = Access.jms(factory);
        connection.start();
        core = ((ActiveMQSession) connection.createSession(false, Session.AUTO_ACKNOWLEDGE)).getCoreSession();
    }

    /** Messages in a queue, including those delivered and not yet acknowledged; -1 when there is no such queue. */
    long count(String queue) throws ActiveMQException {
        ClientSession.QueueQuery query = core.queueQuery(SimpleString.of(queue));
        return query.isExists() ? query.getMessageCount() : -1;
    }

    /** Consumers of a queue now; -1 when there is no such queue. */
    int consumers(String queue) throws ActiveMQException {
        ClientSession.QueueQuery query = core.queueQuery(SimpleString.of(queue));
        return query.isExists() ? query.getConsumerCount() : -1;
    }

    /** Whether the broker has an address of this name. */
    boolean addressExists(String address) throws ActiveMQException {
        return core.addressQuery(SimpleString.of(address)).isExists();
    }

    /**
     * Consumes everything in a queue and counts the messages per {@code ce_id}. Stops when a
     * receive waited {@code quietMillis} for nothing and the broker counts no message left; fails
     * when the broker still counts messages after five minutes (held by another consumer, or in
     * doubt), rather than waiting for ever.
     */
    Map<String, Integer> drain(String queue, long quietMillis) throws JMSException, ActiveMQException {
        Map<String, Integer> received = new HashMap<>();
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        try (Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
             MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            Message last = null;
            int unacknowledged = 0;
            while (true) {
                Message m = consumer.receive(quietMillis);
                if (m == null) {
                    if (last != null) {
                        last.acknowledge(); // everything consumed so far in this session
                        last = null;
                        unacknowledged = 0;
                    }
                    long left = count(queue);
                    if (left == 0) {
                        return received;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(queue + " still counts " + left + " messages after " + DRAIN_LIMIT.toMinutes()
                                + " minutes of draining (" + received.size() + " distinct received)");
                    }
                    continue;
                }
                received.merge(String.valueOf(m.getStringProperty("ce_id")), 1, Integer::sum);
                last = m;
                if (++unacknowledged == 1000) {
                    m.acknowledge();
                    last = null;
                    unacknowledged = 0;
                }
            }
        }
    }

    @Override
    public void close() throws JMSException {
        try {
            connection.close();
        } finally {
            factory.close();
        }
    }
}
