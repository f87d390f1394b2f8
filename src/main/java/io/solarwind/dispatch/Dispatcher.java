package io.solarwind.dispatch;

import io.solarwind.application.PurposeRegistry;
import io.solarwind.application.TopicSchemas;
import io.solarwind.config.Setting;
import io.solarwind.domain.Exchange;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import io.solarwind.infrastructure.messaging.jms.BrokerConnection;
import io.solarwind.infrastructure.messaging.jms.BrokerTopology;
import io.solarwind.infrastructure.messaging.jms.RegistryRecords;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.filter.Filter;
import org.apache.activemq.artemis.core.filter.impl.FilterImpl;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;

/**
 * The central dispatcher. It consumes the dispatcher's durable subscription on the
 * inbound topic and, for each event, sends one copy to the address of the event's topic,
 * where the queues of its direct purposes are bound (the broker stores the copy once for all of
 * them), and one to each fanout purpose's JMS topic.
 *
 * <p><b>One active dispatcher among many servers.</b> The dispatcher's subscription takes one
 * consumer at a time ({@code max-consumers=1}): on every Solar Wind server sharing the broker the
 * dispatcher tries to consume it; the broker lets one in, and the others stand by, trying again
 * every {@code solarwind.dispatch.standby-retry-millis}. When the active server goes (stopped,
 * killed, cut off), the broker closes its consumer, puts back in order what its open transaction
 * had taken, and the next standby to try takes over. A dispatcher that takes over first reads
 * the registry again, then applies the registry changes it meets in the stream (control records,
 * in order with the events) when they are newer than what it has.
 *
 * <p><b>Ordering keys.</b> An event with a {@code partitionkey} (the CloudEvents Partitioning
 * extension, {@code ce_partitionkey}) leaves with {@code JMSXGroupID} set to it: Artemis gives the
 * messages of a group in a queue to one consumer at a time, in the queue's order, so a direct
 * purpose's instances handle each key's events one after the other while different keys spread
 * over them (docs/concepts.md, "Ordering keys"). Set here, on the copy, so it holds whatever
 * protocol published the event (an AMQP message's group is its own header, not a property).
 *
 * <p><b>Versions.</b> A direct purpose with several versions ({@link io.solarwind.domain.PurposeVersions}) has a
 * queue per version on the topic's address; the copy carries the purpose's active version, as this
 * dispatcher knows it at that point of the stream, and only that version's queue takes it.
 *
 * <p>Consuming events and sending their copies happen in one local transaction per
 * batch: a crash before the commit rolls back both, the events come back and are
 * dispatched again, so no copy is lost and none is sent twice. An event whose topic is
 * not a valid topic goes, in the same transaction, to the dead-letter address with the
 * reason; so does a JMS or AMQP event whose data violates its topic's schema ({@link TopicSchemas};
 * an HTTP event was checked before it was accepted). If a batch cannot be committed, the broker redelivers its events and, after
 * {@code solarwind.delivery.max-attempts}, moves them to the dead-letter address.
 */
