package io.solarwind.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "Nothing lost": Solar Wind on Open Liberty and a standalone Artemis broker, both real
 * processes started here, are killed with SIGKILL again and again while events are published
 * over HTTP and JMS; afterwards every acknowledged event must be in every direct purpose.
 *
 * <p>The topic has two direct purposes and one fanout purpose (without subscribers, so its
 * copies are dropped; it is there to show it changes nothing for the direct ones). Publishers
 * send each event until it is acknowledged, with the same {@code ce_id} and {@code ce_source}
 * every time. The kills are spread over the run: each kill of the broker, and every other kill
 * of the server, happens when the next equal share of the events is acknowledged; the server
 * kills in between come right after the server restarted, while its dispatcher works off what
 * JMS publishers sent while it was down (see {@link #plan}). Publishing goes on while a killed
 * process is down and is retried until it is back. After
 * the last kill and the last acknowledgement, the test waits until the dispatcher's queue is
 * empty, consumes both direct queues and compares their {@code ce_id}s with the acknowledged
 * ones: lost (acknowledged, not delivered) must be 0; duplicates are counted, reported and
 * must be 0 too unless {@code -Dcrash.assert-no-duplicates=false}.
 *
 * <p>Settings (system properties, see crash/pom.xml): {@code crash.events},
 * {@code crash.kills} (both kinds), {@code crash.server-kills}, {@code crash.broker-kills},
 * {@code crash.http-publishers}, {@code crash.jms-publishers}, {@code crash.seed},
 * {@code crash.assert-no-duplicates}, {@code crash.require-ready} ({@code false}: a
 * {@code /health/ready} that does not come back after a broker restart is only reported).
 */
class CrashIT {
    private static final Pattern DESTINATION = Pattern.compile("\"destination\"\\s*:\\s*\"([^\"]+)\"");
    private static final String[] DIRECT = {"alpha", "beta"};
    private static final String FANOUT = "gamma";

    private final Path work = Path.of(System.getProperty("crash.work", "target/crash"));
    private final Path logs = work.resolve("logs");
    private LibertyServer server;
    private BrokerProcess broker;
    /** Broker restarts after which /health/ready stayed DOWN for a minute. */
    private int readinessDown;
    private Ledger ledger;
    private Thread cleanupHook;
    private BrokerQueues probe;

    @Test
    void nothingAcknowledgedIsLostWhenServerAndBrokerAreKilled() throws Exception {
        // a hang fails the test with every thread's place instead of holding the build until CI stops it
        Duration limit = Duration.ofMinutes(Integer.parseInt(System.getProperty("crash.deadline.minutes", "20")));
        Deadline.run("CrashIT", limit, () -> { }, this::run);
    }

    private void run() throws Exception {
        int events = intProperty("crash.events", 3000);
        int serverKills = intProperty("crash.server-kills", 3);
        int brokerKills = intProperty("crash.broker-kills", 2);
        String kills = System.getProperty("crash.kills", "");
        if (!kills.isBlank()) {
            serverKills = brokerKills = Integer.parseInt(kills.trim());
        }
        int httpPublishers = intProperty("crash.http-publishers", 3);
        int jmsPublishers = intProperty("crash.jms-publishers", 3);
        String seedText = System.getProperty("crash.seed", "");
        long seed = seedText.isBlank() ? System.nanoTime() : Long.parseLong(seedText.trim());
        Random random = new Random(seed);
        List<Kind> plan = plan(serverKills, brokerKills);

        Files.createDirectories(logs);
        int brokerPort = Integer.parseInt(System.getProperty("crash.broker.port"));
        broker = BrokerProcess.single(BrokerProcess.Setup.fromProperties(logs), work.resolve("broker"), brokerPort);
        server = new LibertyServer(Path.of(System.getProperty("solarwind.it.wlp")), System.getProperty("solarwind.it.server"),
                System.getProperty("solarwind.it.http"), logs);
        cleanupHook = new Thread(this::killEverything, "crash-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);

        Report report = new Report(work.resolve("report.txt"), "crash");
        report.line("Crash test " + Instant.now() + ": " + events + " events, kills " + plan + ", "
                + httpPublishers + " HTTP + " + jmsPublishers + " JMS publishers, seed " + seed);
        long began = System.nanoTime();
        broker.create();
        report.line("broker started in " + broker.startActive() + " ms at " + broker.url());
        report.line("Solar Wind started and ready in " + server.start(Duration.ofMinutes(3)) + " ms at " + server.http());

        String run = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "crash." + run;
        Map<String, String> queues = new LinkedHashMap<>();
        for (String purpose : DIRECT) {
            queues.put(purpose, register(topic, purpose, "direct"));
        }
        register(topic, FANOUT, "fanout");

        ledger = new Ledger(run, events);
        // kills at steady flow split the events into equal shares; a catching-up kill follows its restart at once
        int shares = (int) plan.stream().filter(k -> k != Kind.SERVER_CATCHING_UP).count() + 1;
        int segment = Math.max(1, events / shares);
        int share = 0;
        ledger.allowUpTo(segment + segment / 2);
        List<Thread> publishers = new ArrayList<>();
        for (int i = 0; i < httpPublishers; i++) {
            publishers.add(new Thread(new HttpPublisher(ledger, server.http(), topic), "http-publisher-" + i));
        }
        for (int i = 0; i < jmsPublishers; i++) {
            publishers.add(new Thread(new JmsPublisher(ledger, broker.url(), topic), "jms-publisher-" + i));
        }
        long publishing = System.nanoTime();
        publishers.forEach(Thread::start);

        for (int i = 0; i < plan.size(); i++) {
            if (plan.get(i) == Kind.SERVER_CATCHING_UP) {
                Processes.sleep(random.nextInt(300));
            } else {
                awaitAcknowledged(++share * segment, Duration.ofMinutes(10));
            }
            int ackedAtKill = ledger.acknowledgedCount();
            long backlog = backlog();
            long pause = 200 + random.nextInt(1500);
            long killed = System.nanoTime();
            if (plan.get(i) != Kind.BROKER) {
                assertTrue(server.kill(), "there was a Solar Wind server process to kill");
                Processes.sleep(pause);
                long start = server.start(Duration.ofMinutes(3));
                report.line(String.format("kill %d: Solar Wind server%s at %d acknowledged, %d waiting for dispatch; down %d ms, "
                                + "restart to ready %d ms; %d acknowledged meanwhile",
                        i + 1, plan.get(i) == Kind.SERVER ? "" : " (catching up)", ackedAtKill, backlog, pause, start,
                        ledger.acknowledgedCount() - ackedAtKill));
                report.add("server kill to ready ms", Processes.millisSince(killed));
            } else {
                closeProbe();
                broker.kill();
                Processes.sleep(pause);
                long start = broker.startActive();
                long brokerBack = System.nanoTime();
                String ready = awaitReadyAfterBrokerRestart(report);
                report.line(String.format("kill %d: broker at %d acknowledged, %d waiting for dispatch; down %d ms, broker start %d ms, "
                                + "Solar Wind %s %d ms later; %d acknowledged meanwhile",
                        i + 1, ackedAtKill, backlog, pause, start, ready, Processes.millisSince(brokerBack), ledger.acknowledgedCount() - ackedAtKill));
                report.add("broker kill to " + ready + " ms", Processes.millisSince(killed));
            }
            ledger.allowUpTo((share + 1) * segment + segment / 2);
        }
        ledger.allowUpTo(events);
        awaitAcknowledged(events, Duration.ofMinutes(15));
        for (Thread publisher : publishers) {
            publisher.join(60_000);
        }
        long draining = System.nanoTime();
        long publishMillis = (draining - publishing) / 1_000_000;

        // every acknowledged event dispatched: the dispatcher's subscription queue drains
        awaitDispatching(Duration.ofMinutes(2));
        Map<String, Map<String, Integer>> received = new LinkedHashMap<>();
        long dispatchLeft;
        long deadLetters;
        try (BrokerQueues brokerQueues = new BrokerQueues(broker.url())) {
            if (!Processes.await(Duration.ofMinutes(10), () -> count(brokerQueues, "solarwind.dispatch") == 0)) {
                fail("the dispatcher's queue solarwind.dispatch still holds " + count(brokerQueues, "solarwind.dispatch") + " events after 10 minutes");
            }
            long dispatched = Processes.millisSince(draining);
            for (Map.Entry<String, String> q : queues.entrySet()) {
                received.put(q.getKey(), brokerQueues.drain(q.getValue(), 2000));
            }
            dispatchLeft = count(brokerQueues, "solarwind.dispatch");
            deadLetters = Math.max(0, count(brokerQueues, "DLA"));
            report.line(String.format("published %d events in %d ms (%d over HTTP, %d over JMS; %d events sent more than once, %d failed sends); "
                            + "dispatch queue empty %d ms after the last acknowledgement, direct queues consumed in %d ms",
                    events, publishMillis, ledger.httpAcknowledged(), ledger.jmsAcknowledged(), ledger.retriedEvents(),
                    ledger.failedAttempts(), dispatched, Processes.millisSince(draining) - dispatched));
        }

        // the registrations are still there after every kill
        String purposes = get(server.http() + "/api/v1/topics/" + topic + "/purposes");
        for (String purpose : new String[] {DIRECT[0], DIRECT[1], FANOUT}) {
            assertTrue(purposes.contains("\"purpose\":\"" + purpose + "\""), purpose + " is still registered: " + purposes);
        }

        // compare
        int totalLost = 0;
        int totalDuplicates = 0;
        int totalUnknown = 0;
        for (Map.Entry<String, Map<String, Integer>> purpose : received.entrySet()) {
            Map<String, Integer> ids = purpose.getValue();
            int lost = 0;
            int duplicates = 0;
            int unknown = 0;
            List<String> lostSample = new ArrayList<>();
            for (int n = 0; n < events; n++) {
                if (ledger.state(n) == Ledger.ACKNOWLEDGED && !ids.containsKey(ledger.id(n))) {
                    lost++;
                    if (lostSample.size() < 10) {
                        lostSample.add(ledger.id(n));
                    }
                }
            }
            for (Map.Entry<String, Integer> id : ids.entrySet()) {
                duplicates += id.getValue() - 1;
                if (ledger.index(id.getKey()) < 0) {
                    unknown++;
                }
            }
            report.line(String.format("direct purpose %s: %d distinct events received, lost %d%s, duplicated %d, not of this run %d",
                    purpose.getKey(), ids.size(), lost, lostSample.isEmpty() ? "" : " " + lostSample, duplicates, unknown));
            totalLost += lost;
            totalDuplicates += duplicates;
            totalUnknown += unknown;
        }
        report.line(String.format("RESULT: lost %d, duplicated %d, dead letters %d, readiness DOWN after %d broker restart(s), total %d s",
                totalLost, totalDuplicates, deadLetters, readinessDown, Processes.millisSince(began) / 1000));
        report.figures();

        server.stop();
        broker.stop();

        assertTrue(ledger.errors().isEmpty(), "unexpected answers: " + ledger.errors());
        assertEquals(events, ledger.acknowledgedCount(), "every event was acknowledged in the end");
        assertEquals(0, totalLost, "acknowledged events missing from a direct purpose (see " + work.resolve("report.txt") + ")");
        assertEquals(0, totalUnknown, "events that no publisher of this run sent");
        assertEquals(0, dispatchLeft, "events left in solarwind.dispatch");
        if (!"false".equalsIgnoreCase(System.getProperty("crash.assert-no-duplicates", "true").trim())) {
            assertEquals(0, totalDuplicates, "duplicated deliveries");
        }
    }

    @AfterEach
    void cleanUp() {
        killEverything();
        if (cleanupHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /** Whatever this test started goes, also when it failed. */
    private synchronized void killEverything() {
        if (ledger != null) {
            ledger.stop();
        }
        closeProbe();
        if (server != null) {
            try {
                server.process().ifPresent(Processes::kill);
            } catch (RuntimeException e) {
                System.err.println("Could not kill the Solar Wind server: " + e);
            }
        }
        if (broker != null) {
            try {
                broker.kill();
            } catch (RuntimeException e) {
                System.err.println("Could not kill the broker: " + e);
            }
        }
    }

    private void awaitDispatching(Duration timeout) {
        assertTrue(Processes.await(timeout, server::dispatching),
                "Solar Wind was not dispatching again within " + timeout.toSeconds() + " s: " + server.health());
    }

    /**
     * Waits for {@code /health/ready} after a broker restart (Solar Wind reconnects with a back-off
     * of up to 10 s). Should it stay DOWN for a minute, that is reported and, with
     * {@code -Dcrash.require-ready=true} (the default), fails the test; otherwise the test goes on
     * once the dispatcher consumes again. Returns what was awaited, for the report.
     */
    private String awaitReadyAfterBrokerRestart(Report report) {
        if (Processes.await(Duration.ofMinutes(1), server::ready)) {
            return "ready";
        }
        String health = server.health();
        readinessDown++;
        report.line("  /health/ready still DOWN a minute after the broker restart: " + health);
        assertTrue(!requireReady(), "Solar Wind not ready a minute after a broker restart: " + health);
        awaitDispatching(Duration.ofMinutes(1));
        return "dispatching";
    }

    private static boolean requireReady() {
        return !"false".equalsIgnoreCase(System.getProperty("crash.require-ready", "true").trim());
    }

    /** Events waiting in the dispatcher's queue now, -1 if the broker cannot tell (one connection, kept between calls). */
    private long backlog() {
        try {
            if (probe == null) {
                probe = new BrokerQueues(broker.url());
            }
            return probe.count("solarwind.dispatch");
        } catch (Exception e) {
            closeProbe();
            return -1;
        }
    }

    private void closeProbe() {
        if (probe != null) {
            try {
                probe.close();
            } catch (Exception ignored) {
                // the broker may be gone
            }
            probe = null;
        }
    }

    private void awaitAcknowledged(int count, Duration timeout) {
        boolean reached = Processes.await(timeout, () -> ledger.acknowledgedCount() >= count || ledger.stopped());
        assertTrue(ledger.errors().isEmpty(), "unexpected answers: " + ledger.errors());
        assertTrue(reached, "only " + ledger.acknowledgedCount() + " of " + count + " events acknowledged after " + timeout.toMinutes() + " minutes");
    }

    private String register(String topic, String purpose, String exchange) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = client.send(
                Access.http(server.http() + "/api/v1/topics/" + topic + "/purposes/" + purpose, Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"exchange\":\"" + exchange + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() == 201 || response.statusCode() == 200,
                "registering " + purpose + " answered " + response.statusCode() + ": " + response.body());
        Matcher m = DESTINATION.matcher(response.body());
        assertTrue(m.find(), "no destination in " + response.body());
        return m.group(1);
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(Access.http(url, Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return response.body();
    }

    private static long count(BrokerQueues queues, String queue) {
        try {
            return queues.count(queue);
        } catch (Exception e) {
            return -2;
        }
    }

    /**
     * The order of the kills: server kills in pairs (one while events flow steadily, then one
     * while the restarted server catches up with what JMS publishers sent while it was down),
     * broker kills spread evenly among the pairs.
     */
    static List<Kind> plan(int serverKills, int brokerKills) {
        List<List<Kind>> serverUnits = new ArrayList<>();
        for (int i = 0; i < serverKills; i += 2) {
            serverUnits.add(i + 1 < serverKills ? List.of(Kind.SERVER, Kind.SERVER_CATCHING_UP) : List.of(Kind.SERVER));
        }
        int units = serverUnits.size() + brokerKills;
        List<Kind> plan = new ArrayList<>();
        int nextServerUnit = 0;
        for (int i = 0; i < units; i++) {
            boolean broker = (long) (i + 1) * brokerKills / units > (long) i * brokerKills / units;
            if (broker) {
                plan.add(Kind.BROKER);
            } else {
                plan.addAll(serverUnits.get(nextServerUnit++));
            }
        }
        return plan;
    }

    private static int intProperty(String name, int fallback) {
        String value = System.getProperty(name, "");
        return value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    enum Kind {
        /** the server, at the next share of acknowledged events */
        SERVER,
        /** the server again, right after it restarted, while its dispatcher works off the events sent meanwhile */
        SERVER_CATCHING_UP,
        /** the broker, at the next share of acknowledged events */
        BROKER
    }
}
