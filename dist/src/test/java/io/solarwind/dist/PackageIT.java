package io.solarwind.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * The runnable package as an operator runs it: {@code java -jar solarwind.jar}, settings from
 * environment variables, the journal in a directory of the operator's (docs/deploy.md).
 */
class PackageIT {
    private static final Duration READY = Duration.ofMinutes(4);
    private final Path jar = Path.of(System.getProperty("solarwind.dist.jar"));
    private final Path work = Path.of(System.getProperty("solarwind.dist.work"));

    /**
     * Production security unless told otherwise; the journal where SOLARWIND_BROKER_DATA_DIR says;
     * registrations and waiting events kept over a restart from a fresh extraction (what a newer
     * jar does).
     */
    @Test
    void startsWithProductionSecurityAndKeepsItsJournalWhereTold() throws Exception {
        Path data = clean(work.resolve("own-data"));
        try (RunnablePackage first = new RunnablePackage(jar, clean(work.resolve("first")), data)) {
            long ready = first.start(READY);
            System.out.printf("[package] %s (%d MB): ready %d ms after java -jar, production security%n",
                    jar.getFileName(), Files.size(jar) / (1024 * 1024), ready);
            assertEquals(401, first.get("/api/v1/topics", "admin").statusCode(),
                    "no development password works unless SOLARWIND_SECURITY turns it on");
            assertTrue(Files.isDirectory(data.resolve("journal")), "the journal is in SOLARWIND_BROKER_DATA_DIR: " + data);
            first.stop();
        }

        try (RunnablePackage dev = new RunnablePackage(jar, clean(work.resolve("second")), data)
                .with("SOLARWIND_SECURITY", "security-dev.xml")) {
            dev.start(READY);
            String queue = register(dev, "package.check", "keep", "direct");
            for (int i = 1; i <= 3; i++) {
                publish(dev, "package.check", "check-" + i);
            }
            assertEquals(List.of("check-1"), consume(dev, queue, 1), "an instance takes the first event over JMS");
            dev.stop();
        }

        // a new extraction, as a newer jar makes, on the same data directory
        try (RunnablePackage again = new RunnablePackage(jar, clean(work.resolve("third")), data)
                .with("SOLARWIND_SECURITY", "security-dev.xml")) {
            again.start(READY);
            HttpResponse<String> purpose = again.get("/api/v1/topics/package.check/purposes/keep", "admin");
            assertEquals(200, purpose.statusCode(), "the registration outlived the restart: " + purpose.body());
            assertEquals(List.of("check-2", "check-3"), consume(again, destination(purpose.body()), 2),
                    "the events that waited are still there, in order");
            again.stop();
        }
    }

    /** Every earlier release's journal (src/test/resources/journals) opens under this build. */
    @Test
    void opensTheJournalOfTheLastRelease() throws Exception {
        Path data = clean(work.resolve("release-0.1.0-data"));
        untar(Path.of("src/test/resources/journals/solarwind-0.1.0.tar.gz"), data);
        try (RunnablePackage upgraded = new RunnablePackage(jar, clean(work.resolve("upgrade")), data)
                .with("SOLARWIND_SECURITY", "security-dev.xml")) {
            long ready = upgraded.start(READY);
            System.out.printf("[package] the journal of 0.1.0 opened, ready after %d ms%n", ready);
            HttpResponse<String> billing = upgraded.get("/api/v1/topics/orders.placed/purposes/billing", "admin");
            assertEquals(200, billing.statusCode(), billing.body());
            assertTrue(billing.body().contains("\"exchange\":\"direct\""), billing.body());
            HttpResponse<String> audit = upgraded.get("/api/v1/topics/orders.placed/purposes/audit", "admin");
            assertTrue(audit.body().contains("\"exchange\":\"fanout\""), audit.body());

            // replay from the old journal's retention into a purpose registered now
            String late = register(upgraded, "orders.placed", "late", "direct");
            HttpResponse<String> replay = upgraded.send(HttpRequest.newBuilder()
                            .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"2026-01-01T00:00:00Z\"}"))
                            .header("Content-Type", "application/json"),
                    "/api/v1/topics/orders.placed/purposes/late/replay", "admin");
            assertEquals(202, replay.statusCode(), replay.body());
            List<String> ids = List.of("order-1", "order-2", "order-3", "order-4", "order-5");
            assertEquals(ids, consume(upgraded, late, 5), "the old events replay into a purpose registered after the upgrade");
            assertEquals(ids, consume(upgraded, destination(billing.body()), 5), "the events waiting in billing are delivered, in order");
            upgraded.stop();
        }
    }

    private static String register(RunnablePackage server, String topic, String purpose, String exchange) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder()
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"exchange\":\"" + exchange + "\"}"))
                        .header("Content-Type", "application/json"),
                "/api/v1/topics/" + topic + "/purposes/" + purpose, "admin");
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, "register " + purpose + ": " + r.statusCode() + " " + r.body());
        return destination(r.body());
    }

    private static void publish(RunnablePackage server, String topic, String id) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString("{\"n\":\"" + id + "\"}"))
                        .header("Content-Type", "application/json").header("ce-id", id).header("ce-source", "/package-it"),
                "/api/v1/topics/" + topic + "/events", "publisher");
        assertEquals(202, r.statusCode(), "publish " + id + ": " + r.body());
    }

    private static String destination(String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"destination\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), "a destination in " + json);
        return m.group(1);
    }

    /** Takes {@code count} events from a direct purpose's queue as an instance does (the development handler user); their ce_id. */
    private static List<String> consume(RunnablePackage server, String queue, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(server.brokerUrl());
             Connection connection = factory.createConnection("handler", "handler-dev-only")) {
            connection.start();
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            Message last = null;
            while (ids.size() < count) {
                Message m = consumer.receive(30_000);
                if (m == null) {
                    break;
                }
                ids.add(m.getStringProperty("ce_id"));
                last = m;
            }
            if (last != null) {
                last.acknowledge();
            }
        }
        return ids;
    }

    private static Path clean(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return Files.createDirectories(dir);
    }

    private static void untar(Path archive, Path into) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", into.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor(), "tar -xzf " + archive);
    }
}
