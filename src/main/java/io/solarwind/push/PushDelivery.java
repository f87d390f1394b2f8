package io.solarwind.push;

import io.solarwind.application.PurposeRegistry;
import io.solarwind.application.RegistryNotReadyException;
import io.solarwind.config.Setting;
import io.solarwind.domain.Event;
import io.solarwind.domain.Push;
import io.solarwind.domain.Registration;
import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import io.solarwind.infrastructure.messaging.jms.BrokerConnection;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;

/**
 * Delivers the events of push purposes: on every server, {@code push.concurrency} JMS consumers
 * of each push purpose's queue (competing with each other and with the other servers' consumers,
 * so each event is POSTed by one of them), each in a transacted session of its own:
 *
 * <ul>
 * <li>it POSTs the event to the purpose's URL in CloudEvents HTTP binary mode ({@code ce-*}
 * headers, {@code Content-Type}, the data byte for byte), signed ({@link PushSignature});</li>
 * <li>a 2xx answer commits, which acknowledges the event;</li>
 * <li>any other answer (redirects are not followed), a timeout, a refused connection, or a host
 * {@code solarwind.push.allowed-hosts} no longer allows, rolls back: the broker delivers the
 * event again after the purpose's redelivery delay;</li>
 * <li>on the purpose's last attempt the event goes instead, in the same transaction, to
 * {@code DLA} with the reason, the attempts and the purpose, as the handler API dead-letters
 * (so the admin API lists and retries it).</li>
 * </ul>
 *
 * <p>At least once: a server that stops or dies between a 2xx and the commit leaves the event to
 * be POSTed again, by whichever consumer gets it next. A keeper thread starts and stops the
 * consumers as push purposes are registered and deleted (through any server), within a second.
 */
@ApplicationScoped
public class PushDelivery {
    private static final Logger LOG = Logger.getLogger(PushDelivery.class.getName());
    /** The header naming the purpose the request delivers for: {@code topic/purpose}. */
    public static final String PURPOSE_HEADER = "SolarWind-Purpose";
    /** The header giving the delivery's attempt, from 1. */
    public static final String ATTEMPT_HEADER = "SolarWind-Delivery-Attempt";
    static final String ATTEMPTS_PROPERTY = "solarwind_attempts";
    private static final long KEEPER_MILLIS = 1000;
    private static final long MAX_BACKOFF_MILLIS = 10_000;
    private static final int REASON_BODY_CHARS = 200;
    private static final Pattern ATTRIBUTE = Pattern.compile("[a-z0-9]{1,20}");

    @Resource
    ManagedThreadFactory threads;
    @Inject
    BrokerConnection broker;
    @Inject
    PurposeRegistry registry;
    @Inject
    PushMetrics metrics;

