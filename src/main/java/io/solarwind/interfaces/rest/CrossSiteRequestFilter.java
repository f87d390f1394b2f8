package io.solarwind.interfaces.rest;

import jakarta.json.Json;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a state-changing call that a browser may have sent for another site (cross-site request
 * forgery). A browser sends credentials it has stored by itself (HTTP Basic credentials it was given
 * once for this server, a cookie a proxy in front set), also for a form or a {@code fetch} of another
 * site's page; the console itself sends its credentials explicitly, but other browser tabs may have
 * them stored. So an unsafe call ({@code POST}, {@code PUT}, {@code DELETE}, {@code PATCH}) that
 * carries a browser's marks ({@code Origin}, {@code Sec-Fetch-Site} or {@code Cookie}) must be
 * same-origin: {@code Sec-Fetch-Site: same-origin} from a browser that sends Fetch Metadata (all
 * current ones; so /openapi/ui's calls pass), otherwise an {@code Origin} equal to the server's own
 * (when sent) and the header {@value #HEADER}, which a page of another origin cannot send without
 * a CORS preflight, never granted here (no {@code Access-Control-Allow-*} header). The console sends
 * the header always. Calls without any browser mark (curl, the handler API, Java's or any other
 * HTTP client) are not affected. See docs/security.md.
 *
 * <p>The web container authenticates before this filter runs: a refused call without credentials
 * still gets its 401, one with credentials this 403 ({@code cross-site-request}). Declared in
 * web.xml, first on {@code /api/*}, before {@link EventIntakeFilter}.
 */
public class CrossSiteRequestFilter extends HttpFilter {
    /** The header a browser's same-origin script sends with every state-changing call. */
    public static final String HEADER = "X-SolarWind-CSRF";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // over HTTP/2 the host is the :authority pseudo-header, which Liberty does not show as Host
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        String refused = refusal(request.getMethod(), request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site"),
                request.getHeader("Cookie") != null, request.getHeader(HEADER), host, request.getHeader("X-Forwarded-Host"));
        if (refused == null) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(403);
        response.setContentType(ProblemMapper.PROBLEM_JSON);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(Json.createObjectBuilder()
                .add("type", "urn:solarwind:problem:cross-site-request")
                .add("title", "Cross-site request refused")
                .add("status", 403)
                .add("detail", refused + ". A browser's state-changing call must come from a page of this server"
                        + " (its console) and carry the header " + HEADER + "; calls without Origin, Sec-Fetch-Site and"
                        + " Cookie (API clients) need no header")
                .add("field", HEADER)
                .build().toString());
    }

    /**
     * Why the call is refused, or null when it may pass.
     *
     * @param host          the request's {@code Host} header
     * @param forwardedHost the {@code X-Forwarded-Host} a proxy in front set, or null
     */
    static String refusal(String method, String origin, String fetchSite, boolean cookie, String csrf, String host,
                          String forwardedHost) {
        if (method == null || SAFE.contains(method.toUpperCase(Locale.ROOT))) {
            return null;
        }
        if (origin == null && fetchSite == null && !cookie) {
            return null; // no browser sent it: an API client, with credentials it chose to send
        }
        if (fetchSite != null) {
            // Fetch Metadata: the browser itself says where the call comes from, and no page can set or
            // change it; it compared the page's origin with the URL as the browser sees them, so a proxy
            // that rewrites Host does not matter
            return "same-origin".equalsIgnoreCase(fetchSite.trim()) ? null
                    : "the browser says the call comes from another origin (Sec-Fetch-Site: " + fetchSite + ")";
        }
        // a browser without Fetch Metadata (or a client with a cookie): Origin, when sent, must be this
        // server's, and the header must be there, which another origin cannot send without a CORS preflight
        if (origin != null && !sameOrigin(origin, host) && (forwardedHost == null || !sameOrigin(origin, firstOf(forwardedHost)))) {
            return "the call comes from the page of another origin (Origin: " + origin + ", this server: " + host + ")";
        }
        if (csrf == null || csrf.isBlank()) {
            return "a browser's call without Sec-Fetch-Site needs the header " + HEADER;
        }
        return null;
    }

    private static String firstOf(String list) {
        int comma = list.indexOf(',');
        return (comma < 0 ? list : list.substring(0, comma)).trim();
    }

    /** Whether {@code origin} (scheme://host[:port]) names {@code host} (host[:port] of the Host header). */
    static boolean sameOrigin(String origin, String host) {
        if (host == null || host.isBlank() || "null".equals(origin)) {
            return false;
        }
        try {
            URI o = new URI(origin.trim());
            URI h = new URI("x://" + host.trim());
            if (o.getHost() == null || h.getHost() == null || o.getScheme() == null) {
                return false;
            }
            int defaultPort = "https".equalsIgnoreCase(o.getScheme()) ? 443 : "http".equalsIgnoreCase(o.getScheme()) ? 80 : -1;
            int originPort = o.getPort() == -1 ? defaultPort : o.getPort();
            int hostPort = h.getPort() == -1 ? defaultPort : h.getPort();
            return o.getHost().equalsIgnoreCase(h.getHost()) && originPort == hostPort && originPort != -1;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
