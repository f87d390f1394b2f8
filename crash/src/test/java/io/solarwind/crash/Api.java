package io.solarwind.crash;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Solar Wind's admin API as the tests call it, on one server: the answers' fields are read with patterns. */
final class Api {
    private static final Pattern DESTINATION = Pattern.compile("\"destination\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern DISPATCHER = Pattern.compile("\"dispatcher\"\\s*:\\s*\"([a-z]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\s*:\s*\"([^\"]+)\"");
    private static final Pattern REPLAYED = Pattern.compile("\"replayed\"\\s*:\\s*(\\d+)");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final String http;

    Api(String http) {
        this.http = http;
    }

    String http() {
        return http;
    }

    /** Registers a purpose; returns its destination. */
    String register(String topic, String purpose, String exchange) {
        HttpResponse<String> r = send(HttpRequest.newBuilder().PUT(HttpRequest.BodyPublishers.ofString("{\"exchange\":\"" + exchange + "\"}")),
                "/api/v1/topics/" + topic + "/purposes/" + purpose, true);
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new AssertionError("registering " + topic + "/" + purpose + " at " + http + " answered " + r.statusCode() + ": " + r.body());
        }
        Matcher m = DESTINATION.matcher(r.body());
        if (!m.find()) {
            throw new AssertionError("no destination in " + r.body());
        }
        return m.group(1);
    }

    /** Registers a direct purpose delivered by push to the URL; returns the answer's body (with the secret). */
    String registerPush(String topic, String purpose, String url, int concurrency) {
        HttpResponse<String> r = send(HttpRequest.newBuilder().PUT(HttpRequest.BodyPublishers.ofString(
                "{\"exchange\":\"direct\",\"push\":{\"url\":\"" + url + "\",\"concurrency\":" + concurrency + "}}")),
                "/api/v1/topics/" + topic + "/purposes/" + purpose, true);
        if (r.statusCode() != 201) {
            throw new AssertionError("registering " + topic + "/" + purpose + " with push at " + http + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    void delete(String topic, String purpose) {
        HttpResponse<String> r = send(HttpRequest.newBuilder().DELETE(), "/api/v1/topics/" + topic + "/purposes/" + purpose, false);
        if (r.statusCode() != 204) {
            throw new AssertionError("deleting " + topic + "/" + purpose + " at " + http + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** GET of the purpose: its registration as JSON. */
    String purpose(String topic, String purpose) {
        HttpResponse<String> r = send(HttpRequest.newBuilder().GET(), "/api/v1/topics/" + topic + "/purposes/" + purpose, false);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + topic + "/" + purpose + " at " + http + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The ids of the purpose's dead letters (at most 500, oldest first). */
    java.util.List<String> deadLetters(String topic, String purpose) {
        HttpResponse<String> r = send(HttpRequest.newBuilder().GET(), "/api/v1/topics/" + topic + "/purposes/" + purpose + "/dead-letters", false);
        if (r.statusCode() != 200) {
            throw new AssertionError("dead letters of " + topic + "/" + purpose + " at " + http + " answered " + r.statusCode() + ": " + r.body());
        }
        java.util.List<String> ids = new java.util.ArrayList<>();
        Matcher m = ID.matcher(r.body());
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /** Sends a dead letter back to its purpose. */
    void retryDeadLetter(String topic, String purpose, String id) {
        HttpResponse<String> r = send(HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()),
                "/api/v1/topics/" + topic + "/purposes/" + purpose + "/dead-letters/" + id + "/retry", false);
        if (r.statusCode() != 202) {
            throw new AssertionError("retrying " + id + " at " + http + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Whether GET of the purpose answers 200 (true) or 404 (false). */
    boolean knows(String topic, String purpose) {
        HttpResponse<String> r = send(HttpRequest.newBuilder().GET(), "/api/v1/topics/" + topic + "/purposes/" + purpose, false);
        if (r.statusCode() != 200 && r.statusCode() != 404) {
            throw new AssertionError("GET " + topic + "/" + purpose + " at " + http + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.statusCode() == 200;
    }

    /** Publishes one event over HTTP until it is accepted. */
    void publish(String topic, String id) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r = send(HttpRequest.newBuilder().header("ce-id", id).header("ce-source", "/ha/api")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")),
                    "/api/v1/topics/" + topic + "/events", false);
            if (r.statusCode() == 202) {
                return;
            }
            if (attempt == 20) {
                throw new AssertionError("publishing " + id + " at " + http + " answered " + r.statusCode() + ": " + r.body());
            }
            Processes.sleep(250);
        }
    }

    /** Replays the topic's retained events since {@code from} into a direct purpose; returns how many. */
    long replay(String topic, String purpose, java.time.Instant from) {
        HttpResponse<String> r = send(HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"" + from + "\"}")),
                "/api/v1/topics/" + topic + "/purposes/" + purpose + "/replay", true);
        Matcher m = REPLAYED.matcher(r.body());
        if (r.statusCode() != 202 || !m.find()) {
            throw new AssertionError("replay into " + topic + "/" + purpose + " at " + http + " answered " + r.statusCode() + ": " + r.body());
        }
        return Long.parseLong(m.group(1));
    }

    /** This server's dispatcher: "active", "standby" or "stopped"; "unreachable" when the server does not answer. */
    String dispatcher() {
        try {
            HttpResponse<String> r = CLIENT.send(Access.http(http + "/api/v1/broker", Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = DISPATCHER.matcher(r.body());
            return r.statusCode() == 200 && m.find() ? m.group(1) : "unreachable";
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unreachable";
        }
    }

    /** GET /api/v1/broker as it is. */
    String broker() {
        return send(HttpRequest.newBuilder().GET(), "/api/v1/broker", false).body();
    }

    private HttpResponse<String> send(HttpRequest.Builder builder, String path, boolean json) {
        HttpRequest.Builder request = Access.http(http + path, Duration.ofSeconds(60));
        HttpRequest base = builder.uri(java.net.URI.create(http + path)).build();
        request.method(base.method(), base.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()));
        base.headers().map().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        if (json) {
            request.header("Content-Type", "application/json");
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(path + " at " + http + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
