package io.solarwind.push;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PushTargetsTest {
    @Test
    void emptySettingTurnsPushOff() {
        PushTargets none = new PushTargets("");
        assertFalse(none.enabled());
        String refusal = none.refusal(URI.create("https://events.example.com/in"));
        assertNotNull(refusal);
        assertTrue(refusal.contains("solarwind.push.allowed-hosts") && refusal.contains("SOLARWIND_PUSH_ALLOWED_HOSTS"), refusal);
    }

    @Test
    void exactHostsAnyPort() {
        PushTargets targets = new PushTargets("events.example.com, localhost");
        assertTrue(targets.allows(URI.create("https://events.example.com/in")));
        assertTrue(targets.allows(URI.create("http://EVENTS.example.com:8080/in")));
        assertTrue(targets.allows(URI.create("http://localhost:1234/x")));
        assertNull(targets.refusal(URI.create("http://localhost:1234/x")));
    }

    @Test
    void otherHostsAndAddressesAreRefused() {
        PushTargets targets = new PushTargets("events.example.com,localhost");
        assertFalse(targets.allows(URI.create("http://127.0.0.1:8080/x")), "an address is not the name that resolves to it");
        assertFalse(targets.allows(URI.create("http://169.254.169.254/latest/meta-data")));
        assertFalse(targets.allows(URI.create("https://events.example.com.evil.org/in")));
        assertFalse(targets.allows(URI.create("https://evilevents.example.com/in")));
        assertFalse(targets.allows(URI.create("https://sub.events.example.com/in")), "no subdomains without *.");
        String refusal = targets.refusal(URI.create("http://127.0.0.1:8080/x"));
        assertTrue(refusal.contains("127.0.0.1:8080") && refusal.contains("solarwind.push.allowed-hosts"), refusal);
    }

    @Test
    void wildcardMeansSubdomainsOnly() {
        PushTargets targets = new PushTargets("*.example.com");
        assertTrue(targets.allows(URI.create("https://a.example.com/")));
        assertTrue(targets.allows(URI.create("https://a.b.example.com/")));
        assertFalse(targets.allows(URI.create("https://example.com/")));
        assertFalse(targets.allows(URI.create("https://a.example.com.evil.org/")));
        assertFalse(targets.allows(URI.create("https://badexample.com/")));
    }

    @Test
    void portEntriesAllowThatPortOnly() {
        PushTargets targets = new PushTargets("hooks.example.com:8443 10.0.0.7:80 [::1]:9000");
        assertTrue(targets.allows(URI.create("https://hooks.example.com:8443/x")));
        assertFalse(targets.allows(URI.create("https://hooks.example.com/x")), "443 is not 8443");
        assertTrue(targets.allows(URI.create("http://10.0.0.7/x")), "http's default port is 80");
        assertFalse(targets.allows(URI.create("http://10.0.0.7:8080/x")));
        assertTrue(targets.allows(URI.create("http://[::1]:9000/x")));
        assertFalse(targets.allows(URI.create("http://[::1]:9001/x")));
    }
}
