package io.solarwind.it;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects the messages one JMS consumer receives, through a listener. */
public final class Received {
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    public static Received by(MessageConsumer consumer) throws JMSException {
        Received received = new Received();
        consumer.setMessageListener(received.messages::add);
        return received;
    }

    public List<Message> messages() {
        return messages;
    }

    public List<String> ids() {
        return messages.stream().map(Received::id).toList();
    }

    public int size() {
        return messages.size();
    }

    public void awaitAtLeast(int count, Duration timeout) {
        SolarWindServer.await(timeout, count + " messages (have " + messages.size() + ")", () -> messages.size() >= count);
    }

    /**
     * Waits, instead of sleeping, until nothing more can arrive at the consumers of {@code destinations}
     * (purpose destinations as registrations name them): the dispatcher's queue is empty and each
     * destination's queues hold no message and none in delivery (a listener's auto-acknowledged
     * message leaves the queue only after the listener took it). A duplicate or a stray event would
     * by then be in {@link #messages}, so the assertions after this still catch it.
     */
    public static void awaitDrained(Connection connection, String... destinations) {
        SolarWindServer.await(Duration.ofSeconds(60), "the dispatcher's queue and " + String.join(", ", destinations)
                + " to be drained with no delivery in flight", () -> {
            try {
                if (count(connection, "queue." + BrokerQueues.DISPATCH, "messageCount") != 0) {
                    return false;
                }
                for (String destination : destinations) {
                    for (String queue : BrokerQueues.queuesOf(connection, destination)) {
                        if (count(connection, "queue." + queue, "messageCount") != 0
                                || count(connection, "queue." + queue, "deliveringCount") != 0) {
                            return false;
                        }
                    }
                }
                return true;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static long count(Connection connection, String resource, String attribute) throws Exception {
        return ((Number) BrokerQueues.attribute(connection, resource, attribute)).longValue();
    }

    public static String id(Message m) {
        try {
            return m.getStringProperty("ce_id");
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
