package io.solarwind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The Solar Wind server under test, seen from outside: its HTTP API and its broker's
 * TCP port, as the build started them (free ports found at build time).
 */
public final class SolarWindServer {
    public static final String HTTP = System.getProperty("solarwind.it.http", "http://localhost:9080");
    public static final String BROKER = System.getProperty("solarwind.it.broker", "tcp://localhost:61616");
    public static final String API = HTTP + "/api/v1";

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private SolarWindServer() {
    }

    /** A topic name no other test uses. */
    public static String uniqueTopic(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    public static void awaitReady(Duration timeout) {
        await(timeout, "Solar Wind to be ready at " + HTTP + "/health/ready", () -> {
            try {
                return get(HTTP + "/health/ready").statusCode() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleep(100);
        }
        fail("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }

    public static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    public static HttpResponse<String> put(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public static HttpResponse<String> delete(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE());
    }

    public static HttpResponse<String> post(String url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request);
    }

    /** The development users of liberty/security-dev.xml and the broker's dev users files. */
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-dev-only";

    /** Sends as the development admin (in every role). */
    public static HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, ADMIN, ADMIN_PASSWORD);
    }

    /** Sends with HTTP Basic credentials, or none when {@code user} is null. */
    public static HttpResponse<String> send(HttpRequest.Builder request, String user, String password) {
        if (user != null) {
            request.setHeader("Authorization", basic(user, password));
        }
        try {
            return CLIENT.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Registers a purpose and returns the registration; fails unless it answers 201 or 200. */
    public static JsonObject register(String topic, String purpose, String exchange) {
        HttpResponse<String> response = put(purposeUrl(topic, purpose), "{\"exchange\":\"" + exchange + "\"}");
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            fail("registering " + topic + "/" + purpose + " answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body()).asJsonObject();
    }

    public static JsonObject registration(String topic, String purpose) {
        HttpResponse<String> response = get(purposeUrl(topic, purpose));
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body()).asJsonObject();
    }

    public static String purposeUrl(String topic, String purpose) {
        return API + "/topics/" + topic + "/purposes/" + purpose;
    }

    public static String eventsUrl(String topic) {
        return API + "/topics/" + topic + "/events";
    }

    /** Publishes a JSON event in binary mode and returns its id; fails unless it answers 202. */
    public static String publish(String topic, String id, String json) {
        HttpResponse<String> response = post(eventsUrl(topic),
                Map.of("ce-id", id, "ce-source", "/it", "ce-specversion", "1.0", "Content-Type", "application/json"),
                json.getBytes(StandardCharsets.UTF_8));
        assertEquals(202, response.statusCode(), response.body());
        return id;
    }

    public static List<String> publishMany(String topic, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(publish(topic, topic + "-" + i, "{\"n\":" + i + "}"));
        }
        return ids;
    }

    public static JsonStructure json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.read();
        }
    }

    public static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A started JMS connection to the broker over TCP as the development admin (role solarwind-admin). */
    public static Connection jms() throws JMSException {
        return jms(ADMIN, ADMIN_PASSWORD);
    }

    /** A started JMS connection to the broker over TCP, as a handler service or publisher in another JVM would have. */
    public static Connection jms(String user, String password) throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(BROKER);
        Connection connection = user == null ? factory.createConnection() : factory.createConnection(user, password);
        connection.start();
        return connection;
    }

    /** The Liberty installation the build created, for tests that restart the server. */
    public static Path wlp() {
        return Path.of(System.getProperty("solarwind.it.wlp", "target/liberty/wlp"));
    }

    public static String serverName() {
        return System.getProperty("solarwind.it.server", "solarwind");
    }

    /** Runs {@code bin/server <action> <name>} and waits for it. */
    public static void serverCommand(String action) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(wlp().resolve("bin/server").toString(), action, serverName())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("server " + action + " did not finish in 3 minutes");
        }
        assertEquals(0, process.exitValue(), "server " + action + " exit code");
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
