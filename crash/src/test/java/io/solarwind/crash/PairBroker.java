package io.solarwind.crash;

import jakarta.jms.Connection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * One half of an Artemis HA pair with a shared store, made the way users make it:
 * {@code artemis/create-instance.sh <instance> primary|backup} creates the instance from the
 * apache-artemis distribution with Solar Wind's broker.xml, plugin and users, and
 * {@code bin/artemis run} runs it with the pair's settings as system properties. The two halves
 * share one data directory; the one holding its lock is active and accepts connections, the
 * other is passive and accepts none.
 */
final class PairBroker {
    private final String role;
    private final Path script;
    private final Map<String, String> scriptEnv;
    private final Path instance;
    private final int port;
    private final int peerPort;
    private final Path shared;
    private final String clusterPassword;
    private final Path logs;
    private Process process;
    private int starts;

    PairBroker(String role, Path script, Map<String, String> scriptEnv, Path instance, int port, int peerPort, Path shared,
               String clusterPassword, Path logs) {
        this.role = role;
        this.script = script;
        this.scriptEnv = scriptEnv;
        this.instance = instance;
        this.port = port;
        this.peerPort = peerPort;
        this.shared = shared;
        this.clusterPassword = clusterPassword;
        this.logs = logs;
    }

    String role() {
        return role;
    }

    String url() {
        return "tcp://localhost:" + port;
    }

    /** {@code create-instance.sh}: a new instance for this half's role. */
    void create() throws IOException, InterruptedException {
        Path log = logs.resolve("broker-" + role + "-create.log");
        int exit = Processes.run(List.of("bash", script.toString(), instance.toString(), role), scriptEnv, log, Duration.ofMinutes(2));
        if (exit != 0) {
            throw new IllegalStateException("create-instance.sh " + role + " exited with " + exit + ", see " + log);
        }
    }

    /** Starts the process; it becomes active or passive by itself (see {@link #isActive}). */
    void start() throws IOException {
        starts++;
        ProcessBuilder builder = new ProcessBuilder("bash", instance.resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve("broker-" + role + "-" + starts + ".log").toFile());
        builder.environment().put("JAVA_ARGS_APPEND", String.join(" ",
                "-Xms64m", "-Xmx512m",
                "-Dsolarwind.broker.port=" + port,
                "-Dsolarwind.broker.peer-port=" + peerPort,
                "-Dsolarwind.broker.data-dir=" + shared,
                "-Dsolarwind.broker.cluster-password=" + clusterPassword));
        process = builder.start();
    }

    /** Waits until this half is the active one; false when the time ran out or the process died. */
    boolean awaitActive(Duration timeout) {
        return Processes.await(timeout, () -> process == null || !process.isAlive() || isActive()) && isActive();
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Whether this half accepts connections: only the active half of a pair does. */
    boolean isActive() {
        if (!isRunning()) {
            return false;
        }
        ActiveMQConnectionFactory factory = Access.jmsFactory(url() + "?callTimeout=2000&connectionTTL=5000");
        try (factory; Connection c = Access.jms(factory)) {
            c.start();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** SIGKILL, no shutdown of any kind; keeps nothing but the log. */
    void kill() {
        if (process != null) {
            Processes.kill(process.toHandle());
            process = null;
        }
    }

    /** SIGTERM (the broker stops cleanly), SIGKILL if it takes over a minute. */
    void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        process = null;
    }

    /** The newest log of this half, for a failure message. */
    Path log() {
        return logs.resolve("broker-" + role + "-" + starts + ".log");
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
