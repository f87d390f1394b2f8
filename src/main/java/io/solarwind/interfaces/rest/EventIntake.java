package io.solarwind.interfaces.rest;

import io.solarwind.application.EventPublisher;
import io.solarwind.application.TopicSchemas;
import io.solarwind.config.Setting;
import io.solarwind.domain.Event;
import io.solarwind.domain.Topic;
import io.solarwind.interfaces.metrics.EventMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Publishing over HTTP, one event or a batch, whichever way the request came in: through the
 * JAX-RS resource ({@link TopicsResource}) or the servlet filter that takes single events before
 * JAX-RS ({@link EventIntakeFilter}). Reads the body within its limits, parses the CloudEvents
 * binding, checks each event against its topic's schema, and hands the events to the publisher. Times each request answered 202, from here (the
 * caller authenticated and authorized) to the broker's confirmation, for
 * {@link EventMetrics#PUBLISH}; refused requests are not timed.
 */
@ApplicationScoped
public class EventIntake {
    private EventPublisher publisher;
    private EventMetrics metrics;
    private TopicSchemas schemas;

    protected EventIntake() {
    }

    @Inject
    public EventIntake(EventPublisher publisher, EventMetrics metrics, TopicSchemas schemas) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.schemas = schemas;
    }

    /**
     * One event in binary or structured mode; completes with the event once the broker has stored
     * it. Throws (a {@link ProblemException} or an {@code InvalidInputException}) before anything
     * is sent when the request is bad.
     *
     * @param length the Content-Length, or -1
     */
    public CompletionStage<Event> publishOne(Topic topic, Map<String, List<String>> headers, String contentType, long length,
                                             InputStream body) throws IOException {
        long started = System.nanoTime();
        int limit = Setting.EVENT_MAX_BYTES.getInt();
        if (length > limit) {
            throw tooLarge(length, limit, Setting.EVENT_MAX_BYTES);
        }
        byte[] data = read(body, length, limit, Setting.EVENT_MAX_BYTES);
        Event event = CloudEventsHttp.parse(topic, headers, contentType, data);
        checkSchema(event, null);
        return publisher.publishAsync(event).thenApply(stored -> {
            metrics.published(System.nanoTime() - started);
            return event;
        });
    }

    /** Batch mode: every event checked first, then all stored in one transaction; returns them once stored. */
    public List<Event> publishBatch(Topic topic, long length, InputStream body) throws IOException {
        long started = System.nanoTime();
        int limit = Setting.HTTP_BATCH_MAX_BYTES.getInt();
        if (length > limit) {
            throw tooLarge(length, limit, Setting.HTTP_BATCH_MAX_BYTES);
        }
        byte[] data = read(body, length, limit, Setting.HTTP_BATCH_MAX_BYTES);
        List<Event> events = CloudEventsHttp.parseBatch(topic, data, Setting.HTTP_BATCH_MAX_EVENTS.getInt(), Setting.EVENT_MAX_BYTES.getInt());
        for (int i = 0; i < events.size(); i++) {
            checkSchema(events.get(i), i);
        }
        publisher.publishAll(events);
        metrics.published(System.nanoTime() - started);
        return events;
    }

    /** A 400 {@code schema-violation} when the event's data fails its topic's schema (a map look-up when the topic has none). */
    private void checkSchema(Event event, Integer index) {
        TopicSchemas.Violation violation = schemas.check(event.type(), event.attributes().get("dataschema"),
                event.dataContentType(), event.data());
        if (violation != null) {
            throw new SchemaViolationProblem(violation, index);
        }
    }

    /**
     * The body, at most {@code limit} bytes (more: 413 naming {@code setting}; none: an admin
     * body's fixed limit). With a Content-Length ({@code length} >= 0, already checked against the
     * limit) it is read into an array of that size, without growing buffers.
     */
    static byte[] read(InputStream in, long length, int limit, Setting setting) throws IOException {
        if (length >= 0 && length <= limit) {
            byte[] body = in.readNBytes((int) length);
            int more = body.length == length ? in.read() : -1;
            if (more < 0) {
                return body; // shorter than announced: what came (the container ends such a request)
            }
            // longer than announced: the container would not pass such a body on; read it as one of unknown length
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 8192);
            out.write(body);
            out.write(more);
            return readRest(in, out, body.length + 1L, limit, setting);
        }
        return readRest(in, new ByteArrayOutputStream(8192), 0, limit, setting);
    }

    private static byte[] readRest(InputStream in, ByteArrayOutputStream out, long total, int limit, Setting setting) throws IOException {
        if (total > limit) {
            throw tooLarge(total, limit, setting);
        }
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > limit) {
                throw tooLarge(total, limit, setting);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    static ProblemException tooLarge(long size, int limit, Setting setting) {
        return ProblemException.tooLarge("the body", size + (size > limit ? "+" : ""), limit, "bytes", setting, "body", null);
    }
}
