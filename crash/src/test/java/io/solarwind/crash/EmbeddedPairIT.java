package io.solarwind.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two Solar Wind servers, each embedding one half of a shared-store broker pair
 * ({@code solarwind.broker.ha=primary} on A, {@code backup} on B, one data directory): the
 * default deployment made highly available without a broker process of its own. SIGKILL of
 * server A, with the active broker inside, while events are published over HTTP (to either
 * server) and JMS (to the pair): B's broker takes over and B dispatches; then A restarts, its
 * broker takes its place back (fail-back) and B's goes passive again. Every acknowledged event
 * must reach the direct purpose exactly once, and replay must find them all.
 */
class EmbeddedPairIT {
    private static final Pattern EMBEDDED_ACTIVE = Pattern.compile("\"embeddedActive\"\\s*:\\s*(true|false)");

    private final Path work = Path.of(System.getProperty("pair.work", "target/embedded-pair"));
    private final Path logs = work.resolve("logs");
    private final String run = "pair" + UUID.randomUUID().toString().substring(0, 6);
    private LibertyServer serverA;
    private LibertyServer serverB;
    private Ledger ledger;

    @Test
    void theBackupHalfTakesOverWhenTheServerWithTheActiveBrokerIsKilledAndHandsBack() throws Exception {
        // a hang fails the test with every thread's place instead of holding the build until CI stops it
        Duration limit = Duration.ofMinutes(Integer.parseInt(System.getProperty("pair.deadline.minutes", "12")));
        Deadline.run("EmbeddedPairIT", limit, () -> { }, this::run);
    }

    private void run() throws Exception {
        int events = Integer.parseInt(System.getProperty("pair.events", "1500"));
        BrokerProcess.deleteTree(work.resolve("shared")); // the pair's journal, of an earlier run
        Files.createDirectories(logs);
        Path wlp = Path.of(System.getProperty("solarwind.it.wlp"));
        serverA = new LibertyServer(wlp, System.getProperty("pair.server.a"), System.getProperty("pair.http.a"), logs);
        serverB = new LibertyServer(wlp, System.getProperty("pair.server.b"), System.getProperty("pair.http.b"), logs);
        Api apiA = new Api(serverA.http());
        Api apiB = new Api(serverB.http());
        String pairUrl = "(" + System.getProperty("pair.broker.a") + "," + System.getProperty("pair.broker.b")
                + ")?ha=true&reconnectAttempts=-1&initialConnectAttempts=-1&retryInterval=100&callFailoverTimeout=30000";

        log("server A (primary half) ready in " + serverA.start(Duration.ofMinutes(3)) + " ms");
        log("server B (backup half) ready in " + serverB.start(Duration.ofMinutes(3)) + " ms");
        assertEquals(true, embeddedActive(apiA), "A's broker is the active half: " + apiA.broker());
        assertEquals(false, embeddedActive(apiB), "B's broker is passive: " + apiB.broker());

        String topic = "pair." + run;
        Instant began = Instant.now().minusSeconds(1);
        String alpha = apiB.register(topic, "alpha", "direct");
        ledger = new Ledger(run, events);
        ledger.allowUpTo(events / 2);
        List<Thread> publishers = List.of(
                new Thread(new HttpPublisher(ledger, List.of(serverA.http(), serverB.http()), topic), "http-publisher-0"),
                new Thread(new HttpPublisher(ledger, List.of(serverB.http(), serverA.http()), topic), "http-publisher-1"),
                new Thread(new JmsPublisher(ledger, pairUrl, topic), "jms-publisher"));
        publishers.forEach(Thread::start);

        await(() -> ledger.acknowledgedCount() >= events / 3, Duration.ofMinutes(5), "a third of the events acknowledged");
        long killed = System.nanoTime();
        assertTrue(serverA.kill(), "server A was running");
        await(() -> embeddedActive(apiB), Duration.ofMinutes(2), "B's broker took over");
        log("killed A at " + ledger.acknowledgedCount() + " acknowledged; B's broker active after " + Processes.millisSince(killed) + " ms");
        await(() -> "active".equals(apiB.dispatcher()), Duration.ofMinutes(2), "B's dispatcher took over");
        log("B dispatching " + Processes.millisSince(killed) + " ms after the kill");
        ledger.allowUpTo(2 * events / 3);
        await(() -> ledger.acknowledgedCount() >= 2 * events / 3, Duration.ofMinutes(5), "events acknowledged by B alone");

        long restarted = System.nanoTime();
        serverA.start(Duration.ofMinutes(3));
        await(() -> embeddedActive(apiA) && !embeddedActive(apiB), Duration.ofMinutes(3), "A's broker failed back, B's is passive again");
        log("A restarted; its broker active again (fail-back) after " + Processes.millisSince(restarted) + " ms");
        await(serverB::ready, Duration.ofMinutes(1), "B ready after the fail-back");
        ledger.allowUpTo(events);
        await(() -> ledger.acknowledgedCount() >= events || ledger.stopped(), Duration.ofMinutes(10), "every event acknowledged");
        for (Thread t : publishers) {
            t.join(60_000);
        }
        assertTrue(ledger.errors().isEmpty(), "unexpected answers: " + ledger.errors());

        try (BrokerQueues queues = new BrokerQueues(pairUrl)) {
            await(() -> count(queues, "solarwind.dispatch") == 0, Duration.ofMinutes(5), "solarwind.dispatch drained");
            Map<String, Integer> received = queues.drain(alpha, 2000);
            assertNothingLostOrDuplicated("alpha", received);
            String late = apiA.register(topic, "late", "direct");
            await(() -> apiB.knows(topic, "late"), Duration.ofSeconds(1), "B's API shows the purpose registered through A within a second");
            long replayed = apiB.replay(topic, "late", began);
            log("replayed " + replayed + " events through B after the failover and the fail-back");
            assertNothingLostOrDuplicated("late (replayed)", queues.drain(late, 2000));
        }
    }

    private void assertNothingLostOrDuplicated(String purpose, Map<String, Integer> received) {
        List<String> lost = new ArrayList<>();
        for (int n = 0; n < ledger.events(); n++) {
            if (ledger.state(n) == Ledger.ACKNOWLEDGED && !received.containsKey(ledger.id(n))) {
                lost.add(ledger.id(n));
            }
        }
        int duplicated = received.values().stream().mapToInt(v -> v - 1).sum();
        log(purpose + ": " + received.size() + " distinct events, lost " + lost.size() + ", duplicated " + duplicated);
        assertTrue(lost.isEmpty(), purpose + " lost " + lost.size() + " acknowledged events, e.g. " + lost.subList(0, Math.min(10, lost.size())));
        assertEquals(0, duplicated, purpose + " got events twice");
    }

    private static Boolean embeddedActive(Api api) {
        try {
            Matcher m = EMBEDDED_ACTIVE.matcher(api.broker());
            return m.find() ? Boolean.valueOf(m.group(1)) : null;
        } catch (AssertionError unreachable) {
            return null;
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        if (!Processes.await(timeout, () -> {
            try {
                return condition.getAsBoolean();
            } catch (RuntimeException | AssertionError e) {
                return false;
            }
        })) {
            fail(what + ": not within " + timeout.toSeconds() + " s");
        }
    }

    private static long count(BrokerQueues queues, String queue) {
        try {
            return queues.count(queue);
        } catch (Exception e) {
            return -2;
        }
    }

    private static void log(String line) {
        System.out.println("[embedded-pair] " + line);
    }

    @AfterEach
    void killEverything() {
        if (ledger != null) {
            ledger.stop();
        }
        LibertyServer.killAll(serverA, serverB);
    }
}
