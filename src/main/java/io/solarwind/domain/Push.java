package io.solarwind.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * Push delivery of a direct purpose: Solar Wind POSTs each of its events to {@code url}
 * (CloudEvents HTTP binary mode) from {@code concurrency} consumers of its queue on every server,
 * signing each request with {@code secret} (see {@code io.solarwind.push.PushSignature}).
 *
 * @param secret the signing secret; null in a request that lets the server make one up
 */
public record Push(URI url, int concurrency, String secret) {
    /** Most consumers one server runs for one push purpose. */
    public static final int MOST_CONCURRENCY = 64;
    public static final int LONGEST_URL = 2000;
    public static final int SHORTEST_SECRET = 16;
    public static final int LONGEST_SECRET = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    public Push {
        Objects.requireNonNull(url, "url");
        check(concurrency >= 1 && concurrency <= MOST_CONCURRENCY, "push.concurrency",
                "push.concurrency must be between 1 and " + MOST_CONCURRENCY + ", not " + concurrency);
        if (secret != null) {
            check(secret.length() >= SHORTEST_SECRET && secret.length() <= LONGEST_SECRET
                            && secret.chars().allMatch(c -> c > 0x20 && c < 0x7f), "push.secret",
                    "push.secret must be " + SHORTEST_SECRET + " to " + LONGEST_SECRET
                            + " printable ASCII characters without spaces (or left out: the server makes one up)");
        }
    }

    /**
     * Checks a push URL: absolute {@code http} or {@code https}, with a host, without user
     * information or fragment, at most {@value #LONGEST_URL} characters. Whether its host may be
     * called is a server setting, checked apart ({@code io.solarwind.push.PushTargets}).
     */
    public static URI parseUrl(String value) {
        check(value != null && !value.isBlank(), "push.url", "push.url is missing: give the http(s) URL to POST events to");
        check(value.length() <= LONGEST_URL, "push.url", "push.url is longer than " + LONGEST_URL + " characters");
        URI url;
        try {
            url = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("push.url", "push.url is not a URL: " + Names.printable(e.getMessage()));
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        check(scheme.equals("http") || scheme.equals("https"), "push.url",
                "push.url must be an http or https URL, not '" + Names.printable(value) + "'");
        check(url.getHost() != null && !url.getHost().isEmpty(), "push.url",
                "push.url has no host name (or one the URL syntax does not allow): '" + Names.printable(value) + "'");
        check(url.getRawUserInfo() == null, "push.url", "push.url must not hold user information (user:password@)");
        check(url.getRawFragment() == null, "push.url", "push.url must not have a fragment (#...)");
        return url;
    }

    /** A new random secret: 32 bytes from a secure random source, base64url without padding (43 characters). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The same target with a secret. */
    public Push withSecret(String newSecret) {
        return new Push(url, concurrency, newSecret);
    }

    /** Whether both push to the same URL with the same concurrency (whatever their secrets). */
    public boolean sameTarget(Push other) {
        return other != null && url.equals(other.url) && concurrency == other.concurrency;
    }

    /** For messages, without the secret: {@code url https://h/p, concurrency 2}. */
    public String describe() {
        return "url " + url + ", concurrency " + concurrency;
    }

    @Override
    public String toString() {
        return "Push[" + describe() + "]"; // never the secret, in a log or an exception
    }

    private static void check(boolean ok, String field, String detail) {
        if (!ok) {
            throw new InvalidInputException(field, detail);
        }
    }
}
