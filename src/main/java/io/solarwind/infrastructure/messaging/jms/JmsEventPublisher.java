package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.application.EventPublisher;
import io.solarwind.config.Setting;
import io.solarwind.domain.Event;
import io.solarwind.infrastructure.messaging.BrokerNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Sends events to the inbound topic with persistent, blocking sends: when
 * {@link #publish} returns, the broker has the event in its journal. JMS sessions are
 * single-threaded, so concurrent requests each borrow one from a small pool.
 */
@ApplicationScoped
public class JmsEventPublisher implements EventPublisher {
    private BrokerConnection broker;
    private BlockingQueue<Sender> idle;

    protected JmsEventPublisher() {
    }

    @Inject
    public JmsEventPublisher(BrokerConnection broker) {
        this.broker = broker;
        this.idle = new ArrayBlockingQueue<>(Math.max(1, Setting.PUBLISH_SESSIONS.getInt()));
    }

    @Override
    public void publish(Event event) {
        Sender sender = borrow();
        boolean healthy = true;
        try {
            jakarta.jms.Message message = EventMessages.toMessage(sender.session, event);
            message.setStringProperty(BrokerNames.VIA_PROPERTY, BrokerNames.VIA_HTTP); // counted by way at dispatch
            sender.producer.send(message);
        } catch (JMSException e) {
            healthy = false;
            throw new BrokerUnavailableException("The broker did not accept event " + event.id() + ": " + e.getMessage(), e);
        } finally {
            if (healthy) {
                giveBack(sender);
            } else {
                sender.close();
            }
        }
    }

    /** Closes the idle sessions; called when the application stops. */
    public void close() {
        Sender s;
        while ((s = idle.poll()) != null) {
            s.close();
        }
    }

    private Sender borrow() {
        Sender s = idle.poll();
        if (s != null) {
            return s;
        }
        try {
            Session session = broker.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createTopic(BrokerNames.INBOUND));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            return new Sender(session, producer);
        } catch (JMSException e) {
            throw new BrokerUnavailableException("Cannot open a session to the broker: " + e.getMessage(), e);
        }
    }

    private void giveBack(Sender s) {
        if (!idle.offer(s)) {
            s.close();
        }
    }

    private record Sender(Session session, MessageProducer producer) {
        void close() {
            try {
                session.close();
            } catch (JMSException ignored) {
                // the session is gone either way
            }
        }
    }
}
