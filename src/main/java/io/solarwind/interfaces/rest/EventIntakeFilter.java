package io.solarwind.interfaces.rest;

import io.solarwind.domain.Event;
import io.solarwind.domain.Topic;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes single events ({@code POST /api/v1/topics/{topic}/events}, binary or structured mode)
 * before JAX-RS: the same contract as {@link TopicsResource#publish}, the same code behind it
 * ({@link EventIntake}) and the same problem documents ({@link ProblemMapper}), without JAX-RS's
 * routing, injection and asynchronous response, which took about half of a publish's CPU on the
 * request thread (bench/results/2026-12-03-http-profile.md). It takes only the plain case and lets
 * everything else go on to JAX-RS as before: another method, batch mode, a topic segment with
 * characters other than letters, digits, '.', '_' and '-' (percent-encoding, '/', ';'), an
 * {@code Accept} that does not take JSON, a caller without the publisher role.
 *
 * <p>Runs after {@link CrossSiteRequestFilter} (web.xml orders them) and after the web container's
 * authentication (the security constraint on {@code /api/*}).
 */
public class EventIntakeFilter extends HttpFilter {
    private static final Logger LOG = Logger.getLogger(EventIntakeFilter.class.getName());
    private static final String PREFIX = "/api/v1/topics/";
    private static final String SUFFIX = "/events";
    private static final ProblemMapper PROBLEMS = new ProblemMapper();

    @Inject
    EventIntake intake;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String topic = request.getMethod().equals("POST") ? topicOf(request.getRequestURI(), request.getContextPath()) : null;
        String contentType = request.getContentType();
        if (topic == null || CloudEventsHttp.isBatch(contentType) || !acceptsJson(request.getHeader("Accept"))
                || !request.isUserInRole(Roles.PUBLISHER)) {
            chain.doFilter(request, response);
            return;
        }
        java.util.concurrent.CompletionStage<Event> stored;
        try {
            stored = intake.publishOne(Topic.of(topic), headers(request), contentType, request.getContentLengthLong(), request.getInputStream());
        } catch (RuntimeException e) {
            write(response, PROBLEMS.toResponse(e));
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // the publisher's own timeout (the broker's call timeout) ends every wait
        stored.whenComplete((event, failure) -> {
            try {
                HttpServletResponse answer = (HttpServletResponse) async.getResponse();
                if (failure == null) {
                    answer.setStatus(202);
                    answer.setContentType("application/json");
                    byte[] body = Json.createObjectBuilder().add("id", event.id()).build().toString().getBytes(StandardCharsets.UTF_8);
                    answer.setContentLength(body.length);
                    answer.getOutputStream().write(body);
                } else {
                    write(answer, PROBLEMS.toResponse(unwrapped(failure)));
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "Could not answer a publish (the client may have gone)", e);
            } finally {
                async.complete();
            }
        });
    }

    /** The topic segment of {@code /api/v1/topics/<topic>/events}, when it holds only name characters; else null. */
    static String topicOf(String uri, String contextPath) {
        int start = contextPath == null ? 0 : contextPath.length();
        if (!uri.startsWith(PREFIX, start) || !uri.endsWith(SUFFIX)) {
            return null;
        }
        int from = start + PREFIX.length();
        int to = uri.length() - SUFFIX.length();
        if (to <= from) {
            return null;
        }
        for (int i = from; i < to; i++) {
            char c = uri.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return null;
            }
        }
        return uri.substring(from, to);
    }

    /** No Accept header, or one that takes JSON (as JAX-RS's {@code @Produces(application/json)} would). */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String media = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String[] parameter = parts[i].split("=", 2);
                if (parameter.length == 2 && parameter[0].trim().equalsIgnoreCase("q")) {
                    try {
                        refused = Double.parseDouble(parameter[1].trim()) <= 0;
                    } catch (NumberFormatException e) {
                        return false; // let JAX-RS judge a header it cannot read
                    }
                }
            }
            if (!refused && (media.equals("*/*") || media.equals("application/*") || media.equals("application/json"))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
        }
        return headers;
    }

    private static Exception unwrapped(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof Exception e ? e : new IllegalStateException(cause);
    }

    /** A problem {@link Response} of {@link ProblemMapper} written to the servlet response. */
    private static void write(HttpServletResponse response, Response problem) throws IOException {
        response.setStatus(problem.getStatus());
        problem.getStringHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> response.addHeader(name, v));
            }
        });
        if (problem.getMediaType() != null) {
            response.setContentType(problem.getMediaType().toString());
        }
        byte[] body = String.valueOf(problem.getEntity()).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
