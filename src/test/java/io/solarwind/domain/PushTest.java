package io.solarwind.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PushTest {
    private static void refused(String url, String expected) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Push.parseUrl(url), url);
        assertEquals("push.url", e.field());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void takesHttpAndHttpsUrls() {
        assertEquals(URI.create("https://events.example.com/in?x=1"), Push.parseUrl("https://events.example.com/in?x=1"));
        assertEquals("localhost", Push.parseUrl("http://localhost:8080/").getHost());
    }

    @Test
    void refusesOtherUrls() {
        refused(null, "missing");
        refused(" ", "missing");
        refused("ftp://example.com/x", "http or https");
        refused("file:///etc/passwd", "http or https");
        refused("/relative/path", "http or https");
        refused("http:///no-host", "no host");
        refused("http://under_score.example.com/", "no host");
        refused("https://user:pw@example.com/", "user information");
        refused("https://example.com/x#frag", "fragment");
        refused("https://exa mple.com/", "not a URL");
        refused("https://example.com/" + "a".repeat(Push.LONGEST_URL), "longer than");
    }

    @Test
    void checksConcurrencyAndSecret() {
        URI url = URI.create("https://example.com/");
        assertEquals("push.concurrency", assertThrows(InvalidInputException.class, () -> new Push(url, 0, null)).field());
        assertEquals("push.concurrency", assertThrows(InvalidInputException.class, () -> new Push(url, Push.MOST_CONCURRENCY + 1, null)).field());
        assertEquals("push.secret", assertThrows(InvalidInputException.class, () -> new Push(url, 1, "short")).field());
        assertEquals("push.secret", assertThrows(InvalidInputException.class, () -> new Push(url, 1, "has a space in it, sadly")).field());
        new Push(url, Push.MOST_CONCURRENCY, "sixteen-chars-ok");
    }

    @Test
    void newSecretsAreLongAndDifferent() {
        String a = Push.newSecret();
        assertEquals(43, a.length());
        assertNotEquals(a, Push.newSecret());
        new Push(URI.create("https://example.com/"), 1, a); // a valid secret
    }

    @Test
    void neverShowsTheSecret() {
        Push push = new Push(URI.create("https://example.com/"), 2, "do-not-print-this-one");
        assertFalse(push.toString().contains("do-not-print"), push.toString());
        Registration r = new Registration(Topic.of("a.b"), Purpose.of("p"), Exchange.DIRECT, new Redelivery(1, 0, 1.0, 0), Instant.now(), push);
        assertFalse(r.toString().contains("do-not-print"), r.toString());
    }

    @Test
    void isForDirectPurposesOnly() {
        Push push = new Push(URI.create("https://example.com/"), 1, Push.newSecret());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new Registration(Topic.of("a.b"), Purpose.of("p"),
                Exchange.FANOUT, new Redelivery(1, 0, 1.0, 0), Instant.now(), push));
        assertEquals("push", e.field());
    }
}
