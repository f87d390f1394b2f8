package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.basic;
import static io.solarwind.it.SolarWindServer.jms;
import static io.solarwind.it.SolarWindServer.publish;
import static io.solarwind.it.SolarWindServer.purposeUrl;
import static io.solarwind.it.SolarWindServer.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} from outside, over HTTPS with the scraper's credentials, as Prometheus reads it:
 * the event counters move by exactly what this test sends (differences, since the server is
 * shared with the other tests, which run one class at a time), and a purpose's broker figures
 * are those of its queue.
 */
class MetricsIT {
    private static final String HTTPS = System.getProperty("solarwind.it.https", "https://localhost:9443");
    private static final String METRICS = HTTPS + "/metrics?scope=application";
    private static final String SCRAPER = "metrics";
    private static final String SCRAPER_PASSWORD = "metrics-dev-only";
    /** Per-purpose series go to the first purposes by topic name; a topic starting with 0 sorts first. */
    private static final String TOPIC = "0metrics." + UUID.randomUUID().toString().substring(0, 8);
    private static HttpClient https;

    @BeforeAll
    static void ready() throws Exception {
        awaitReady(Duration.ofMinutes(3));
        Path server = SolarWindServer.wlp().resolve("usr/servers/" + SolarWindServer.serverName());
        String password = Files.readAllLines(server.resolve("server.env")).stream()
                .filter(l -> l.startsWith("keystore_password=")).map(l -> l.substring("keystore_password=".length()))
                .findFirst().orElseThrow(() -> new AssertionError("Liberty wrote no keystore_password to server.env"));
        https = HttpClient.newBuilder().sslContext(TlsIT.trusting(server.resolve("resources/security/key.p12"), password))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void onlyTheScraperReadsMetricsAndOnlyOverHttps() throws Exception {
        HttpResponse<String> scraped = scrape(METRICS, SCRAPER, SCRAPER_PASSWORD);
        assertEquals(200, scraped.statusCode(), scraped.body());
        assertTrue(scraped.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                "Prometheus text format: " + scraped.headers());
        assertTrue(scraped.body().contains("solarwind_events_received_total"), scraped.body());
        Files.writeString(Path.of("target/metrics-it-scrape.txt"), scraped.body()); // what a scraper sees, for the docs
        assertEquals(401, scrape(METRICS, null, null).statusCode(), "anonymous");
        assertEquals(401, scrape(METRICS, SCRAPER, "wrong").statusCode(), "wrong password");
        assertEquals(403, scrape(METRICS, "viewer", "viewer-dev-only").statusCode(), "a user without solarwind-metrics");
        assertEquals(403, scrape(METRICS, "publisher", "publisher-dev-only").statusCode(), "a user without solarwind-metrics");
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(SolarWindServer.HTTP + "/metrics")).header("Authorization", basic(SCRAPER, SCRAPER_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertNotEquals(200, plain.statusCode(), "plain HTTP shows no metrics (Liberty redirects to HTTPS)");
    }

    @Test
    void eventCountersMoveByExactlyWhatWasSent() throws Exception {
        String topic = TOPIC + ".counted";
        String noPurpose = TOPIC + ".nobody";
        SolarWindServer.register(topic, "one", "direct");
        SolarWindServer.register(topic, "two", "direct"); // two purposes: each event still counts once
        int httpEvents = 7;
        int jmsEvents = 5;
        int withoutPurpose = 4;
        int invalidTopic = 2;
        Map<String, Double> before = counters();

        for (int i = 0; i < httpEvents; i++) {
            publish(topic, topic + "-h" + i, "{\"n\":" + i + "}");
        }
        publish(topic, topic + "-h0", "{\"again\":true}"); // a duplicate (same id and source): the broker drops it
        for (int i = 0; i < withoutPurpose; i++) {
            publish(noPurpose, topic + "-k" + i, "{}");
        }
        try (Connection connection = jms("publisher", "publisher-dev-only")) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer inbound = session.createProducer(session.createTopic("solarwind.inbound"));
            inbound.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < jmsEvents; i++) {
                Message event = session.createTextMessage("{\"jms\":" + i + "}");
                event.setStringProperty("ce_type", topic);
                event.setStringProperty("ce_id", topic + "-j" + i); // ids are unique per source across runs: the duplicate window outlives the server
                event.setStringProperty("ce_source", "/metrics-it");
                if (i == 0) {
                    event.setStringProperty("solarwind_via", "http"); // forged: a JMS publisher cannot claim HTTP
                }
                inbound.send(event);
            }
            for (int i = 0; i < invalidTopic; i++) {
                Message event = session.createTextMessage("{}");
                event.setStringProperty("ce_type", "not a topic/" + i);
                event.setStringProperty("ce_id", TOPIC + "-bad" + i);
                inbound.send(event);
            }
        }

        Map<String, Double> expected = new HashMap<>();
        expected.put("http", before.get("http") + httpEvents + withoutPurpose);
        expected.put("jms", before.get("jms") + jmsEvents + invalidTopic);
        expected.put("dispatched", before.get("dispatched") + httpEvents + jmsEvents);
        expected.put("dropped", before.get("dropped") + withoutPurpose);
        expected.put("deadLettered", before.get("deadLettered") + invalidTopic);
        expected.put("publishes", before.get("publishes") + httpEvents + 1 + withoutPurpose); // the duplicate got 202 too
        SolarWindServer.await(Duration.ofSeconds(30), "the counters to reach " + expected + " from " + before, () -> {
            Map<String, Double> now = counters();
            return expected.keySet().stream().allMatch(k -> now.get(k) >= expected.get(k));
        });
        SolarWindServer.sleep(1500); // nothing more may come
        Map<String, Double> after = counters();
        for (String k : expected.keySet()) {
            assertEquals(expected.get(k), after.get(k), k + ": before " + before + ", after " + after);
        }
        assertTrue(after.get("batches") > before.get("batches"), "batch sizes are recorded");
        assertTrue(after.get("commits") > before.get("commits"), "commit times are recorded");
    }

