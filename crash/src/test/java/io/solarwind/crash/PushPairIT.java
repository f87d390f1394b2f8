package io.solarwind.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Push delivery across servers: two Solar Wind servers ({@code solarwind-push-a}, {@code -b})
 * on one standalone broker, one direct purpose registered with {@code push} (concurrency
 * {@value #CONCURRENCY}: that many push consumers on each server) to a receiver in this JVM
 * that records every POST by {@code (ce-source, ce-id)}, holding each for
 * {@value #HOLD_MILLIS} ms so that both servers' consumers are busy at once (events are
 * published by {@value #PUBLISHERS} threads, faster than that).
 *
 * <ol>
 * <li>{@code push.events} events published over HTTP, alternately through A and B, while both
 * run: each must be POSTed exactly once (none lost, none twice), and more than
 * {@value #CONCURRENCY} POSTs must have been under way at once at some point (more than one
 * server's consumers can make).</li>
 * <li>as many again published through B; A is killed (SIGKILL) once a third of them have
 * arrived: every event must still arrive, through B. A POST A had made when it died may come
 * again from B (at least once): such duplicates are counted and reported, and may be at most
 * A's {@value #CONCURRENCY} POSTs in flight.</li>
 * </ol>
 */
class PushPairIT {
    private static final int CONCURRENCY = 2;
    private static final long HOLD_MILLIS = 50;
    /** Threads publishing over HTTP: faster than the consumers deliver, so that every consumer is busy. */
    private static final int PUBLISHERS = 4;

    private final Path work = Path.of(System.getProperty("push.work", "target/push-pair"));
    private final Path logs = work.resolve("logs");
    private final String run = "push" + UUID.randomUUID().toString().substring(0, 6);
    /** POSTs per "source id". */
    private final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();
    /** POSTs whose SolarWind-Delivery-Attempt was above 1. */
    private final AtomicInteger redelivered = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private HttpServer receiver;
    private ExecutorService receiverThreads;
    private LibertyServer serverA;
    private LibertyServer serverB;
    private BrokerProcess broker;

    @Test
    void eachEventIsPostedOnceAcrossTwoServersAndTheRestArriveWhenOneIsKilled() throws Exception {
        // a hang fails the test with every thread's place instead of holding the build until CI stops it
        Duration limit = Duration.ofMinutes(Integer.parseInt(System.getProperty("push.deadline.minutes", "15")));
        Deadline.run("PushPairIT", limit, () -> { }, this::run);
    }

    private void run() throws Exception {
        int events = Integer.parseInt(System.getProperty("push.events", "1000"));
        Files.createDirectories(logs);
        broker = BrokerProcess.single(BrokerProcess.Setup.fromProperties(logs), work.resolve("broker"),
                Integer.parseInt(System.getProperty("crash.broker.port")));
        Path wlp = Path.of(System.getProperty("solarwind.it.wlp"));
        serverA = new LibertyServer(wlp, System.getProperty("push.server.a"), System.getProperty("push.http.a"), logs);
        serverB = new LibertyServer(wlp, System.getProperty("push.server.b"), System.getProperty("push.http.b"), logs);
        Api apiA = new Api(serverA.http());
        Api apiB = new Api(serverB.http());

        broker.create();
        log("broker started in " + broker.startActive() + " ms at " + broker.url());
        log("server A ready in " + serverA.start(Duration.ofMinutes(3)) + " ms");
        log("server B ready in " + serverB.start(Duration.ofMinutes(3)) + " ms");
        String url = startReceiver();

        String topic = "push." + run;
        apiA.registerPush(topic, "hook", url, CONCURRENCY);
        await(() -> apiB.knows(topic, "hook"), Duration.ofMinutes(1), "B knows the purpose registered through A");

        // 1. both servers run: each event POSTed once
        List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            int first = p;
            publishers.add(new Thread(() -> {
                for (int n = first; n < events; n += PUBLISHERS) {
                    (n % 2 == 0 ? apiA : apiB).publish(topic, "both-" + n);
                }
            }, "push-publisher-" + p));
        }
        publishers.forEach(Thread::start);
        for (Thread t : publishers) {
            t.join(5 * 60_000);
        }
        await(() -> arrived("both-", events) == events, Duration.ofMinutes(5), "every event POSTed while both servers run");
        int most = mostInFlight.get();
        List<String> twice = postedMoreThanOnce("both-");
        log("both servers: " + arrived("both-", events) + " of " + events + " events POSTed, " + twice.size()
                + " more than once; at most " + most + " POSTs at once (" + CONCURRENCY + " consumers per server)");
        assertEquals(List.of(), twice, "events POSTed more than once while both servers ran");
        assertTrue(most > CONCURRENCY, "more POSTs at once than one server's " + CONCURRENCY + " consumers make: " + most);

        // 2. A is killed while the events are delivered: the rest arrive through B
        int beforeKill = redelivered.get();
        Thread publisher = new Thread(() -> {
            for (int n = 0; n < events; n++) {
                apiB.publish(topic, "kill-" + n);
            }
        }, "push-publisher");
        publisher.start();
        await(() -> arrived("kill-", events) >= events / 3, Duration.ofMinutes(5), "a third of the events POSTed");
        int atKill = arrived("kill-", events);
        int heldAtKill = inFlight.get();
        assertTrue(serverA.kill(), "server A was running");
        log("killed A after " + atKill + " of " + events + " events had arrived, with " + heldAtKill
                + " POSTs (of either server) held by the receiver at that moment");
        publisher.join(5 * 60_000);
        assertTrue(!publisher.isAlive(), "publishing through B ended");
        await(() -> arrived("kill-", events) == events, Duration.ofMinutes(5), "every event POSTed after A was killed");
        // nothing left in the purpose's queue (none unacknowledged either): no POST can come again
        try (BrokerQueues queues = new BrokerQueues(broker.url())) {
            await(() -> {
                try {
                    return queues.count("solarwind.direct." + topic + ".hook") == 0;
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofMinutes(5), "the push purpose's queue empty");
        }
        List<String> again = postedMoreThanOnce("kill-");
        log("after the kill: " + arrived("kill-", events) + " of " + events + " events POSTed, " + again.size()
                + " more than once " + again + "; POSTs with a delivery attempt above 1: " + (redelivered.get() - beforeKill));
        assertTrue(again.size() <= CONCURRENCY, "duplicates beyond A's " + CONCURRENCY + " POSTs in flight at the kill: " + again);
        assertEquals(List.of(), postedMoreThanOnce("both-"), "events of the first part POSTed again");
        serverB.stop();
        broker.stop();
    }

    /** The receiver: records each POST, holds it {@value #HOLD_MILLIS} ms, answers 204; returns its URL. */
    private String startReceiver() throws Exception {
        receiverThreads = Executors.newFixedThreadPool(4 * CONCURRENCY);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/hook", exchange -> {
            int now = inFlight.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
                String key = exchange.getRequestHeaders().getFirst("ce-source") + " " + exchange.getRequestHeaders().getFirst("ce-id");
                posts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                String attempt = exchange.getRequestHeaders().getFirst("SolarWind-Delivery-Attempt");
                if (attempt != null && !attempt.equals("1")) {
                    redelivered.incrementAndGet();
                }
                Processes.sleep(HOLD_MILLIS);
                exchange.sendResponseHeaders(204, -1);
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        receiver.start();
        // allowed hosts name "localhost" (crash/pom.xml), which compares by name: not 127.0.0.1
        return "http://localhost:" + receiver.getAddress().getPort() + "/hook";
    }

    /** How many of the events {@code <prefix>0 .. <prefix>(events-1)} arrived at least once. */
    private int arrived(String prefix, int events) {
        int n = 0;
        for (int i = 0; i < events; i++) {
            if (posts.containsKey("/ha/api " + prefix + i)) {
                n++;
            }
        }
        return n;
    }

    private List<String> postedMoreThanOnce(String prefix) {
        List<String> ids = new ArrayList<>();
        posts.forEach((key, count) -> {
            if (key.startsWith("/ha/api " + prefix) && count.get() > 1) {
                ids.add(key.substring("/ha/api ".length()) + " x" + count.get());
            }
        });
        return ids;
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

    private static void log(String line) {
        System.out.println("[push-pair] " + line);
    }

    @AfterEach
    void killEverything() {
        LibertyServer.killAll(serverA, serverB);
        if (broker != null) {
            broker.kill();
        }
        if (receiver != null) {
            receiver.stop(0);
            receiverThreads.shutdownNow();
        }
    }
}