@ApplicationScoped
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 10_000;
    private static final SimpleString DUPLICATE_ID = SimpleString.of(BrokerNames.DUPLICATE_ID_PROPERTY);
    private static final SimpleString VIA = SimpleString.of(BrokerNames.VIA_PROPERTY);
    /** The core name of {@code JMSXGroupID}: Artemis gives a queue's messages of one group to one consumer at a time. */
    private static final SimpleString PARTITION_KEY = SimpleString.of(CloudEventProperties.PARTITIONKEY);
    private static final SimpleString GROUP_ID = org.apache.activemq.artemis.api.core.Message.HDR_GROUP_ID;

    @Resource
    private ManagedThreadFactory threads;
    @Inject
    private BrokerConnection broker;
    @Inject
    private PurposeRegistry registry;
    @Inject
    private DispatchMetrics metrics;
    @Inject
    private TopicSchemas schemas;

    /** By topic, so no destination is built per event; used by the dispatcher thread only. */
    private final Map<String, Targets> targetsByTopic = new HashMap<>();
    private final AtomicLong dispatched = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    /** The open batch's counts; used by the dispatcher thread only. */
    private final DispatchTally tally = new DispatchTally();
    private volatile boolean running;
    private volatile boolean consuming;
    private volatile boolean standingBy;
    private volatile boolean resync;
    /** The session of the active dispatcher, closed from outside after a failover. */
    private volatile Session activeSession;
    private final AtomicLong takeovers = new AtomicLong();
    private Thread worker;

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = threads.newThread(this::run);
        worker.setName("solarwind-dispatcher");
        worker.start();
    }

    public synchronized void stop() {
        running = false;
        if (worker != null) {
            try {
                worker.join(Setting.DISPATCH_POLL_MILLIS.getInt() * 5L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }

    /** Whether the dispatcher is consuming the inbound topic right now. */
    public boolean isConsuming() {
        return running && consuming;
    }

    /** Whether another server's dispatcher is active and this one waits to take over. */
    public boolean isStandingBy() {
        return running && standingBy;
    }

    /** "active", "standby" or "stopped" (not connected, or not started yet). */
    public String role() {
        return isConsuming() ? "active" : isStandingBy() ? "standby" : "stopped";
    }

    /** How often this server's dispatcher became the active one. */
    public long takeoverCount() {
        return takeovers.get();
    }

    /**
     * The broker connection failed over or reconnected: the dispatcher reads the registry again and,
     * if it is the active one, takes its subscription again. Its session is closed at once (on a
     * thread of its own, not the client's): a call blocked across the failover, or a consumer the
     * client made again where the broker had given the subscription to another server's dispatcher,
     * would otherwise keep it waiting while it reports itself active.
     */
    public void resyncRegistry() {
        resync = true;
        Session active = activeSession;
        if (active != null) {
            Thread closer = threads.newThread(() -> {
                try {
                    active.close();
                } catch (JMSException | RuntimeException e) {
                    LOG.log(Level.FINE, "Closing the dispatcher's session after a failover", e);
                }
            });
            closer.setName("solarwind-dispatcher-failover");
            closer.start();
        }
    }

    /** Whether the dispatcher should be running and its thread is alive. */
    public boolean isAlive() {
        Thread w = worker;
        return !running || (w != null && w.isAlive());
    }

    public long dispatchedCount() {
        return dispatched.get();
    }

    public long deadLetteredCount() {
        return deadLettered.get();
    }

    private void run() {
        int batchSize = Math.max(1, Setting.DISPATCH_BATCH.getInt());
        long poll = Math.max(10, Setting.DISPATCH_POLL_MILLIS.getInt());
        long standbyRetry = Math.max(10, Setting.DISPATCH_STANDBY_RETRY_MILLIS.getLong());
        long backoff = 100;
        while (running) {
            try (Session session = broker.transactedConnection().createSession(true, Session.SESSION_TRANSACTED);
                 MessageConsumer consumer = takeOver(session, standbyRetry);
                 MessageProducer producer = session.createProducer(null)) {
                if (consumer == null) {
                    continue; // stopping
                }
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                Destination deadLetter = session.createQueue(BrokerNames.DEAD_LETTER);
                // what other servers changed while this one stood by, or before a failover, is in the registry's queues;
                // listening anew, since a failover loses the non-durable subscription to the change broadcast
                registry.load();
                schemas.load();
                resync = false;
                activeSession = session;
                takeovers.incrementAndGet();
                consuming = true;
                backoff = 100;
                LOG.info("This server's dispatcher is the active one");
                while (running) {
                    if (resync) {
                        // The connection failed over (or reconnected): the client made this consumer again on the
                        // broker now active, unless another server's dispatcher got the subscription first, in which
                        // case this one would wait for events that never come. Take it again, or stand by.
                        LOG.info("The broker connection failed over; this server's dispatcher takes its subscription again");
                        break;
                    }
                    Message event = consumer.receive(poll);
                    if (event == null) {
                        continue;
                    }
                    int inBatch = 0;
                    tally.reset();
                    try {
                        do {
                            dispatch(event, producer, deadLetter);
                            inBatch++;
                        } while (inBatch < batchSize && (event = consumer.receiveNoWait()) != null);
                        long commitStarted = System.nanoTime();
                        session.commit();
                        dispatched.addAndGet(inBatch);
                        tally.messages = inBatch;
                        metrics.committed(tally, System.nanoTime() - commitStarted);
                    } catch (JMSException | RuntimeException e) {
                        LOG.log(Level.WARNING, "Dispatching a batch of " + inBatch + " events failed; rolling back so the broker redelivers them", e);
                        rollback(session);
                        if (e instanceof JMSException jms) {
                            throw jms;
                        }
                    }
                }
            } catch (JMSException | RuntimeException e) {
                consuming = false;
                standingBy = false;
                if (running) {
                    LOG.log(Level.WARNING, "The dispatcher lost its session; retrying in " + backoff + " ms", e);
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            } finally {
                consuming = false;
                activeSession = null;
            }
        }
    }

    /**
     * The consumer of the dispatcher's subscription, once the broker lets this server have it:
     * while another server's dispatcher holds it, this one stands by and asks again every
     * {@code standbyRetry} ms. Null when the dispatcher stops meanwhile.
     */
    private MessageConsumer takeOver(Session session, long standbyRetry) throws JMSException {
        Destination dispatch = session.createQueue(BrokerNames.DISPATCH_FQQN);
        while (running) {
            try {
                MessageConsumer consumer = session.createConsumer(dispatch);
                standingBy = false;
                return consumer;
            } catch (JMSException e) {
                if (!heldByAnother(e)) {
                    throw e;
                }
                if (!standingBy) {
                    standingBy = true;
                    LOG.info("Another server's dispatcher is active; this one stands by");
                }
                if (resync) {
                    // a failover loses the non-durable subscription to registry changes: listen anew and catch up
                    resync = false;
                    registry.load();
                    schemas.load();
                }
                sleep(standbyRetry);
            }
        }
        return null;
    }

    /** Whether the broker refused the consumer because the subscription has its one consumer already. */
    static boolean heldByAnother(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ActiveMQException amq && amq.getType() == ActiveMQExceptionType.MAX_CONSUMER_LIMIT_EXCEEDED) {
                return true;
            }
            if (t instanceof JMSException jms && jms.getLinkedException() != null && jms.getLinkedException() != t
                    && heldByAnother(jms.getLinkedException())) {
                return true;
            }
        }
        return false;
    }

    /** Sends one event's copies; called inside the batch's transaction. */
    private void dispatch(Message event, MessageProducer producer, Destination deadLetter) throws JMSException {
        if (RegistryRecords.isControl(event)) {
            // a registry change made through any server, in order with the events; stale ones change nothing
            registry.apply(RegistryRecords.fromMessage(event));
            return;
        }
        org.apache.activemq.artemis.api.core.Message core = ((ActiveMQMessage) event).getCoreMessage();
        if (core.containsProperty(VIA)) {
            tally.receivedHttp++;
        } else {
            tally.receivedJms++;
        }
        String topic = event.getStringProperty(CloudEventProperties.TYPE);
        List<Registration> routes = topic == null ? List.of() : registry.routes(topic);
        if (routes.isEmpty()) {
            if (!Topic.isValid(topic)) {
                deadLetter(event, producer, deadLetter, topic == null
                        ? "missing ce_type: the event has no topic"
                        : "invalid ce_type '" + topic + "': not a valid topic name");
                tally.deadLettered++;
            } else {
                tally.dropped++;
            }
            return; // no purpose on this topic: dropped from dispatch
        }
        // an HTTP event was checked before it was accepted; only a topic with a schema reads the data
        if (schemas.hasSchema(topic) && !core.containsProperty(VIA)) {
            TopicSchemas.Violation violation = schemas.check(topic, event.getStringProperty(CloudEventProperties.DATASCHEMA),
                    event.getStringProperty(CloudEventProperties.DATACONTENTTYPE), dataOf(event));
            if (violation != null) {
                deadLetter(event, producer, deadLetter, violation.describe());
                tally.deadLettered++;
                return;
            }
        }
        // The inbound duplicate key did its work; a copy keeps no key, so it cannot collide later.
        core.removeProperty(DUPLICATE_ID);
        core.removeProperty(VIA);
        // Ordering keys: a purpose queue's events of one partitionkey go to one consumer at a time, in order.
        Object key = core.getObjectProperty(PARTITION_KEY);
        if (key != null) {
            core.putStringProperty(GROUP_ID, SimpleString.of(key.toString()));
        }
        tally.dispatched++;
        Targets targets = targetsOf(topic, routes);
        // Versions: each direct purpose with several versions gets the event in its active version's queue alone.
        for (VersionMark mark : targets.marks) {
            core.putStringProperty(mark.property, mark.version);
        }
        for (Destination target : targets.destinations) {
            producer.send(target, event);
        }
        for (Filtered target : targets.filtered) {
            if (target.filter.match(core)) {
                producer.send(target.destination, event);
            }
        }
    }

    /** An event's data for its schema check: a text message's text, a bytes message's bytes (read, then reset for the copies). */
    private static byte[] dataOf(Message event) throws JMSException {
        if (event instanceof jakarta.jms.TextMessage text) {
            String body = text.getText();
            return body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        if (event instanceof jakarta.jms.BytesMessage bytes) {
            byte[] data = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(data);
            bytes.reset();
            return data;
        }
        return null;
    }

    private void deadLetter(Message event, MessageProducer producer, Destination deadLetter, String reason) throws JMSException {
        ActiveMQMessage message = (ActiveMQMessage) event;
        message.getCoreMessage().putStringProperty(BrokerNames.REASON_PROPERTY, reason);
        message.getCoreMessage().removeProperty(DUPLICATE_ID);
        producer.send(deadLetter, event);
        deadLettered.incrementAndGet();
        LOG.warning(() -> "Event " + safe(event) + " moved to " + BrokerNames.DEAD_LETTER + ": " + reason);
    }

    /**
     * Where a topic's events go: its address once for all its direct purposes (their queues are
     * bound there, so the broker stores the event once), and each fanout purpose's address. Built
     * once per version of the topic's routes (the registry replaces the list on every change).
     *
     * <p>The registry creates an address before it routes to it, so the JMS client need not ask
     * the broker whether it exists before the first send ({@link BrokerTopology#existingTopic}): that question cost
     * a blocking round trip behind the batch's sends, about 20 ms per new destination with 30,000
     * purposes, paid again for each after every restart.
     */
    private Targets targetsOf(String topic, List<Registration> routes) {
        Targets targets = targetsByTopic.get(topic);
        if (targets != null && targets.routes == routes) {
            return targets;
        }
        Destination[] destinations = routes.stream().filter(r -> r.exchange() == Exchange.DIRECT || !r.filters())
                .map(Registration::address).distinct()
                .map(BrokerTopology::existingTopic).toArray(Destination[]::new);
        Filtered[] filtered = routes.stream().filter(r -> r.exchange() != Exchange.DIRECT && r.filters())
                .map(r -> new Filtered(compile(r), BrokerTopology.existingTopic(r.address()))).toArray(Filtered[]::new);
        VersionMark[] marks = routes.stream().filter(Registration::routesByVersion)
                .map(r -> new VersionMark(SimpleString.of(r.versionProperty()), SimpleString.of(r.versions().active())))
                .toArray(VersionMark[]::new);
        targets = new Targets(routes, destinations, filtered, marks);
        targetsByTopic.put(topic, targets);
        return targets;
    }

    /**
     * A fanout purpose's filter, compiled once per version of its topic's routes into the broker's
     * own selector (the same one a direct purpose's queue applies, so both exchanges match alike).
     */
    private static Filter compile(Registration r) {
        try {
            return FilterImpl.createFilter(r.filter().selector());
        } catch (ActiveMQException e) {
            throw new IllegalStateException("the filter of " + r.key() + " has no valid selector: " + r.filter(), e);
        }
    }

    /**
     * The addresses a version of a topic's routes sends to: every event to {@code destinations}
     * (direct purposes filter at their queues), to each of {@code filtered} (fanout purposes with
     * a filter) the events its filter matches.
     */
    private record Targets(List<Registration> routes, Destination[] destinations, Filtered[] filtered, VersionMark[] marks) {
    }

    /**
     * A direct purpose with several versions: the property each event carries with its active version, which
     * only that version's queue takes ({@link Registration#queueSelector}). The registry's changes reach the
     * dispatcher in order with the events, so a cut-over holds from an exact point of the stream.
     */
    private record VersionMark(SimpleString property, SimpleString version) {
    }

    /** A fanout purpose's address with its compiled filter. */
    private record Filtered(Filter filter, Destination destination) {
    }

    private static String safe(Message m) {
        try {
            return m.getJMSMessageID();
        } catch (JMSException e) {
            return "?";
        }
    }

    private static void rollback(Session session) {
        try {
            session.rollback();
        } catch (JMSException e) {
            LOG.fine("Rollback failed: " + e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
