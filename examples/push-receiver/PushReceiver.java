import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver of Solar Wind push delivery, in one file with the JDK alone:
 *
 * <pre>
 * SOLARWIND_PUSH_SECRET=... java PushReceiver.java [port, default 8090] [--fail-first N]
 * </pre>
 *
 * It checks each request's {@code SolarWind-Signature} (HMAC-SHA256 with the purpose's secret over
 * {@code "<t>."} and the body, {@code t} within five minutes of its clock), prints the event, and
 * answers 204 (acknowledged) or 401 (bad signature: Solar Wind delivers it again, then
 * dead-letters it). {@code --fail-first N} answers 503 to the first N requests, to watch the
 * purpose's redelivery delays and dead letters.
 */
public class PushReceiver {
    static final long TOLERANCE_SECONDS = 300;

    public static void main(String[] args) throws IOException {
        int port = 8090;
        int failFirst = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--fail-first")) {
                failFirst = Integer.parseInt(args[++i]);
            } else {
                port = Integer.parseInt(args[i]);
            }
        }
        String secret = System.getenv("SOLARWIND_PUSH_SECRET");
        if (secret == null || secret.isBlank()) {
            System.err.println("Set SOLARWIND_PUSH_SECRET to the purpose's secret (push.secret of the 201 answer that registered it).");
            System.exit(2);
        }
        AtomicInteger failures = new AtomicInteger(failFirst);
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst("SolarWind-Signature");
            Map<String, String> attributes = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (name.toLowerCase().startsWith("ce-")) {
                    attributes.put(name.substring(3).toLowerCase(), URLDecoder.decode(values.get(0).replace("+", "%2B"), StandardCharsets.UTF_8));
                }
            });
            boolean valid = verify(signature, secret, body, System.currentTimeMillis() / 1000);
            int status = !valid ? 401 : failures.getAndDecrement() > 0 ? 503 : 204;
            System.out.printf("%s attempt %s of %s: %s%n  %s%n  content-type %s, %d bytes%s%n  -> %d %s%n",
                    exchange.getRequestHeaders().getFirst("SolarWind-Purpose"),
                    exchange.getRequestHeaders().getFirst("SolarWind-Delivery-Attempt"), attributes.get("id"),
                    valid ? "signature valid" : "SIGNATURE INVALID", attributes,
                    exchange.getRequestHeaders().getFirst("Content-Type"), body.length,
                    isText(exchange.getRequestHeaders().getFirst("Content-Type")) ? ": " + new String(body, StandardCharsets.UTF_8) : "",
                    status, status == 204 ? "acknowledged" : status == 503 ? "failed on purpose (--fail-first)" : "refused");
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        System.out.println("Push receiver on http://localhost:" + port + "/ (Ctrl-C stops it)");
    }

    /** The check every receiver makes: the HMAC over "t." + body with the secret, t close to now. */
    static boolean verify(String header, String secret, byte[] body, long nowSeconds) {
        if (header == null) {
            return false;
        }
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) {
                t = part.substring(2);
            } else if (part.startsWith("v1=")) {
                v1 = part.substring(3);
            }
        }
        try {
            if (t == null || v1 == null || Math.abs(nowSeconds - Long.parseLong(t)) > TOLERANCE_SECONDS) {
                return false;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return MessageDigest.isEqual(mac.doFinal(body), HexFormat.of().parseHex(v1));
        } catch (IllegalArgumentException | GeneralSecurityException e) { // a bad number or hex digit
            return false;
        }
    }

    static boolean isText(String contentType) {
        return contentType != null && (contentType.startsWith("text/") || contentType.contains("json") || contentType.contains("xml"));
    }
}
