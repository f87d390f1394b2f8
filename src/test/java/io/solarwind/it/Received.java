package io.solarwind.it;

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

    /** Waits a little longer to catch anything that should not arrive. */
    public void settle() {
        SolarWindServer.sleep(1500);
    }

    public static String id(Message m) {
        try {
            return m.getStringProperty("ce_id");
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
