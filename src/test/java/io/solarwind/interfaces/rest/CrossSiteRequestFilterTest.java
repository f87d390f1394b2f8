package io.solarwind.interfaces.rest;

import static io.solarwind.interfaces.rest.CrossSiteRequestFilter.refusal;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CrossSiteRequestFilterTest {
    private static final String HOST = "solarwind.example.com:9080";

    @Test
    void apiClientsWithoutBrowserMarksPass() {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            assertNull(refusal(method, null, null, false, null, HOST, null), method);
        }
    }

    @Test
    void safeMethodsPassWhateverTheirOrigin() {
        assertNull(refusal("GET", "https://evil.example", "cross-site", true, null, HOST, null));
        assertNull(refusal("HEAD", "https://evil.example", "cross-site", true, null, HOST, null));
        assertNull(refusal("OPTIONS", "https://evil.example", "cross-site", true, null, HOST, null));
    }

    @Test
    void theConsolesOwnCallsPass() {
        assertNull(refusal("POST", "http://solarwind.example.com:9080", "same-origin", false, "1", HOST, null));
        assertNull(refusal("DELETE", null, "same-origin", false, "1", HOST, null));
        assertNull(refusal("PUT", "http://solarwind.example.com:9080", null, false, "1", HOST, null), "a browser without Fetch Metadata");
        // behind a TLS proxy: the browser's origin has the default port, the proxy forwards the host
        assertNull(refusal("PUT", "https://solarwind.example.com", "same-origin", false, "1", "solarwind.example.com", null));
        assertNull(refusal("PUT", "https://console.example.com", "same-origin", false, "1", "backend:9080", "console.example.com"));
    }

    @Test
    void crossSiteCallsAreRefused() {
        // a form POST of another site's page, with the stored credentials the browser adds by itself
        assertNotNull(refusal("POST", "https://evil.example", "cross-site", false, null, HOST, null));
        // the same from a browser without Fetch Metadata
        assertNotNull(refusal("POST", "https://evil.example", null, false, null, HOST, null));
        // even with the header (which another origin can only send after a CORS preflight, never granted)
        assertNotNull(refusal("POST", "https://evil.example", "cross-site", false, "1", HOST, null));
        assertNotNull(refusal("DELETE", "http://solarwind.example.com:9081", "same-site", false, "1", HOST, null),
                "another port is another origin");
        assertNotNull(refusal("PUT", "null", null, false, "1", HOST, null), "an opaque origin (sandboxed frame, data: URL)");
        assertNotNull(refusal("POST", null, "none", false, "1", HOST, null), "not started by a page");
        assertNotNull(refusal("POST", "https://solarwind.example.com.evil.example", null, false, "1", HOST, null));
    }

    @Test
    void aSameOriginCallOfABrowserWithFetchMetadataPassesWithoutTheHeader() {
        // e.g. /openapi/ui's "Try it out", which cannot add the header
        assertNull(refusal("POST", "http://solarwind.example.com:9080", "same-origin", false, null, HOST, null));
        // Fetch Metadata decides alone: behind a proxy that rewrites Host the browser still knows
        assertNull(refusal("PUT", "https://console.example.com", "same-origin", false, null, "backend:9080", null));
    }

    @Test
    void aBrowsersCallWithoutFetchMetadataNeedsTheHeader() {
        assertNotNull(refusal("POST", "http://solarwind.example.com:9080", null, false, null, HOST, null));
        assertNotNull(refusal("POST", null, null, true, null, HOST, null), "a cookie marks a browser too");
        assertNotNull(refusal("POST", null, null, true, " ", HOST, null));
        assertNull(refusal("POST", null, null, true, "1", HOST, null));
    }

    @Test
    void originsCompareSchemeDefaultPortsAndHostsExactly() {
        assertTrue(CrossSiteRequestFilter.sameOrigin("http://localhost:9080", "localhost:9080"));
        assertTrue(CrossSiteRequestFilter.sameOrigin("http://LOCALHOST:80", "localhost"));
        assertFalse(CrossSiteRequestFilter.sameOrigin("http://127.0.0.1:9080", "localhost:9080"));
        assertFalse(CrossSiteRequestFilter.sameOrigin("http://localhost:9080", null));
        assertFalse(CrossSiteRequestFilter.sameOrigin("not a url", "localhost"));
        assertFalse(CrossSiteRequestFilter.sameOrigin("file://", "localhost"));
    }
}
