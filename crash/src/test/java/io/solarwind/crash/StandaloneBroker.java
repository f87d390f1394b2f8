package io.solarwind.crash;

import jakarta.jms.Connection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Solar Wind's broker as its own process, the way {@code artemis/start.sh} runs it: an
 * instance of the apache-artemis distribution with {@code artemis/broker.xml} and the
 * Solar Wind broker plugin in its {@code lib/} and the users and roles files in its
 * {@code etc/}, run with {@code bin/artemis run}.
 */
final class StandaloneBroker {
    private final Path home;
    private final Path instance;
    private final Path brokerXml;
    private final Path pluginJar;
    private final Path users;
    private final Path roles;
    private final Path logs;
    private final int port;
    private Process process;
    private int starts;

    /** {@code users} and {@code roles}: Artemis properties files for the instance's {@code etc/}, or null to keep its own. */
    StandaloneBroker(Path home, Path instance, Path brokerXml, Path pluginJar, Path users, Path roles, Path logs, int port) {
        this.home = home;
        this.instance = instance;
        this.brokerXml = brokerXml;
        this.pluginJar = pluginJar;
        this.users = users;
        this.roles = roles;
        this.logs = logs;
        this.port = port;
    }

    String url() {
        return "tcp://localhost:" + port;
    }

    /** A new, empty broker instance (an old one of an earlier run is deleted). */
    void create() throws IOException, InterruptedException {
        if (Files.exists(instance)) {
            try (Stream<Path> files = Files.walk(instance)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Path log = logs.resolve("broker-create.log");
        int exit = Processes.run(List.of("bash", home.resolve("bin/artemis").toString(), "create", "--silent", "--force",
                        "--no-web", "--require-login", "--user", "solarwind", "--password", "solarwind-dev-only", instance.toString()),
                Map.of(), log, Duration.ofMinutes(2));
        if (exit != 0) {
            throw new IllegalStateException("artemis create exited with " + exit + ", see " + log);
        }
        Files.copy(brokerXml, instance.resolve("etc/broker.xml"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pluginJar, instance.resolve("lib/solarwind-broker.jar"), StandardCopyOption.REPLACE_EXISTING);
        if (users != null) {
            Files.copy(users, instance.resolve("etc/artemis-users.properties"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (roles != null) {
            Files.copy(roles, instance.resolve("etc/artemis-roles.properties"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Starts the broker and waits until it accepts JMS connections; returns how long that took in ms. */
    long start() throws IOException {
        long began = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            starts++;
            ProcessBuilder builder = new ProcessBuilder("bash", instance.resolve("bin/artemis").toString(), "run")
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve("broker-" + starts + ".log").toFile());
            // appended to the profile's JAVA_ARGS, as start.sh means to; broker.xml reads the port
            builder.environment().put("JAVA_ARGS_APPEND", "-Dsolarwind.broker.port=" + port);
            process = builder.start();
            if (Processes.await(Duration.ofMinutes(2), () -> !process.isAlive() || accepts())) {
                if (process.isAlive()) {
                    return Processes.millisSince(began);
                }
            }
            // the port may still be held for a moment after a kill: try again a few times
            kill();
            if (attempt == 5) {
                throw new IllegalStateException("the broker did not start in 5 attempts; see " + logs.resolve("broker-" + starts + ".log"));
            }
            Processes.sleep(2000);
        }
    }

    boolean isRunning() {
        return process != null && process.isAlive();
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

    private boolean accepts() {
        ActiveMQConnectionFactory factory = Access.jmsFactory(url());
        try (factory; Connection c = Access.jms(factory)) {
            c.start();
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
