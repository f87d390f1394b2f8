package io.solarwind.push;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a push request, in the header {@value #HEADER}:
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>." followed by the body's bytes>}, keyed
 * with the purpose's secret (its UTF-8 bytes). A receiver computes the same HMAC over the body it
 * got, compares in constant time, and refuses a {@code t} too far from its own clock (say five
 * minutes), so that a recorded request cannot be replayed later. Static and free of JMS and HTTP:
 * the receiver example carries the same few lines.
 */
public final class PushSignature {
    public static final String HEADER = "SolarWind-Signature";
    public static final String SCHEME = "v1";
    private static final String ALGORITHM = "HmacSHA256";

    private PushSignature() {
    }

    /** The header's value for a body sent at {@code unixSeconds}. */
    public static String header(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + "," + SCHEME + "=" + HexFormat.of().formatHex(hmac(secret, unixSeconds, body));
    }

    /** HMAC-SHA256 keyed with the secret over {@code "<unixSeconds>."} and the body. */
    public static byte[] hmac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    /**
     * Whether a header value signs the body with the secret at a time within {@code toleranceSeconds}
     * of {@code nowSeconds}: what a receiver checks.
     */
    public static boolean verify(String header, String secret, byte[] body, long nowSeconds, long toleranceSeconds) {
        if (header == null) {
            return false;
        }
        Long t = null;
        String signature = null;
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (name.equals("t")) {
                try {
                    t = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (name.equals(SCHEME)) {
                signature = value;
            }
        }
        if (t == null || signature == null || Math.abs(nowSeconds - t) > toleranceSeconds) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, hmac(secret, t, body));
    }
}
