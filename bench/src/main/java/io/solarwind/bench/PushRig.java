package io.solarwind.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Solar Wind's push delivery ({@link Bench#PUSH}): scenario 1's direct purpose registered with
 * {@code "push": {"url": ..., "concurrency": }}{@value #CONCURRENCY} to a receiver in the
 * bench's JVM (the JDK's HTTP server on {@code localhost}, {@value #RECEIVER_THREADS} threads,
 * answering 204 with no body after reading the request's), instead of two JMS instances.
 * Events are published as for "Solar Wind" (JMS, the same publishers), with their send time as
 * the CloudEvents extension {@code benchsent}, which the server POSTs as the {@code ce-benchsent}
 * header: throughput and latency are measured at the receiver, when a POST arrives (before its
 * answer, so the server's commit after the 2xx is not in the latency). The server needs
 * {@code solarwind.push.allowed-hosts} to name {@code localhost} (bench/run.sh starts it so).
 * The receiver checks no signature. Scenario 1 and 6 only: a fanout purpose cannot push.
 */
public final class PushRig implements Rig {
    /** Push consumers per server (the registration's {@code push.concurrency}): at most this many POSTs at a time. */
    static final int CONCURRENCY = 8;
    private static final int RECEIVER_THREADS = 16;

    private final String http;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JmsRig publishing;
    private HttpServer receiver;
    private ExecutorService receiverThreads;
    private String registered;

    public PushRig(String broker, String http) {
        this.http = http;
        this.publishing = JmsRig.solarWind(broker, http).sentAsExtension();
    }

    /** Whether push can run the scenario: one topic, one direct purpose, published over JMS. */
    static boolean runs(Scenario scenario) {
        return JmsRig.forwards(scenario);
    }

    @Override
    public void declare(Scenario scenario, String run) throws Exception {
        publishing.declare(scenario, run); // the publishers' connection factory; registers nothing for scenario 1
    }

    @Override
    public void start(Scenario scenario, String run, Meter meter) throws Exception {
        if (!runs(scenario)) {
            throw new IllegalArgumentException(Bench.PUSH + " runs scenarios 1 and 6 only, not " + scenario.name());
        }
        declare(scenario, run);
        receiverThreads = Executors.newFixedThreadPool(RECEIVER_THREADS);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/push", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
                String sent = exchange.getRequestHeaders().getFirst("ce-benchsent");
                if (sent != null) {
                    meter.delivered(true, Long.parseLong(sent));
                }
                exchange.sendResponseHeaders(204, -1);
            } finally {
                exchange.close();
            }
        });
        receiver.start();
        String url = "http://localhost:" + receiver.getAddress().getPort() + "/push";
        registered = JmsRig.register(client, http, scenario.topicNames(run).get(0), scenario.counted(),
                ",\"push\":{\"url\":\"" + url + "\",\"concurrency\":" + CONCURRENCY + "}");
    }

    @Override
    public Publisher publisher() throws Exception {
        return publishing.publisher();
    }

    @Override
    public void close() throws Exception {
        try {
            if (registered != null) {
                JmsRig.deregister(client, http, registered); // stops the server's push consumers, deletes the queue
            }
            publishing.close();
        } finally {
            if (receiver != null) {
                receiver.stop(0);
                receiverThreads.shutdownNow();
            }
        }
    }
}
