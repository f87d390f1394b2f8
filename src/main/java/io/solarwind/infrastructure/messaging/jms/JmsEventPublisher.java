package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.application.EventPublisher;
import io.solarwind.config.Setting;
import io.solarwind.domain.Event;
import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Sends HTTP-published events to the inbound topic, persistent, marked as come over HTTP.
 *
 * <p>One event ({@link #publishAsync}): an asynchronous send whose completion listener the client
 * calls once the broker confirmed it, which it does once the event is in its journal; the request
 * does not hold a thread or a session meanwhile, so the events of many requests in flight share
 * the journal's writes (Artemis syncs everything buffered at once) instead of each waiting for one
 * of its own. A batch ({@link #publishAll}): one transacted session, one commit.
 *
 * <p>JMS sessions are single-threaded: a send borrows one from a small pool and gives it back as
 * soon as the send call returns (the confirmation comes later, on the client's thread).
 */
@ApplicationScoped
public class JmsEventPublisher implements EventPublisher {
    private static final Logger LOG = Logger.getLogger(JmsEventPublisher.class.getName());

    private BrokerConnection broker;
    private Pool confirming;
    private Pool transacted;

    protected JmsEventPublisher() {
    }

    @Inject
    public JmsEventPublisher(BrokerConnection broker) {
        this.broker = broker;
        int sessions = Math.max(1, Setting.PUBLISH_SESSIONS.getInt());
        this.confirming = new Pool(sessions, () -> broker.publishConnection(), false);
        this.transacted = new Pool(sessions, () -> broker.transactedConnection(), true);
    }

    @Override
    public CompletionStage<Void> publishAsync(Event event) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        Sender sender = confirming.borrow();
        boolean healthy = false;
        try {
            Message message;
            try {
                message = message(sender.session, event);
            } catch (RuntimeException e) {
                healthy = true; // InvalidInputException: the data is not valid text; nothing was sent
                throw e;
            }
            sender.producer.send(message, new CompletionListener() {
                @Override
                public void onCompletion(Message m) {
                    stored.complete(null);
                }

                @Override
                public void onException(Message m, Exception e) {
                    stored.completeExceptionally(notStored(event, e));
                }
            });
            healthy = true;
        } catch (JMSException e) {
            throw notStored(event, e);
        } finally {
            if (healthy) {
                confirming.giveBack(sender);
            } else {
                sender.close();
            }
        }
        long timeout = broker.callTimeoutMillis();
        return stored.orTimeout(timeout, TimeUnit.MILLISECONDS).exceptionally(t -> {
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof TimeoutException) {
                throw new BrokerUnavailableException("The broker did not confirm event " + event.id() + " within " + timeout
                        + " ms; it may be stored or not: publishing it again is safe", cause);
            }
            throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
        });
    }

    @Override
    public void publishAll(List<Event> events) {
        List<Event> unique = withoutRepeats(events);
        if (unique.isEmpty()) {
            return;
        }
        Sender sender = transacted.borrow();
        boolean healthy = false;
        boolean alreadyStored = false;
        try {
            for (Event event : unique) {
                sender.producer.send(message(sender.session, event));
            }
            sender.session.commit(); // the events are in the journal when it returns
            healthy = true;
        } catch (JMSException e) {
            if (JmsRegistrationStore.isDuplicate(e)) {
                // The broker had one of them already: it rolled the whole transaction back (Artemis
                // refuses a transaction holding a duplicate). The session is still good.
                healthy = true;
                alreadyStored = true;
            } else {
                rollback(sender);
                throw new BrokerUnavailableException("The broker did not store the batch of " + unique.size() + " events: "
                        + e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            rollback(sender);
            healthy = true;
            throw e;
        } finally {
            if (healthy) {
                transacted.giveBack(sender);
            } else {
                sender.close();
            }
        }
        if (alreadyStored) {
            // A batch sent again (or overlapping one sent before): one send per event, so that the
            // broker drops those it has and stores the others, all sends in flight at once.
            LOG.fine(() -> "A batch of " + unique.size() + " events holds one the broker already has: stored event by event");
            awaitAll(unique.stream().map(this::publishAsync).toList());
        }
    }

    /** The events without those whose {@code source} + {@code id} came earlier in the list (the broker would store both). */
    static List<Event> withoutRepeats(List<Event> events) {
        Map<String, Event> first = new LinkedHashMap<>();
        for (Event event : events) {
            first.putIfAbsent(CloudEventProperties.deduplicationKey(event.source(), event.id()), event);
        }
        return new ArrayList<>(first.values());
    }

    private static void awaitAll(List<CompletionStage<Void>> sends) {
        RuntimeException failure = null;
        for (CompletionStage<Void> send : sends) {
            try {
                send.toCompletableFuture().get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new BrokerUnavailableException("The broker did not store an event: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerUnavailableException("Interrupted while waiting for the broker", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The one place where an HTTP-published event becomes the message sent. */
    private static Message message(Session session, Event event) throws JMSException {
        Message message = EventMessages.toMessage(session, event);
        message.setStringProperty(BrokerNames.VIA_PROPERTY, BrokerNames.VIA_HTTP); // counted by way at dispatch
        return message;
    }

    private static BrokerUnavailableException notStored(Event event, Exception e) {
        return new BrokerUnavailableException("The broker did not accept event " + event.id() + ": " + e.getMessage(), e);
    }

    private static void rollback(Sender sender) {
        try {
            sender.session.rollback();
        } catch (JMSException ignored) {
            // the transaction is gone with the session either way
        }
    }

    /** Closes the idle sessions; called when the application stops. */
    public void close() {
        confirming.close();
        transacted.close();
    }

    /** Idle sessions of one kind, each with its producer to the inbound topic. */
    private static final class Pool {
        private final BlockingQueue<Sender> idle;
        private final Supplier<Connection> connection;
        private final boolean transacted;

        Pool(int size, Supplier<Connection> connection, boolean transacted) {
            this.idle = new ArrayBlockingQueue<>(size);
            this.connection = connection;
            this.transacted = transacted;
        }

        Sender borrow() {
            Sender s = idle.poll();
            if (s != null) {
                return s;
            }
            try {
                Session session = transacted
                        ? connection.get().createSession(true, Session.SESSION_TRANSACTED)
                        : connection.get().createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createTopic(BrokerNames.INBOUND));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                return new Sender(session, producer);
            } catch (JMSException e) {
                throw new BrokerUnavailableException("Cannot open a session to the broker: " + e.getMessage(), e);
            }
        }

        void giveBack(Sender s) {
            if (!idle.offer(s)) {
                s.close();
            }
        }

        void close() {
            Sender s;
            while ((s = idle.poll()) != null) {
                s.close();
            }
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
