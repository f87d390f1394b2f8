package io.solarwind.dist;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar solarwind.jar} started the way docs/deploy.md tells an operator to: settings
 * as environment variables, the journal in a directory of the operator's, free ports.
 */
final class RunnablePackage implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path jar;
    private final Path extract;
    private final Path log;
    private final Map<String, String> env = new HashMap<>();
    final int httpPort;
    final int brokerPort;
    private Process process;

    RunnablePackage(Path jar, Path work, Path dataDir) throws IOException {
        this.jar = jar;
        this.extract = work.resolve("extract");
        this.log = work.resolve("package.log");
        Files.createDirectories(work);
        httpPort = freePort();
        brokerPort = freePort();
        env.put("WLP_JAR_EXTRACT_DIR", extract.toString());
        env.put("SOLARWIND_HTTP_PORT", String.valueOf(httpPort));
        env.put("SOLARWIND_HTTPS_PORT", String.valueOf(freePort()));
        env.put("SOLARWIND_BROKER_PORT", String.valueOf(brokerPort));
        env.put("SOLARWIND_BROKER_DATA_DIR", dataDir.toString());
    }

    /** One more environment variable for the server. */
    RunnablePackage with(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Starts the package and waits until /health/ready answers UP; returns the ms from the command to ready. */
    long start(Duration timeout) throws IOException {
        long began = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("java -jar solarwind.jar exited with " + process.exitValue() + "; see " + log);
            }
            if (get("/health/ready", null).statusCode() == 200) {
                return (System.nanoTime() - began) / 1_000_000;
            }
            sleep(250);
        }
        throw new IllegalStateException("the package was not ready within " + timeout.toSeconds() + " s; see " + log + " and "
                + extract.resolve("wlp/usr/servers/solarwind/logs/messages.log"));
    }

    /** Stops the server as an operator does ({@code bin/server stop} of the extracted package) and waits for the command to end. */
    void stop() throws IOException, InterruptedException {
        if (process == null) {
            return;
        }
        Process stop = new ProcessBuilder(extract.resolve("wlp/bin/server").toString(), "stop", "solarwind")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        stop.waitFor(2, TimeUnit.MINUTES);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            kill();
        }
        process = null;
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    Path messagesLog() {
        return extract.resolve("wlp/usr/servers/solarwind/logs/messages.log");
    }

    String http() {
        return "http://localhost:" + httpPort;
    }

    String brokerUrl() {
        return "tcp://localhost:" + brokerPort;
    }

    HttpResponse<String> get(String path, String user) {
        return send(HttpRequest.newBuilder().GET(), path, user);
    }

    HttpResponse<String> send(HttpRequest.Builder request, String path, String user) {
        request.uri(URI.create(http() + path)).timeout(Duration.ofSeconds(30));
        if (user != null) {
            String password = user + "-dev-only";
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Refused(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            kill();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a refused connection looks like to the tests: status 0. */
    private record Refused(IOException cause) implements HttpResponse<String> {
        public int statusCode() { return 0; }
        public HttpRequest request() { return null; }
        public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        public java.net.http.HttpHeaders headers() { return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true); }
        public String body() { return String.valueOf(cause); }
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
        public URI uri() { return null; }
        public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    }

    static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
