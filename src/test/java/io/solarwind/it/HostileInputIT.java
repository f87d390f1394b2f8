package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.API;
import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.get;
import static io.solarwind.it.SolarWindServer.register;
import static io.solarwind.it.SolarWindServer.registration;
import static io.solarwind.it.SolarWindServer.send;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated bad requests (a fixed seed, so a failure can be replayed): each gets a 4xx problem
 * document, none a 5xx, nothing is registered or dispatched by them, and the server stays ready.
 */
class HostileInputIT {
    private static final String[] BAD_NAME_PARTS = {"#", "*", ">", "::", "/", " ", "%20", "\u00e9", "..", "$", "'", "\"",
            "<script>", "%25", "+", "?x=1", ";", ",", "&", "=", "~", "!", "(", ")", "@", "[", "]", "{", "}", "|", "\\", "^", "`"};

    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
    }

    @Test
    void twoHundredFiftyGeneratedBadRequestsGetProblemDocumentsAndTheServerStaysUp() {
        Random random = new Random(20261128L);
        String topic = uniqueTopic("it.hostile");
        register(topic, "keep", "direct");
        List<HttpRequest.Builder> requests = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String name = badName(random);
            requests.add(put(API + "/topics/" + encodePath(name) + "/purposes/p", "{\"exchange\":\"direct\"}"));
            requests.add(put(API + "/topics/" + topic + "/purposes/" + encodePath(name), "{\"exchange\":\"direct\"}"));
        }
        for (int i = 0; i < 40; i++) {
            requests.add(put(API + "/topics/" + topic + "/purposes/body" + i, badJson(random)));
        }
        for (int i = 0; i < 40; i++) {
            requests.add(structured(topic, badEvent(random)));
        }
        for (int i = 0; i < 45; i++) {
            requests.add(binaryWithBadHeader(topic, random));
        }
        requests.add(put(API + "/topics/" + topic + "/purposes/deep", "[".repeat(15_000)));
        requests.add(structured(topic, "{\"data\":" + "[".repeat(200_000) + "}"));
        requests.add(structured(topic, "{\"data\":" + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000) + "}"));
        requests.add(HttpRequest.newBuilder(URI.create(API + "/topics/" + topic + "/events"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xFF, (byte) 0xFE, 0x41})));
        requests.add(HttpRequest.newBuilder(URI.create(API + "/topics/" + topic + "/events"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024])));

        List<String> failures = new ArrayList<>();
        for (HttpRequest.Builder request : requests) {
            HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
            HttpResponse<String> response = send(HttpRequest.newBuilder(built, (n, v) -> true));
            int status = response.statusCode();
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (status < 400 || status >= 500 || !type.startsWith("application/problem+json")) {
                failures.add(built.method() + " " + built.uri() + " -> " + status + " " + type + " "
                        + response.body().substring(0, Math.min(200, response.body().length())));
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + requests.size() + " bad requests were not a 4xx problem:\n"
                + String.join("\n", failures));

        assertTrue(requests.size() >= 250, "requests generated: " + requests.size());
        assertEquals(200, get(SolarWindServer.HTTP + "/health/ready").statusCode(), "the server is still ready");
        assertEquals(0, registration(topic, "keep").getInt("pending"), "no bad request was dispatched");
        assertEquals("[" + get(API + "/topics/" + topic + "/purposes/keep").body() + "]",
                get(API + "/topics/" + topic + "/purposes").body(), "no bad request registered anything");
    }

    /**
     * A client announcing 64 MiB gets 413 at once from the length alone, and the connection is
     * closed behind the answer: it does not hang waiting for the rest of its upload to be read.
     * Liberty answers it itself (solarwind.http.max-message-bytes, its MessageSizeLimit), before the
     * API: the 413 has no problem document. Without that limit the API's 413 came at once too, but
     * Liberty then read the unsent body until the client gave up.
     */
    @Test
    void anAnnouncedOversizeBodyGets413AndTheConnectionIsClosedWithoutReadingIt() throws Exception {
        String topic = uniqueTopic("it.oversize");
        URI http = URI.create(SolarWindServer.HTTP);
        try (Socket socket = new Socket(http.getHost(), http.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/topics/" + topic + "/events HTTP/1.1\r\n"
                    + "Host: " + http.getHost() + ":" + http.getPort() + "\r\n"
                    + "Authorization: " + SolarWindServer.basic(SolarWindServer.ADMIN, SolarWindServer.ADMIN_PASSWORD) + "\r\n"
                    + "ce-id: big-1\r\nce-source: /it\r\nce-specversion: 1.0\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Length: " + (64L << 20) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[4096]); // a little of the body, never the rest
            out.flush();
            long started = System.nanoTime();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                fail("the connection was still open 20 s after the request; received so far:\n" + answer.toString(StandardCharsets.ISO_8859_1));
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("HTTP/1.1 413"), text);
            assertTrue(text.toLowerCase(Locale.ROOT).contains("connection: close"), text);
            assertTrue(millis < 10_000, "closed after " + millis + " ms");
        }
    }

    private static String badName(Random random) {
        StringBuilder name = new StringBuilder(random.nextBoolean() ? "v" : "");
        int parts = 1 + random.nextInt(3);
        for (int i = 0; i < parts; i++) {
            name.append(BAD_NAME_PARTS[random.nextInt(BAD_NAME_PARTS.length)]);
            if (random.nextBoolean()) {
                name.append("x");
            }
        }
        if (random.nextInt(10) == 0) {
            name.append("y".repeat(250));
        }
        return name.toString();
    }

    /** Percent-encodes what a URI cannot carry as it is, but keeps '/' so that paths get split too. */
    private static String encodePath(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/:*'()!$,;=@+".indexOf(c) >= 0) {
                out.append((char) c);
            } else if (c == '%' ) {
                out.append('%');
            } else {
                out.append(String.format("%%%02X", c));
            }
        }
        String s = out.toString();
        // a stray '%' that does not start a valid escape would be refused by the HTTP client itself
        return s.replaceAll("%(?![0-9A-Fa-f]{2})", "%25");
    }

    /** Bodies that are no registration. */
    private static String badJson(Random random) {
        String[] bodies = {"", "{", "}", "[]", "null", "42", "\"direct\"", "{\"exchange\":", "{\"exchange\":null}",
                "{\"exchange\":[\"direct\"]}", "{\"exchange\":{\"kind\":\"direct\"}}", "{\"exchange\":\"DIRECT\"}",
                "{\"exchange\":\"direct \"}", "{\"exchange\":\"fan-out\"}", "{\"exchange\":1e999999}", "{'exchange':'direct'}",
                "{\"exchange\":\"direct\",}", "\u0000", "{\"exchange\":" + "9".repeat(5000) + "}"};
        return bodies[random.nextInt(bodies.length)];
    }

    /** Bodies that are no CloudEvent of the URL's topic. */
    private static String badEvent(Random random) {
        String[] bodies = {"", "{", "}", "[]", "null", "42", "\"x\"", "{'id':'1'}", "\u0000", "{\"specversion\":\"0.3\"}", "{\"type\":\"other\"}",
                "{\"data\":1,\"data_base64\":\"AA==\"}", "{\"data_base64\":\"!!!\"}", "{\"id\":\"\"}", "{\"source\":\"\"}",
                "{\"time\":\"yesterday\"}", "{\"Bad-Name\":\"x\"}", "{\"subject\":{}}", "{\"subject\":[1]}",
                "{\"datacontenttype\":\"image/png\",\"data\":{\"a\":1}}", "{\"datacontenttype\":\"text/plain; charset=nope\",\"data\":\"x\"}",
                "{\"a\":" + "9".repeat(5000) + "}"};
        return bodies[random.nextInt(bodies.length)];
    }

    private static HttpRequest.Builder put(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpRequest.Builder structured(String topic, String body) {
        return HttpRequest.newBuilder(URI.create(API + "/topics/" + topic + "/events"))
                .header("Content-Type", "application/cloudevents+json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpRequest.Builder binaryWithBadHeader(String topic, Random random) {
        String[][] headers = {{"ce-type", "other.topic"}, {"ce-specversion", "2.0"}, {"ce-time", "not-a-time"},
                {"ce-id", ""}, {"ce-source", ""}, {"ce-Bad_Name", "x"}, {"ce-waytoolongattributename", "x"},
                {"ce-datacontenttype", "text/plain"}, {"ce-subject", "bad%ZZescape"}, {"ce-subject", "%FF%FE"}};
        String[] header = headers[random.nextInt(headers.length)];
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(API + "/topics/" + topic + "/events"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        return header[1].isEmpty() ? b.header(header[0], " ") : b.header(header[0], header[1]);
    }
}