    @Test
    void aPurposesBrokerFiguresAreItsQueues() throws Exception {
        String topic = TOPIC + ".figures";
        String failingTopic = TOPIC + ".failing"; // a topic's direct purposes share their redelivery delays and the broker's attempts
        register(topic, "waiting", "{\"exchange\":\"direct\",\"redelivery\":{\"maxAttempts\":5,\"delayMillis\":600000}}");
        register(failingTopic, "failing", "{\"exchange\":\"direct\",\"redelivery\":{\"maxAttempts\":1}}");
        int events = 6;
        for (int i = 0; i < events; i++) {
            publish(topic, topic + "-f" + i, "{\"n\":" + i + "}");
        }
        publish(failingTopic, failingTopic + "-x", "{}");
        await(topic, "waiting", "pending", events);
        await(failingTopic, "failing", "pending", 1);
        assertEquals(0, gauge(topic, "waiting", "consumers"));
        assertEquals(0, gauge(topic, "waiting", "delivered"));
        assertEquals(0, gauge(topic, "waiting", "redelivering"));

        String waiting = SolarWindServer.registration(topic, "waiting").getString("destination");
        String failing = SolarWindServer.registration(failingTopic, "failing").getString("destination");
        try (Connection connection = jms()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(waiting));
            for (int i = 0; i < 3; i++) {
                assertNotNull(consumer.receive(10_000));
            }
            session.commit(); // 3 delivered
            await(topic, "waiting", "consumers", 1);
            for (int i = 3; i < events; i++) {
                assertNotNull(consumer.receive(10_000));
            }
            session.rollback(); // the other 3 wait 10 minutes for their redelivery
            consumer.close();
            MessageConsumer failer = session.createConsumer(session.createQueue(failing));
            assertNotNull(failer.receive(10_000));
            session.rollback(); // its only attempt: Artemis moves it to DLA
            failer.close();
            // and a dead letter a handler sends itself after its last attempt, with the purpose's name
            Message letter = session.createTextMessage("{}");
            letter.setStringProperty("solarwind_topic", failingTopic);
            letter.setStringProperty("solarwind_purpose", "failing");
            letter.setStringProperty("solarwind_reason", "MetricsIT");
            session.createProducer(session.createQueue("DLA")).send(letter);
            session.commit();
        }
        await(topic, "waiting", "delivered", 3);
        await(topic, "waiting", "pending", events - 3);
        await(topic, "waiting", "redelivering", events - 3);
        await(topic, "waiting", "consumers", 0);
        await(failingTopic, "failing", "dead_letters", 2);
        await(failingTopic, "failing", "pending", 0);
        assertEquals(0, gauge(topic, "waiting", "dead_letters"));
        assertTrue(gauge("_other", "_other", "pending") >= 0, "the _other series exists");
    }

    // --- reading /metrics

    private static void register(String topic, String purpose, String body) {
        HttpResponse<String> r = put(purposeUrl(topic, purpose), body);
        assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.body());
    }

    private static void await(String topic, String purpose, String figure, long value) {
        double[] last = {Double.NaN};
        try {
            SolarWindServer.await(Duration.ofSeconds(30), topic + "/" + purpose + " " + figure + " = " + value,
                    () -> (last[0] = gauge(topic, purpose, figure)) == value);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (last seen: " + last[0] + ")", e);
        }
    }

    /** A per-purpose gauge ({@code solarwind_purpose_<figure>}); fails when there is no such series. */
    private static double gauge(String topic, String purpose, String figure) {
        String body = metrics();
        Double v = value(body, "solarwind_purpose_" + figure, Map.of("topic", topic, "purpose", purpose));
        if (v == null) {
            return Double.NaN;
        }
        return v;
    }

    private static Map<String, Double> counters() {
        String body = metrics();
        Map<String, Double> c = new HashMap<>();
        c.put("http", value(body, "solarwind_events_received_total", Map.of("way", "http")));
        c.put("jms", value(body, "solarwind_events_received_total", Map.of("way", "jms")));
        c.put("dispatched", value(body, "solarwind_events_dispatched_total", Map.of()));
        c.put("dropped", value(body, "solarwind_events_dropped_total", Map.of()));
        c.put("deadLettered", value(body, "solarwind_events_dead_lettered_total", Map.of()));
        c.put("publishes", value(body, "solarwind_http_publish_seconds_count", Map.of()));
        c.put("batches", value(body, "solarwind_dispatch_batch_size_count", Map.of()));
        c.put("commits", value(body, "solarwind_dispatch_commit_seconds_count", Map.of()));
        c.forEach((k, v) -> assertNotNull(v, "no " + k + " in /metrics:\n" + body));
        return c;
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The value of the one sample of {@code name} whose labels include {@code labels}; null if none. */
    static Double value(String body, String name, Map<String, String> labels) {
        Matcher line = LINE.matcher(body);
        while (line.find()) {
            if (!line.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new HashMap<>();
            if (line.group(3) != null) {
                Matcher label = LABEL.matcher(line.group(3));
                while (label.find()) {
                    found.put(label.group(1), label.group(2));
                }
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                return Double.parseDouble(line.group(4));
            }
        }
        return null;
    }

    static String metrics() {
        HttpResponse<String> r = scrape(METRICS, SCRAPER, SCRAPER_PASSWORD);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static HttpResponse<String> scrape(String url, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        try {
            return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
