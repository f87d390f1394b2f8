package io.solarwind.crash;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Open Liberty server running Solar Wind, created by the build
 * ({@code target/liberty/wlp/usr/servers/<name>}) and started, killed and stopped here with
 * its own {@code bin/server} script. Its pid is the one Liberty writes to
 * {@code usr/servers/.pid/<name>.pid}; a java process running {@code ws-server.jar} for this
 * server is the fallback.
 */
final class LibertyServer {
    private static final Pattern DISPATCHING = Pattern.compile("\"dispatching\"\\s*:\\s*true");

    private final Path wlp;
    private final String name;
    private final String http;
    private final Path logs;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private int kills;

    LibertyServer(Path wlp, String name, String http, Path logs) {
        this.wlp = wlp;
        this.name = name;
        this.http = http;
        this.logs = logs;
    }

    String http() {
        return http;
    }

    Path serverDir() {
        return wlp.resolve("usr/servers").resolve(name);
    }

    String name() {
        return name;
    }

    /** {@code server start}, then waits for {@code /health/ready}; returns how long both took in ms. */
    long start(Duration timeout) throws IOException, InterruptedException {
        long began = System.nanoTime();
        int exit = command("start", timeout);
        if (exit != 0) {
            // 0 is started; anything else (say, a start still in progress) is judged by readiness below
            Files.writeString(logs.resolve("liberty-commands.log"), "server start exited with " + exit + "\n",
                    java.nio.file.StandardOpenOption.APPEND, java.nio.file.StandardOpenOption.CREATE);
        }
        awaitReady(timeout);
        return Processes.millisSince(began);
    }

    /**
     * {@code server start} only, for a server without Solar Wind's health endpoint (a handler
     * server): the caller judges when it works. Returns how long the command took in ms.
     */
    long startProcess(Duration timeout) throws IOException, InterruptedException {
        long began = System.nanoTime();
        int exit = command("start", timeout);
        if (exit != 0) {
            throw new IllegalStateException("server start " + name + " exited with " + exit + "; see " + serverDir().resolve("logs/messages.log"));
        }
        return Processes.millisSince(began);
    }

    void awaitReady(Duration timeout) {
        if (!Processes.await(timeout, this::ready)) {
            throw new IllegalStateException("Solar Wind was not ready at " + http + "/health/ready within "
                    + timeout.toSeconds() + " s; see " + serverDir().resolve("logs/messages.log"));
        }
    }

    boolean ready() {
        return health().startsWith("200 ");
    }

    /**
     * Whether the dispatcher consumes the inbound topic, as {@code /health/ready} reports it
     * ({@code "dispatching": true} in its data), whatever the overall status says.
     */
    boolean dispatching() {
        return DISPATCHING.matcher(health()).find();
    }

    /** {@code /health/ready} as "status body", or "-1" when it cannot be reached. */
    String health() {
        try {
            HttpResponse<String> response = client.send(Access.http(http + "/health/ready", Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } catch (IOException e) {
            return "-1 " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "-1 interrupted";
        }
    }

    /** SIGKILL to the server's JVM; keeps a copy of its log; returns whether a process was killed. */
    boolean kill() throws IOException {
        Optional<ProcessHandle> process = process();
        process.ifPresent(Processes::kill);
        kills++;
        Path log = serverDir().resolve("logs/messages.log");
        if (Files.exists(log)) {
            Files.copy(log, logs.resolve(name + "-messages-before-kill-" + kills + ".log"), StandardCopyOption.REPLACE_EXISTING);
        }
        return process.isPresent();
    }

    /** {@code server stop}; SIGKILL if the server is still there after it. */
    void stop() throws IOException, InterruptedException {
        if (process().isPresent()) {
            command("stop", Duration.ofMinutes(2));
        }
        process().ifPresent(Processes::kill);
    }

    /** SIGKILL to each of these servers that runs (null ones are skipped); a failure is reported, not thrown. */
    static void killAll(LibertyServer... servers) {
        for (LibertyServer server : servers) {
            if (server != null) {
                try {
                    server.process().ifPresent(Processes::kill);
                } catch (RuntimeException e) {
                    System.err.println("Could not kill the server at " + server.http() + ": " + e);
                }
            }
        }
    }

    /** The server JVM's threads ({@code jcmd Thread.print}) into the logs folder, for a test that waited in vain. */
    void dumpThreads(String why) {
        process().ifPresent(p -> {
            try {
                Processes.run(List.of("jcmd", String.valueOf(p.pid()), "Thread.print"), Map.of(),
                        logs.resolve(name + "-threads-" + why + ".txt"), Duration.ofMinutes(1));
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("No thread dump of " + name + ": " + e);
            }
        });
    }

    /** The server's JVM, if it runs. */
    Optional<ProcessHandle> process() {
        Path pidFile = wlp.resolve("usr/servers/.pid").resolve(name + ".pid");
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                Optional<ProcessHandle> byPid = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isThisServer);
                if (byPid.isPresent()) {
                    return byPid;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall back to looking for it
        }
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(this::isThisServer).findFirst();
    }

    private boolean isThisServer(ProcessHandle p) {
        String[] args = p.info().arguments().orElse(new String[0]);
        boolean wsServer = false;
        boolean ours = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].endsWith("ws-server.jar")) {
                wsServer = true;
                ours = args[i].startsWith(wlp.toAbsolutePath().toString()) || args[i].startsWith(wlp.toString());
            }
            if (wsServer && ours && args[i].equals(name)) {
                return true;
            }
        }
        return false;
    }

    private int command(String action, Duration timeout) throws IOException, InterruptedException {
        return Processes.run(List.of(wlp.resolve("bin/server").toString(), action, name), Map.of(),
                logs.resolve("liberty-commands.log"), timeout);
    }
}
