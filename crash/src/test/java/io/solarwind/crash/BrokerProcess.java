package io.solarwind.crash;

import jakarta.jms.Connection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Solar Wind's broker as its own process, made the way users make it:
 * {@code artemis/create-instance.sh <instance> single|primary|backup} creates the instance from
 * the apache-artemis distribution with Solar Wind's broker.xml (and, for a pair, the role's HA
 * part), plugin, users and roles, and {@code bin/artemis run} runs it with the settings as
 * system properties. The two halves of a pair share one data directory; the one holding its
 * lock is active and accepts connections, the other is passive and accepts none.
 */
final class BrokerProcess {
    /** How the test's script and JVM find what an instance is made of. */
    record Setup(Path script, Map<String, String> scriptEnv, Path logs) {
        /** From the crash module's system properties (crash/pom.xml). */
        static Setup fromProperties(Path logs) {
            return new Setup(Path.of(System.getProperty("crash.create-instance")), Map.of(
                    "ARTEMIS_HOME", System.getProperty("crash.artemis.home"),
                    "SOLARWIND_BROKER_PLUGIN", System.getProperty("crash.broker.plugin"),
                    "SOLARWIND_BROKER_USERS", System.getProperty("crash.broker.users"),
                    "SOLARWIND_BROKER_ROLES", System.getProperty("crash.broker.roles")), logs);
        }
    }

    private final String role;
    private final Setup setup;
    private final Path instance;
    private final int port;
    private final List<String> settings = new ArrayList<>();
    private Process process;
    private int starts;

    private BrokerProcess(String role, Setup setup, Path instance, int port) {
        this.role = role;
        this.setup = setup;
        this.instance = instance;
        this.port = port;
        settings.addAll(List.of("-Xms64m", "-Dsolarwind.broker.port=" + port));
    }

    /** A broker alone, its data in its instance. */
    static BrokerProcess single(Setup setup, Path instance, int port) {
        return new BrokerProcess("single", setup, instance, port);
    }

    /** One half ({@code primary} or {@code backup}) of a shared-store pair. */
    static BrokerProcess half(String role, Setup setup, Path instance, int port, int peerPort, Path shared, String clusterPassword) {
        BrokerProcess broker = new BrokerProcess(role, setup, instance, port);
        broker.settings.addAll(List.of("-Dsolarwind.broker.peer-port=" + peerPort, "-Dsolarwind.broker.data-dir=" + shared,
                "-Dsolarwind.broker.cluster-password=" + clusterPassword));
        return broker;
    }

    String role() {
        return role;
    }

    String url() {
        return "tcp://localhost:" + port;
    }

    /** A new instance for this broker's role (an old one of an earlier run is deleted). */
    void create() throws IOException, InterruptedException {
        deleteTree(instance);
        Path log = setup.logs().resolve("broker-" + role + "-create.log");
        int exit = Processes.run(List.of("bash", setup.script().toString(), instance.toString(), role), setup.scriptEnv(), log,
                Duration.ofMinutes(2));
        if (exit != 0) {
            throw new IllegalStateException("create-instance.sh " + role + " exited with " + exit + ", see " + log);
        }
    }

    /** Starts the process; it becomes active or passive by itself (see {@link #isActive}). */
    void start() throws IOException {
        starts++;
        ProcessBuilder builder = new ProcessBuilder("bash", instance.resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(log().toFile());
        // appended to the profile's JAVA_ARGS, as start.sh does; broker.xml reads the settings
        // (the last -Xmx wins: there is one here, after the profile's)
        List<String> args = new java.util.ArrayList<>(settings);
        args.add(0, "-Xmx" + System.getProperty("crash.broker.heap", "512m"));
        // a broker that runs out of heap leaves a dump beside the logs (the long HA run's backup did)
        args.add(1, "-XX:+HeapDumpOnOutOfMemoryError");
        args.add(2, "-XX:HeapDumpPath=" + setup.logs().toAbsolutePath());
        builder.environment().put("JAVA_ARGS_APPEND", String.join(" ", args));
        process = builder.start();
    }

    /**
     * Starts a broker that becomes active by itself (alone, or a primary whose backup is not
     * active) and waits until it accepts connections, trying again a few times (the port may still
     * be held for a moment after a kill); returns how long that took in ms.
     */
    long startActive() throws IOException {
        long began = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            start();
            if (awaitActive(Duration.ofMinutes(2))) {
                return Processes.millisSince(began);
            }
            kill();
            if (attempt == 5) {
                throw new IllegalStateException("the " + role + " broker did not start in 5 attempts; see " + log());
            }
            Processes.sleep(2000);
        }
    }

    /** Waits until this broker accepts connections; false when the time ran out or the process died. */
    boolean awaitActive(Duration timeout) {
        return Processes.await(timeout, () -> process == null || !process.isAlive() || isActive()) && isActive();
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Whether this broker accepts connections: alone once it runs, in a pair only the active half. */
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

    /** The broker JVM's threads (jcmd Thread.print) into the logs, named after {@code why}. */
    void dumpThreads(String why) {
        if (process == null) {
            return;
        }
        process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false)).forEach(jvm -> {
            try {
                Processes.run(List.of("jcmd", String.valueOf(jvm.pid()), "Thread.print"), java.util.Map.of(),
                        setup.logs().resolve("broker-" + role + "-threads-" + why + ".txt"), Duration.ofMinutes(1));
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("No thread dump of the " + role + " broker: " + e);
            }
        });
    }

    /** SIGKILL, no shutdown of any kind. */
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

    /** The log of this broker's latest start. */
    Path log() {
        return setup.logs().resolve("broker-" + role + "-" + starts + ".log");
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
