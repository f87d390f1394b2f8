package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.API;
import static io.solarwind.it.SolarWindServer.await;
import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.delete;
import static io.solarwind.it.SolarWindServer.eventsUrl;
import static io.solarwind.it.SolarWindServer.get;
import static io.solarwind.it.SolarWindServer.json;
import static io.solarwind.it.SolarWindServer.post;
import static io.solarwind.it.SolarWindServer.publish;
import static io.solarwind.it.SolarWindServer.purposeUrl;
import static io.solarwind.it.SolarWindServer.put;
import static io.solarwind.it.SolarWindServer.registration;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Push delivery against a receiver in this JVM ({@code com.sun.net.httpserver}, a free port on
 * localhost, which the build's server allows with {@code solarwind.push.allowed-hosts=localhost}):
 * events arrive in CloudEvents binary mode, byte for byte, signed with the purpose's secret; a
 * receiver that fails gets the event again after the purpose's delays, then it is a dead letter
 * with the receiver's answer as its reason, and the admin API's retry delivers it; bad
 * registrations and hosts outside the allow list are refused.
 */
class PushIT {
    /** What the receiver got: one entry per request. */
    record Request(String path, Map<String, String> headers, byte[] body, long nanos, boolean signatureValid) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private static HttpServer receiver;
    private static int port;
    /** Per path: the requests received. */
    private static final Map<String, List<Request>> received = new ConcurrentHashMap<>();
    /** Per path: how many requests still get a 500 before the receiver answers 204. */
    private static final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    /** Per path: the secret the receiver checks signatures with. */
    private static final Map<String, String> secrets = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        awaitReady(Duration.ofMinutes(3));
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        receiver = HttpServer.create(new InetSocketAddress(port), 0);
        receiver.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
            String secret = secrets.get(path);
            boolean valid = secret != null && verify(headers.get("solarwind-signature"), secret, body);
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(new Request(path, headers, body, System.nanoTime(), valid));
            if (path.endsWith("/slow")) {
                SolarWindServer.sleep(5000); // past the build server's solarwind.push.timeout-millis (3000)
            }
            AtomicInteger failures = failuresLeft.get(path);
            if (failures != null && failures.getAndDecrement() > 0) {
                byte[] answer = "receiver down for maintenance".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, answer.length);
                exchange.getResponseBody().write(answer);
            } else {
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        receiver.start();
    }

    /** The push purposes this class registered: deleted at the end, so that the server keeps no consumers for a receiver gone. */
    private static final List<String> registered = new CopyOnWriteArrayList<>();

    @AfterAll
    static void stop() {
        registered.forEach(SolarWindServer::delete);
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    /** The receiver's check, written here apart from the server's code: HMAC-SHA256 over "t." + body, within 5 minutes. */
    static boolean verify(String header, String secret, byte[] body) {
        if (header == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) {
            return false;
        }
        String t = header.substring(2, header.indexOf(','));
        if (Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(header.substring(header.indexOf("v1=") + 3)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** Registers a push purpose; returns the 201 answer's registration (with the secret), and tells the receiver the secret. */
    private static JsonObject registerPush(String topic, String purpose, String path, String more) {
        HttpResponse<String> created = put(purposeUrl(topic, purpose), "{\"exchange\":\"direct\"" + more
                + ",\"push\":{\"url\":\"" + url(path) + "\",\"concurrency\":2}}");
        assertEquals(201, created.statusCode(), created.body());
        registered.add(purposeUrl(topic, purpose));
        JsonObject registration = json(created.body()).asJsonObject();
        secrets.put(path, registration.getJsonObject("push").getString("secret"));
        return registration;
    }

    /** The push counters of /metrics (over HTTPS, as the scraper), by the part of their name after solarwind_push_. */
    private static Map<String, Double> pushCounters() {
        try {
            MetricsIT.ready();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String body = MetricsIT.metrics();
        Map<String, Double> counters = new java.util.HashMap<>();
        for (String name : List.of("delivered", "failed", "dead_lettered")) {
            Double value = MetricsIT.value(body, "solarwind_push_" + name + "_total", Map.of());
            assertTrue(value != null, "no solarwind_push_" + name + "_total in /metrics");
            counters.put(name, value);
        }
        return counters;
    }

    private static List<Request> requests(String path) {
        return received.getOrDefault(path, List.of());
    }

    @Test
    void eventsArriveInBinaryModeByteForByteAndSigned() {
        String topic = uniqueTopic("it.push");
        String path = "/" + topic + "/ok";
        JsonObject created = registerPush(topic, "hook", path, "");
        JsonObject push = created.getJsonObject("push");
        assertEquals(url(path), push.getString("url"));
        assertEquals(2, push.getInt("concurrency"));
        assertEquals(43, push.getString("secret").length(), "a secret made up by the server, shown once");

        JsonObject shown = registration(topic, "hook");
        assertEquals(url(path), shown.getJsonObject("push").getString("url"));
        assertFalse(shown.getJsonObject("push").containsKey("secret"), "the secret is never shown again: " + shown);
        assertFalse(get(API + "/topics").body().contains(push.getString("secret")), "nor in lists");
        HttpResponse<String> again = put(purposeUrl(topic, "hook"), "{\"exchange\":\"direct\",\"push\":{\"url\":\"" + url(path) + "\",\"concurrency\":2}}");
        assertEquals(200, again.statusCode(), again.body());
        assertFalse(again.body().contains("secret"), again.body());

        String json = "{\"name\":\"Zoë\",\"n\":1}";
        publish(topic, topic + "-json", json);
        byte[] bytes = new byte[300];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7);
        }
        HttpResponse<String> published = post(eventsUrl(topic), Map.of("ce-id", topic + "-bytes", "ce-source", "/it/push",
                "ce-specversion", "1.0", "ce-subject", "a%20b%25c%20Zo%C3%AB", "Content-Type", "application/octet-stream"), bytes);
        assertEquals(202, published.statusCode(), published.body());

        await(Duration.ofSeconds(30), "both events at the receiver", () -> requests(path).size() >= 2);
        Request first = requests(path).stream().filter(r -> (topic + "-json").equals(r.header("ce-id"))).findFirst().orElseThrow();
        assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), first.body());
        assertEquals(topic, first.header("ce-type"));
        assertEquals("/it", first.header("ce-source"));
        assertEquals("1.0", first.header("ce-specversion"));
        assertTrue(first.header("content-type").startsWith("application/json"), first.header("content-type"));
        assertTrue(first.signatureValid(), "signature " + first.header("solarwind-signature"));
        assertEquals(topic + "/hook", first.header("solarwind-purpose"));
        assertEquals("1", first.header("solarwind-delivery-attempt"));

        Request second = requests(path).stream().filter(r -> (topic + "-bytes").equals(r.header("ce-id"))).findFirst().orElseThrow();
        assertArrayEquals(bytes, second.body(), "binary data byte for byte");
        assertEquals("application/octet-stream", second.header("content-type"));
        assertEquals("a%20b%25c%20Zo%C3%AB", second.header("ce-subject"),
                "the subject 'a b%c Zoë' percent-encoded as the CloudEvents HTTP binding says");
        assertTrue(second.signatureValid());
        assertFalse(verify(second.header("solarwind-signature"), "not-the-secret-of-the-purpose", second.body()),
                "the receiver's check can fail");

        await(Duration.ofSeconds(10), "the purpose's queue to be empty", () -> registration(topic, "hook").getInt("pending") == 0);
        assertEquals(2, requests(path).size(), "each event POSTed once: " + requests(path).size());
        HttpResponse<String> deleted = delete(purposeUrl(topic, "hook"));
        assertEquals(204, deleted.statusCode(), "a push purpose is deleted like any other, its consumers on every server with it: "
                + deleted.body());
        publish(topic, topic + "-after", "{}");
        SolarWindServer.sleep(2500);
        assertEquals(2, requests(path).size(), "nothing POSTed for a deleted purpose (its queue was not made again)");
        assertEquals(404, get(purposeUrl(topic, "hook")).statusCode());
        JsonObject anew = registerPush(topic, "hook", path, "");
        assertFalse(anew.getJsonObject("push").getString("secret").equals(push.getString("secret")), "a new secret");
        publish(topic, topic + "-anew", "{}");
        await(Duration.ofSeconds(30), "the event of the purpose registered anew", () -> requests(path).size() == 3);
        assertTrue(requests(path).get(2).signatureValid(), "signed with the new secret");
    }

    @Test
    void aFailingReceiverGetsThePolicysDelaysThenTheDeadLetterIsRetriedFromTheAdminApi() {
        String topic = uniqueTopic("it.push");
        String path = "/" + topic + "/flaky";
        failuresLeft.put(path, new AtomicInteger(3)); // down for the event's 3 attempts
        registerPush(topic, "flaky", path, ",\"redelivery\":{\"maxAttempts\":3,\"delayMillis\":400,\"multiplier\":2.0}");
        Map<String, Double> before = pushCounters();
        String id = publish(topic, topic + "-1", "{\"flaky\":true}");

        await(Duration.ofSeconds(30), "the event's dead letter", () -> {
            JsonArray letters = json(get(purposeUrl(topic, "flaky") + "/dead-letters").body()).asJsonArray();
            return letters.size() == 1;
        });
        List<Request> attempts = requests(path);
        assertEquals(3, attempts.size(), "three attempts, no more");
        for (int i = 0; i < 3; i++) {
            assertEquals(String.valueOf(i + 1), attempts.get(i).header("solarwind-delivery-attempt"));
            assertEquals(id, attempts.get(i).header("ce-id"));
            assertTrue(attempts.get(i).signatureValid());
        }
        long firstGap = (attempts.get(1).nanos() - attempts.get(0).nanos()) / 1_000_000;
        long secondGap = (attempts.get(2).nanos() - attempts.get(1).nanos()) / 1_000_000;
        assertTrue(firstGap >= 350, "first redelivery after about 400 ms: " + firstGap + " ms");
        assertTrue(secondGap >= 750, "second after about 800 ms (multiplier 2): " + secondGap + " ms");

        JsonObject letter = json(get(purposeUrl(topic, "flaky") + "/dead-letters").body()).asJsonArray().getJsonObject(0);
        assertEquals(id, letter.getString("id"));
        assertEquals(3, letter.getInt("attempts"));
        assertTrue(letter.getString("reason").contains("HTTP 500") && letter.getString("reason").contains("receiver down for maintenance")
                && letter.getString("reason").contains(url(path)), letter.getString("reason"));
        assertEquals(1, registration(topic, "flaky").getInt("deadLetters"));

        HttpResponse<String> retried = post(purposeUrl(topic, "flaky") + "/dead-letters/" + id + "/retry", Map.of(), new byte[0]);
        assertEquals(202, retried.statusCode(), retried.body());
        await(Duration.ofSeconds(30), "the retried event at the receiver", () -> requests(path).size() == 4);
        Request fourth = requests(path).get(3);
        assertEquals(id, fourth.header("ce-id"));
        assertTrue(fourth.signatureValid());
        await(Duration.ofSeconds(10), "no dead letter and an empty queue", () -> {
            JsonObject r = registration(topic, "flaky");
            return r.getInt("deadLetters") == 0 && r.getInt("pending") == 0;
        });
        SolarWindServer.sleep(1000);
        assertEquals(4, requests(path).size(), "acknowledged by the 204: not POSTed again");
        Map<String, Double> after = pushCounters();
        assertTrue(after.get("failed") - before.get("failed") >= 3, before + " -> " + after);
        assertTrue(after.get("dead_lettered") - before.get("dead_lettered") >= 1, before + " -> " + after);
        assertTrue(after.get("delivered") - before.get("delivered") >= 1, before + " -> " + after);
    }

    @Test
    void aReceiverThatFailsOnceGetsTheEventAgain() {
        String topic = uniqueTopic("it.push");
        String path = "/" + topic + "/once";
        failuresLeft.put(path, new AtomicInteger(1));
        registerPush(topic, "once", path, ",\"redelivery\":{\"maxAttempts\":5,\"delayMillis\":200}");
        String id = publish(topic, topic + "-1", "{}");
        await(Duration.ofSeconds(30), "the second attempt", () -> requests(path).size() >= 2);
        await(Duration.ofSeconds(10), "an empty queue", () -> registration(topic, "once").getInt("pending") == 0);
        assertEquals(2, requests(path).size());
        assertEquals(id, requests(path).get(1).header("ce-id"));
        assertEquals(0, json(get(purposeUrl(topic, "once") + "/dead-letters").body()).asJsonArray().size());
    }

    @Test
    void noAnswerInTimeAndARefusedConnectionAreFailedDeliveriesToo() throws IOException {
        String topic = uniqueTopic("it.push");
        int closed;
        try (ServerSocket free = new ServerSocket(0)) {
            closed = free.getLocalPort(); // nothing listens there once this is closed
        }
        String once = ",\"redelivery\":{\"maxAttempts\":1}";
        HttpResponse<String> refused = put(purposeUrl(topic, "refused"), "{\"exchange\":\"direct\"" + once
                + ",\"push\":{\"url\":\"http://localhost:" + closed + "/nobody\"}}");
        assertEquals(201, refused.statusCode(), refused.body());
        registered.add(purposeUrl(topic, "refused"));
        registerPush(topic, "slow", "/" + topic + "/slow", once);
        String id = publish(topic, topic + "-1", "{}");
        await(Duration.ofSeconds(60), "both dead letters", () -> json(get(purposeUrl(topic, "refused") + "/dead-letters").body()).asJsonArray().size() == 1
                && json(get(purposeUrl(topic, "slow") + "/dead-letters").body()).asJsonArray().size() == 1);
        String refusedReason = json(get(purposeUrl(topic, "refused") + "/dead-letters").body()).asJsonArray().getJsonObject(0).getString("reason");
        assertTrue(refusedReason.contains("ConnectException") && refusedReason.contains(":" + closed + "/nobody"), refusedReason);
        JsonObject slow = json(get(purposeUrl(topic, "slow") + "/dead-letters").body()).asJsonArray().getJsonObject(0);
        assertEquals(id, slow.getString("id"));
        assertTrue(slow.getString("reason").contains("no answer within 3000 ms") && slow.getString("reason").contains("solarwind.push.timeout-millis"),
                slow.getString("reason"));
        assertEquals(1, requests("/" + topic + "/slow").size(), "one attempt, as the policy says");
    }

    /** examples/push-receiver, run with its README's one command, checks the signatures of a purpose registered with a secret of its own. */
    @Test
    void theExampleReceiverChecksTheSignaturesAndAcknowledges() throws Exception {
        String topic = uniqueTopic("it.push");
        String secret = "example-" + java.util.UUID.randomUUID();
        int examplePort;
        try (ServerSocket free = new ServerSocket(0)) {
            examplePort = free.getLocalPort();
        }
        ProcessBuilder command = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "../examples/push-receiver/PushReceiver.java", String.valueOf(examplePort), "--fail-first", "1").redirectErrorStream(true);
        command.environment().put("SOLARWIND_PUSH_SECRET", secret);
        Process example = command.start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(example.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            } catch (IOException e) {
                output.add("(output lost: " + e + ")");
            }
        });
        reader.start();
        try {
            await(Duration.ofSeconds(60), "the example receiver to start: " + output, () -> String.join("\n", output).contains("Push receiver on"));
            HttpResponse<String> created = put(purposeUrl(topic, "example"), "{\"exchange\":\"direct\",\"redelivery\":{\"maxAttempts\":3,"
                    + "\"delayMillis\":200},\"push\":{\"url\":\"http://localhost:" + examplePort + "/events\",\"secret\":\"" + secret + "\"}}");
            assertEquals(201, created.statusCode(), created.body());
            registered.add(purposeUrl(topic, "example"));
            assertEquals(secret, json(created.body()).asJsonObject().getJsonObject("push").getString("secret"), "the secret given is the one used");
            publish(topic, topic + "-v1", "{\"video\":\"cat.mp4\"}");
            await(Duration.ofSeconds(30), "the example to acknowledge the event: " + output,
                    () -> String.join("\n", output).contains("-> 204 acknowledged"));
            String printed = String.join("\n", output);
            assertTrue(printed.contains("-> 503 failed on purpose"), printed);
            assertTrue(printed.contains("attempt 2 of " + topic + "-v1: signature valid"), printed);
            assertFalse(printed.contains("SIGNATURE INVALID"), printed);
            assertTrue(printed.contains("{\"video\":\"cat.mp4\"}"), printed);
        } finally {
            example.destroy();
            if (!example.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                example.destroyForcibly();
            }
            reader.join(5000);
        }
    }

    @Test
    void hostsOutsideTheAllowListAndBadPushSettingsAreRefused() {
        String topic = uniqueTopic("it.push");
        Map<String, String> refused = Map.of(
                "{\"exchange\":\"direct\",\"push\":{\"url\":\"http://127.0.0.1:" + port + "/x\"}}", "push-target-not-allowed",
                "{\"exchange\":\"direct\",\"push\":{\"url\":\"http://169.254.169.254/latest/meta-data\"}}", "push-target-not-allowed",
                "{\"exchange\":\"direct\",\"push\":{\"url\":\"ftp://localhost/x\"}}", "invalid-input",
                "{\"exchange\":\"direct\",\"push\":{\"url\":\"not a url\"}}", "invalid-input",
                "{\"exchange\":\"direct\",\"push\":{}}", "invalid-input",
                "{\"exchange\":\"direct\",\"push\":{\"url\":\"" + url("/x") + "\",\"concurrency\":0}}", "invalid-input",
                "{\"exchange\":\"direct\",\"push\":{\"url\":\"" + url("/x") + "\",\"secret\":\"short\"}}", "invalid-input",
                "{\"exchange\":\"direct\",\"push\":{\"url\":\"" + url("/x") + "\",\"retries\":3}}", "invalid-input",
                "{\"exchange\":\"fanout\",\"push\":{\"url\":\"" + url("/x") + "\"}}", "invalid-input",
                "{\"exchange\":\"direct\",\"push\":\"" + url("/x") + "\"}", "invalid-input");
        refused.forEach((body, type) -> {
            HttpResponse<String> answer = put(purposeUrl(topic, "refused"), body);
            assertEquals(400, answer.statusCode(), body + " -> " + answer.body());
            assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            JsonObject problem = json(answer.body()).asJsonObject();
            assertEquals("urn:solarwind:problem:" + type, problem.getString("type"), answer.body());
            assertTrue(problem.getString("field").startsWith("push"), answer.body());
            if (type.equals("push-target-not-allowed")) {
                assertTrue(problem.getString("detail").contains("solarwind.push.allowed-hosts"), answer.body());
            }
        });
        assertEquals(404, get(purposeUrl(topic, "refused")).statusCode(), "nothing was registered");

        // other push settings on an existing purpose: 409, the purpose unchanged
        String path = "/" + topic + "/kept";
        registerPush(topic, "kept", path, "");
        HttpResponse<String> conflict = put(purposeUrl(topic, "kept"),
                "{\"exchange\":\"direct\",\"push\":{\"url\":\"" + url(path + "/other") + "\",\"concurrency\":2}}");
        assertEquals(409, conflict.statusCode(), conflict.body());
        assertEquals("urn:solarwind:problem:push-conflict", json(conflict.body()).asJsonObject().getString("type"));
        register(topic, "pulled");
        HttpResponse<String> toPush = put(purposeUrl(topic, "pulled"), "{\"exchange\":\"direct\",\"push\":{\"url\":\"" + url(path) + "\"}}");
        assertEquals(409, toPush.statusCode(), toPush.body());
        assertEquals(url(path), registration(topic, "kept").getJsonObject("push").getString("url"));
        assertFalse(registration(topic, "pulled").containsKey("push"));
    }

    private static void register(String topic, String purpose) {
        SolarWindServer.register(topic, purpose, "direct");
    }
}
