package io.solarwind.crash;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Publishes events over HTTP (binary mode), each until Solar Wind answers 202. Given several
 * servers, it sends to the next one after a failed attempt, as a load balancer in front of
 * them would.
 */
final class HttpPublisher implements Runnable {
    static final String SOURCE = "/crash/http";
    /** Answers after which sending the same event again can succeed: the server or its broker is not there (yet). */
    private static final Set<Integer> RETRYABLE = Set.of(404, 500, 502, 503, 504);

    private final Ledger ledger;
    private final List<String> eventsUrls;
    private int server;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    HttpPublisher(Ledger ledger, String http, String topic) {
        this(ledger, List.of(http), topic);
    }

    HttpPublisher(Ledger ledger, List<String> servers, String topic) {
        this.ledger = ledger;
        this.eventsUrls = servers.stream().map(http -> http + "/api/v1/topics/" + topic + "/events").toList();
    }

    @Override
    public void run() {
        for (int n = ledger.take(); n >= 0; n = ledger.take()) {
            for (int attempt = 1; !ledger.stopped(); attempt++) {
                HttpRequest request = Access.http(eventsUrls.get(server), Duration.ofSeconds(30))
                        .header("ce-id", ledger.id(n))
                        .header("ce-source", SOURCE)
                        .header("ce-specversion", "1.0")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Ledger.body(n), StandardCharsets.UTF_8))
                        .build();
                ledger.attempted(n);
                int status;
                String body = "";
                try {
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    status = response.statusCode();
                    body = response.body();
                } catch (IOException e) {
                    status = -1;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (status == 202) {
                    ledger.acknowledged(n, true);
                    break;
                }
                if (status != -1 && !RETRYABLE.contains(status)) {
                    ledger.error("HTTP publish of " + ledger.id(n) + " answered " + status + ": " + body);
                    return;
                }
                ledger.failed(n, attempt);
                server = (server + 1) % eventsUrls.size();
                Processes.sleep(Math.min(50L * attempt, 500));
            }
        }
    }
}
