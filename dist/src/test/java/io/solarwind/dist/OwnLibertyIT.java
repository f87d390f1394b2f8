package io.solarwind.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/own-liberty.md, followed to the letter on bare Open Liberty servers made from the runtime
 * zip: Solar Wind in one server, the video-pipeline example as a handler service in another.
 * Everything the servers get from Solar Wind comes out of the doc's blocks marked
 * {@code own-liberty:}; the test adds only what a team's server has of its own (its HTTP ports,
 * Jakarta EE 10 features in place of the template's Java EE 8 {@code jsp-2.3}).
 */
class OwnLibertyIT {
    private static final Pattern BLOCK = Pattern.compile("(?m)^( *)```(\\w+) own-liberty:(\\S+)\\n(.*?)^\\1```\\s*$", Pattern.DOTALL);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The doc's example users (its users.xml block): an administrator and a publisher. */
    private static final String ADMIN = "ops:change-me-ops";
    private static final String PUBLISHER = "shop:change-me-shop";

    private final Path doc = Path.of(System.getProperty("own.doc"));
    private final Path work = Path.of(System.getProperty("own.work"));
    private final Path wlp = work.resolve("wlp");

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aHandlerServiceReceivesAnEventInServersSetUpAsTheDocSays() throws Exception {
        long began = System.nanoTime();
        Map<String, String> blocks = blocks(Files.readString(doc));
        assertTrue(blocks.containsKey("install"), "docs/own-liberty.md has an own-liberty:install block: " + blocks.keySet());

        unpackRuntime(Path.of(System.getProperty("own.runtime")));
        Path server = create("own-solarwind");
        Path handlers = create("own-handlers");
        Path checkout = checkout();
        log("runtime and two bare servers ready after %d s", seconds(began));

        int http = RunnablePackage.freePort();
        int https = RunnablePackage.freePort();
        int broker = RunnablePackage.freePort();
        int handlersHttp = RunnablePackage.freePort();
        int handlersHttps = RunnablePackage.freePort();
        Map<String, String> place = new LinkedHashMap<>();
        place.put("solarwind.example.com:9080", "localhost:" + http);
        place.put("solarwind.example.com", "localhost");
        place.put("61616", String.valueOf(broker));

        // what the doc says: the copies, then each block into its file
        run(List.of("bash", "-euc", blocks.remove("install")), checkout,
                Map.of("SOLARWIND", checkout.toString(), "SERVER", server.toString(), "HANDLERS", handlers.toString()));
        for (Map.Entry<String, String> block : blocks.entrySet()) {
            String text = block.getValue();
            for (Map.Entry<String, String> p : place.entrySet()) {
                text = text.replace(p.getKey(), p.getValue());
            }
            Path file = resolve(block.getKey(), server, handlers);
            if (file.getFileName().toString().equals("server.xml")) {
                String xml = Files.readString(file);
                int end = xml.lastIndexOf("</server>");
                Files.writeString(file, xml.substring(0, end) + "\n" + text + "\n" + xml.substring(end));
            } else {
                Files.createDirectories(file.getParent());
                Files.writeString(file, text);
            }
        }
        // what the team's servers have of their own: their ports
        ports(server, http, https);
        ports(handlers, handlersHttp, handlersHttps);

        try (LibertyProcess solarwind = new LibertyProcess(wlp, "own-solarwind");
             LibertyProcess services = new LibertyProcess(wlp, "own-handlers")) {
            try {
                solarwind.start();
                services.start();
                String api = "http://localhost:" + http + "/api/v1";

                await(Duration.ofMinutes(5), "Solar Wind's /health/ready", solarwind, services,
                        () -> get("http://localhost:" + http + "/health/ready", null).statusCode() == 200);
                log("Solar Wind ready after %d s", seconds(began));
                HttpResponse<String> anonymous = get(api + "/topics", null);
                assertEquals(401, anonymous.statusCode(), "the API wants a user: " + anonymous.body());

                // a purpose registered through the admin API: it collects what the example's encoder fires
                HttpResponse<String> registered = send(HttpRequest.newBuilder(URI.create(api + "/topics/video.encoded/purposes/own-liberty-check"))
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"exchange\":\"direct\"}"))
                        .header("Content-Type", "application/json"), ADMIN);
                assertTrue(registered.statusCode() == 200 || registered.statusCode() == 201,
                        "register as the doc's administrator: " + registered.statusCode() + " " + registered.body());

                // the handler service registered its purposes and its encoder consumes
                await(Duration.ofMinutes(3), "the example's encode-mp4 handlers connected", solarwind, services,
                        () -> number(get(api + "/topics/video.uploaded/purposes/encode-mp4", ADMIN).body(), "consumers") > 0);
                log("the handler service consumes after %d s", seconds(began));

                HttpResponse<String> published = send(HttpRequest.newBuilder(URI.create(api + "/topics/video.uploaded/events"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"video\":\"own.mov\",\"bytes\":2048}"))
                        .header("Content-Type", "application/json")
                        .header("ce-id", "own-liberty-1").header("ce-source", "/own-liberty-it"), PUBLISHER);
                assertEquals(202, published.statusCode(), "publish as the doc's publisher: " + published.body());

                await(Duration.ofMinutes(1), "the encoder's video.encoded event in own-liberty-check", solarwind, services,
                        () -> number(get(api + "/topics/video.encoded/purposes/own-liberty-check", ADMIN).body(), "pending") == 1);
                String encoder = get(api + "/topics/video.uploaded/purposes/encode-mp4", ADMIN).body();
                assertEquals(1, number(encoder, "delivered"), "the encoder took the event once: " + encoder);
                assertTrue(Files.readString(services.messagesLog()).contains("encode-mp4: encoding own.mov"),
                        "the handler server's log shows the encoder at work");
                log("a handler in the other server received the event; %d s in all", seconds(began));
            } catch (Throwable failure) {
                solarwind.printLogTail();
                services.printLogTail();
                throw failure;
            }
        }
    }

    /** The blocks marked {@code own-liberty:<target>}, in the doc's order, without their indentation. */
    static Map<String, String> blocks(String markdown) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(markdown);
        while (m.find()) {
            String indent = m.group(1);
            StringBuilder body = new StringBuilder();
            for (String line : m.group(4).split("\n", -1)) {
                body.append(line.startsWith(indent) ? line.substring(indent.length()) : line).append('\n');
            }
            assertFalse(blocks.containsKey(m.group(3)), "one block per target: " + m.group(3));
            blocks.put(m.group(3), body.toString().strip() + "\n");
        }
        return blocks;
    }

    private static Path resolve(String target, Path server, Path handlers) {
        if (target.startsWith("$SERVER/")) {
            return server.resolve(target.substring("$SERVER/".length()));
        }
        if (target.startsWith("$HANDLERS/")) {
            return handlers.resolve(target.substring("$HANDLERS/".length()));
        }
        throw new AssertionError("a block's target starts with $SERVER/ or $HANDLERS/: " + target);
    }

    /** Unpacks the runtime zip once per build folder (about 400 MB). */
    private void unpackRuntime(Path zip) throws IOException {
        Path done = work.resolve("runtime-unpacked-" + Files.size(zip));
        if (Files.exists(done) && Files.isRegularFile(wlp.resolve("bin/server"))) {
            return;
        }
        delete(wlp);
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                Path target = work.resolve(entry.getName()).normalize();
                if (!target.startsWith(work)) {
                    throw new IOException("entry outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(entries, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (Stream<Path> files = Files.walk(wlp.resolve("bin"))) {
            files.filter(Files::isRegularFile).forEach(f -> f.toFile().setExecutable(true));
        }
        Files.writeString(done, zip.toString());
    }

    /**
     * A new server from the runtime's default template, turned into a Jakarta EE 10 server as a
     * team's would be: the template's Java EE 8 {@code jsp-2.3} conflicts with Solar Wind's
     * {@code servlet-6.0} (docs/own-liberty.md, "What you need").
     */
    private Path create(String name) throws Exception {
        Path dir = wlp.resolve("usr/servers").resolve(name);
        delete(dir);
        run(List.of(wlp.resolve("bin/server").toString(), "create", name), wlp, Map.of());
        Path xml = dir.resolve("server.xml");
        String template = Files.readString(xml);
        assertTrue(template.contains("<feature>jsp-2.3</feature>"), "the default template as docs/own-liberty.md describes it:\n" + template);
        Files.writeString(xml, template.replace("<feature>jsp-2.3</feature>", "<feature>pages-3.1</feature>"));
        return dir;
    }

    /** A folder laid out like a checkout of Solar Wind after {@code mvn -DskipTests package}. */
    private Path checkout() throws IOException {
        Path checkout = work.resolve("checkout");
        delete(checkout);
        copy(Path.of(System.getProperty("own.war")), checkout.resolve("src/target/solarwind.war"));
        copy(Path.of(System.getProperty("own.rar")), checkout.resolve("resource-adapter/target/solarwind-rar.rar"));
        copy(Path.of(System.getProperty("own.handler.war")), checkout.resolve("examples/video-pipeline/target/video-pipeline.war"));
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("own.liberty")))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                copy(f, checkout.resolve("liberty").resolve(f.getFileName().toString()));
            }
        }
        return checkout;
    }

    /** The server's own HTTP ports, where a team keeps them: not in anything Solar Wind's doc gives. */
    private static void ports(Path server, int http, int https) throws IOException {
        Path overrides = server.resolve("configDropins/overrides");
        Files.createDirectories(overrides);
        Files.writeString(overrides.resolve("own-liberty-it-ports.xml"), "<server>\n  <httpEndpoint id=\"defaultHttpEndpoint\" httpPort=\""
                + http + "\" httpsPort=\"" + https + "\"/>\n</server>\n");
    }

    private static void run(List<String> command, Path dir, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end");
        }
        assertEquals(0, process.exitValue(), command + ":\n" + new String(output, StandardCharsets.UTF_8));
    }

    private static void await(Duration timeout, String what, LibertyProcess a, LibertyProcess b, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            a.checkAlive();
            b.checkAlive();
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // the server does not listen yet
            }
            RunnablePackage.sleep(500);
        }
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
    }

    private static HttpResponse<String> get(String url, String user) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), user);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String user) {
        request.timeout(Duration.ofSeconds(20));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.build().uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A whole number of a JSON answer, -1 when it has none. */
    private static long number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }


    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(f);
            }
        }
    }

    private static long seconds(long since) {
        return (System.nanoTime() - since) / 1_000_000_000L;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[own-liberty] " + format + "%n", args);
    }


    /** A server run in the foreground ({@code bin/server run}), stopped with {@code bin/server stop}, killed if that fails. */
    static final class LibertyProcess implements AutoCloseable {
        private final Path wlp;
        private final String name;
        private final Path console;
        private Process process;

        LibertyProcess(Path wlp, String name) {
            this.wlp = wlp;
            this.name = name;
            this.console = wlp.resolve("usr/servers").resolve(name).resolve("console-it.log");
        }

        void start() throws IOException {
            ProcessBuilder builder = new ProcessBuilder(wlp.resolve("bin/server").toString(), "run", name)
                    .redirectErrorStream(true).redirectOutput(console.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            process = builder.start();
        }

        void checkAlive() {
            if (process != null && !process.isAlive()) {
                throw new AssertionError("server " + name + " exited with " + process.exitValue() + "; see " + console);
            }
        }

        Path messagesLog() {
            return wlp.resolve("usr/servers").resolve(name).resolve("logs/messages.log");
        }

        void printLogTail() {
            for (Path log : List.of(messagesLog(), console)) {
                try {
                    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                    List<String> tail = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 60), lines.size()));
                    System.out.println("----- last lines of " + log + " -----\n" + String.join("\n", tail));
                } catch (IOException e) {
                    System.out.println("cannot read " + log + ": " + e);
                }
            }
        }

        @Override
        public void close() throws Exception {
            if (process == null) {
                return;
            }
            if (process.isAlive()) {
                ProcessBuilder stop = new ProcessBuilder(wlp.resolve("bin/server").toString(), "stop", name)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
                stop.environment().put("JAVA_HOME", System.getProperty("java.home"));
                Process stopping = stop.start();
                if (!stopping.waitFor(90, TimeUnit.SECONDS)) {
                    stopping.destroyForcibly();
                }
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            }
            process = null;
        }
    }
}