    /** The running consumers by purpose key; changed by the keeper thread only. */
    private final Map<String, Consumers> running = new HashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile boolean started;
    private volatile HttpClient http;
    private Thread keeper;

    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER) // an allowed host must not lead the server elsewhere
                .connectTimeout(Duration.ofMillis(Setting.PUSH_CONNECT_TIMEOUT_MILLIS.getLong()))
                .build();
        keeper = threads.newThread(this::keep);
        keeper.setName("solarwind-push");
        keeper.start();
    }

    public synchronized void stop() {
        started = false;
        if (keeper != null) {
            keeper.interrupt();
            join(keeper);
            keeper = null;
        }
        synchronized (running) {
            running.values().forEach(Consumers::stop);
            running.values().forEach(Consumers::join);
            running.clear();
        }
    }

    /** Events POSTed with a 2xx answer, by this server since it started. */
    public long deliveredCount() {
        return delivered.get();
    }

    /** POSTs that failed and were left to the broker's redelivery, by this server. */
    public long failedCount() {
        return failed.get();
    }

    /** Events this server moved to {@code DLA} after their last attempt failed. */
    public long deadLetteredCount() {
        return deadLettered.get();
    }

    /** Push consumers running on this server now. */
    public int consumerCount() {
        synchronized (running) {
            return running.values().stream().mapToInt(c -> c.threads.size()).sum();
        }
    }

    private void keep() {
        while (started) {
            try {
                reconcile();
            } catch (RegistryNotReadyException e) {
                // not loaded yet: nothing to push
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Starting or stopping push consumers failed; trying again in " + KEEPER_MILLIS + " ms", e);
            }
            try {
                Thread.sleep(KEEPER_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Starts consumers for push purposes without them, stops those of purposes deleted or changed. */
    private void reconcile() {
        Map<String, Registration> wanted = new HashMap<>();
        for (List<Registration> purposes : registry.all().values()) {
            for (Registration r : purposes) {
                if (r.pushes()) {
                    wanted.put(r.key(), r);
                }
            }
        }
        synchronized (running) {
            for (var it = running.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                Registration now = wanted.get(entry.getKey());
                if (now == null || !now.push().equals(entry.getValue().push) || !now.registeredAt().equals(entry.getValue().registeredAt)) {
                    entry.getValue().stop();
                    it.remove();
                    LOG.info(() -> "Stopped the push consumers of " + entry.getKey());
                }
            }
            for (Registration r : wanted.values()) {
                if (started && !running.containsKey(r.key())) {
                    Consumers consumers = new Consumers(r);
                    running.put(r.key(), consumers);
                    for (int i = 0; i < r.push().concurrency(); i++) {
                        Thread t = threads.newThread(() -> consume(consumers));
                        t.setName("solarwind-push-" + r.key() + "-" + i);
                        consumers.threads.add(t);
                        t.start();
                    }
                    LOG.info(() -> "Started " + r.push().concurrency() + " push consumer(s) of " + r.key() + " to " + r.push().url());
                }
            }
        }
    }

    /** The consumers of one push purpose on this server. */
    private static final class Consumers {
        final String key;
        final Push push;
        final java.time.Instant registeredAt;
        final Registration registration;
        final List<Thread> threads = new ArrayList<>();
        volatile boolean active = true;

        Consumers(Registration r) {
            this.key = r.key();
            this.push = r.push();
            this.registeredAt = r.registeredAt();
            this.registration = r;
        }

        void stop() {
            active = false;
        }

        void join() {
            threads.forEach(PushDelivery::join);
        }
    }

    private void consume(Consumers consumers) {
        long poll = Math.max(10, Setting.DISPATCH_POLL_MILLIS.getInt());
        long backoff = 100;
        Registration r = consumers.registration;
        while (started && consumers.active && current(r) != null) {
            // A core consumer in the JMS session's transaction: the JMS client's createConsumer makes a
            // missing queue (broker address settings allow auto-creation), and one made for a purpose just
            // deleted would take its topic's events again. A core consumer of a missing queue fails instead.
            try (Session session = broker.pushConnection().createSession(true, Session.SESSION_TRANSACTED);
                 MessageProducer producer = session.createProducer(null)) {
                ClientSession core = ((ActiveMQSession) session).getCoreSession();
                try (ClientConsumer consumer = core.createConsumer(SimpleString.of(r.destination()))) {
                    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                    backoff = 100;
                    while (started && consumers.active) {
                        ClientMessage received = consumer.receive(poll);
                        if (received == null) {
                            continue;
                        }
                        received.acknowledge(); // part of the session's transaction: a rollback undoes it
                        ActiveMQMessage event = ActiveMQMessage.createMessage(received, null);
                        event.doBeforeReceive();
                        Registration now = current(r);
                        if (now == null) {
                            session.rollback(); // deleted meanwhile: the queue goes with its events
                            break;
                        }
                        deliver(session, producer, event, now);
                    }
                }
            } catch (JMSException | ActiveMQException | RuntimeException e) {
                if (started && consumers.active && current(r) != null) {
                    // also the moment its purpose is deleted through any server (its queue goes first, with its consumers)
                    LOG.warning("A push consumer of " + r.key() + " lost its session (" + e + "); retrying in " + backoff + " ms");
                    LOG.log(Level.FINE, "The push consumer's failure", e);
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            }
        }
    }

    /**
     * The registration as the registry has it now (its redelivery policy may have changed); null
     * when it was deleted, or registered anew, since these consumers started.
     */
    private Registration current(Registration r) {
        for (Registration now : registry.routes(r.topic().name())) {
            if (now.purpose().equals(r.purpose()) && now.pushes() && now.push().equals(r.push())
                    && now.registeredAt().equals(r.registeredAt())) {
                return now;
            }
        }
        return null;
    }

    /** POSTs one event; commits on 2xx, dead-letters on the last attempt, else rolls back for the broker to redeliver. */
    private void deliver(Session session, MessageProducer producer, Message event, Registration r) throws JMSException {
        int attempt = event.propertyExists("JMSXDeliveryCount") ? event.getIntProperty("JMSXDeliveryCount") : 1;
        String failure = post(r, event, attempt);
        if (failure == null) {
            session.commit();
            delivered.incrementAndGet();
            count(metrics::delivered);
            return;
        }
        int attempts = r.redelivery().maxAttempts();
        if (attempt < attempts) {
            session.rollback();
            failed.incrementAndGet();
            count(metrics::failed);
            LOG.info(() -> "Push of event " + id(event) + " for " + r.key() + " failed on attempt " + attempt + " of " + attempts
                    + " (" + failure + "); the broker delivers it again after the purpose's redelivery delay");
            return;
        }
        var core = ((ActiveMQMessage) event).getCoreMessage();
        core.putStringProperty(BrokerNames.REASON_PROPERTY, failure);
        core.putIntProperty(ATTEMPTS_PROPERTY, attempt);
        core.putStringProperty(BrokerNames.DEAD_LETTER_TOPIC_PROPERTY, r.topic().name());
        core.putStringProperty(BrokerNames.DEAD_LETTER_PURPOSE_PROPERTY, r.purpose().name());
        core.putStringProperty("solarwind_original_destination", r.destination());
        core.removeProperty(SimpleString.of(BrokerNames.DUPLICATE_ID_PROPERTY));
        producer.send(session.createQueue(BrokerNames.DEAD_LETTER), event);
        session.commit();
        failed.incrementAndGet();
        deadLettered.incrementAndGet();
        count(metrics::failed);
        count(metrics::deadLettered);
        LOG.warning(() -> "Push of event " + id(event) + " for " + r.key() + " failed on its last attempt (" + attempt + " of "
                + attempts + "); moved to " + BrokerNames.DEAD_LETTER + ": " + failure);
    }

    /** POSTs the event; null on a 2xx answer, else why not. */
    String post(Registration r, Message event, int attempt) throws JMSException {
        var url = r.push().url();
        String refused = PushTargets.fromSetting().refusal(url);
        if (refused != null) {
            return "not POSTed to " + url + ": " + refused;
        }
        String contentType = event.getStringProperty(CloudEventProperties.DATACONTENTTYPE);
        byte[] body = body(event, contentType);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofMillis(Setting.PUSH_TIMEOUT_MILLIS.getLong()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        ceHeaders(event).forEach(request::header);
        if (contentType != null && !contentType.isBlank()) {
            request.header("Content-Type", contentType);
        }
        request.header(PushSignature.HEADER, PushSignature.header(r.push().secret(), System.currentTimeMillis() / 1000, body));
        request.header(PURPOSE_HEADER, r.key());
        request.header(ATTEMPT_HEADER, Integer.toString(attempt));
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream answer = response.body()) {
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    answer.transferTo(java.io.OutputStream.nullOutputStream());
                    return null;
                }
                byte[] start = answer.readNBytes(REASON_BODY_CHARS);
                String text = new String(start, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}]+", " ").trim();
                return "POST " + url + " answered HTTP " + status + (text.isEmpty() ? "" : ": " + text);
            }
        } catch (HttpConnectTimeoutException e) {
            return "POST " + url + " could not connect within " + Setting.PUSH_CONNECT_TIMEOUT_MILLIS.get() + " ms ("
                    + Setting.PUSH_CONNECT_TIMEOUT_MILLIS.key() + ")";
        } catch (HttpTimeoutException e) {
            return "POST " + url + " got no answer within " + Setting.PUSH_TIMEOUT_MILLIS.get() + " ms ("
                    + Setting.PUSH_TIMEOUT_MILLIS.key() + ")";
        } catch (IOException e) {
            return "POST " + url + " failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "POST " + url + " was interrupted: the server is stopping";
        }
    }

    /** The event's data as sent: a text in the charset of its content type (UTF-8 by default), bytes as they are. */
    static byte[] body(Message event, String contentType) throws JMSException {
        if (event instanceof TextMessage text) {
            String data = text.getText();
            return data == null ? new byte[0] : data.getBytes(Event.charsetOf(contentType));
        }
        if (event instanceof BytesMessage bytes) {
            bytes.reset();
            byte[] data = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(data);
            return data;
        }
        return new byte[0];
    }

    /** Every {@code ce_<attribute>} property but the content type as a {@code ce-<attribute>} header, percent-encoded. */
    static Map<String, String> ceHeaders(Message event) throws JMSException {
        Map<String, String> headers = new java.util.TreeMap<>();
        Enumeration<?> names = event.getPropertyNames();
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            if (!name.startsWith(CloudEventProperties.PREFIX)) {
                continue;
            }
            String attribute = name.substring(CloudEventProperties.PREFIX.length());
            if (attribute.equals("datacontenttype") || !ATTRIBUTE.matcher(attribute).matches()) {
                continue;
            }
            Object value = event.getObjectProperty(name);
            if (value != null) {
                headers.put("ce-" + attribute, percentEncode(String.valueOf(value)));
            }
        }
        return headers;
    }

    /**
     * A header value as the CloudEvents HTTP binding writes one: space, {@code "}, {@code %} and
     * everything outside printable ASCII as percent-encoded UTF-8.
     */
    static String percentEncode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '"' && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Metrics never fail a delivery. */
    private static void count(Runnable counter) {
        try {
            counter.run();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Counting a push delivery", e);
        }
    }

    private static String id(Message m) {
        try {
            return m.getStringProperty(CloudEventProperties.ID);
        } catch (JMSException e) {
            return "?";
        }
    }

    private static void join(Thread t) {
        try {
            t.join(Setting.PUSH_TIMEOUT_MILLIS.getLong() + 5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
