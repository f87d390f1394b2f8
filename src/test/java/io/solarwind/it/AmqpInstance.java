package io.solarwind.it;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One of the non-Java example instances (examples/python-instance, examples/node-instance) run as a
 * process against the server under test's broker, over AMQP 1.0; what it prints (one JSON object a
 * line: ready, event, fired, published, done) is collected as it comes. Its standard error goes to
 * target/amqp-instances/, named in any failure.
 */
final class AmqpInstance implements AutoCloseable {
    static final File EXAMPLES = new File(System.getProperty("solarwind.it.examples", "../examples")).getAbsoluteFile();
    static final String PYTHON = System.getProperty("solarwind.it.python", "/usr/bin/python3");
    static final String NODE = System.getProperty("solarwind.it.node", "node");

    private final String name;
    private final Process process;
    private final Path stderr;
    private final List<JsonObject> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private AmqpInstance(String name, List<String> command) throws IOException {
        this.name = name;
        Path logs = Path.of("target/amqp-instances");
        Files.createDirectories(logs);
        stderr = Files.createTempFile(logs, name + "-", ".stderr.txt");
        process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("{")) {
                        lines.add(SolarWindServer.json(line).asJsonObject());
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.err.println(name + ": reading its output failed: " + e);
            }
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the instance of {@code language} ("python" or "node") with these arguments, as the development handler. */
    static AmqpInstance start(String language, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (language.equals("python")) {
            command.add(PYTHON);
            command.add(new File(EXAMPLES, "python-instance/instance.py").getPath());
        } else {
            command.add(NODE);
            command.add(new File(EXAMPLES, "node-instance/instance.js").getPath());
        }
        command.add("--url");
        command.add(SolarWindServer.BROKER.replaceFirst("^tcp:", "amqp:"));
        command.addAll(List.of(args));
        return new AmqpInstance(language, command);
    }

    List<JsonObject> lines() {
        return lines;
    }

    /** Its event lines of one exchange ("direct" or "fanout"). */
    List<JsonObject> events(String exchange) {
        return lines.stream().filter(l -> l.containsKey("event") && exchange.equals(l.getString("exchange"))).toList();
    }

    List<JsonObject> linesWith(String key) {
        return lines.stream().filter(l -> l.containsKey(key)).toList();
    }

    void awaitLine(String what, Duration timeout, Predicate<JsonObject> line) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (lines.stream().anyMatch(line)) {
                return;
            }
            if (!process.isAlive() && !reader.isAlive() && lines.stream().noneMatch(line)) {
                fail(name + " ended (exit " + process.exitValue() + ") before " + what + "; " + describe());
            }
            SolarWindServer.sleep(100);
        }
        fail("Timed out after " + timeout.toSeconds() + " s waiting for " + name + " to report " + what + "; " + describe());
    }

    void awaitCount(String what, Duration timeout, int count, java.util.function.Supplier<List<JsonObject>> of) {
        awaitLine(what + " (" + count + ")", timeout, ignored -> of.get().size() >= count);
    }

    /** Waits for the process to end by itself, and fails unless it exits with 0. */
    void awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail(name + " did not end within " + timeout.toSeconds() + " s; " + describe());
        }
        reader.join(5000);
        if (process.exitValue() != 0) {
            fail(name + " exited with " + process.exitValue() + "; " + describe());
        }
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitEnd(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail(name + " did not end within " + timeout.toSeconds() + " s; " + describe());
        }
        reader.join(5000);
        return process.exitValue();
    }

    String describe() {
        String err;
        try {
            err = Files.readString(stderr);
        } catch (IOException e) {
            err = e.toString();
        }
        return "its output: " + lines + "; its standard error (" + stderr + "): " + (err.length() > 4000 ? err.substring(0, 4000) + "..." : err);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
