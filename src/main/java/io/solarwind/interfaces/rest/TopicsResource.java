package io.solarwind.interfaces.rest;

import io.solarwind.application.DeadLetters;
import io.solarwind.application.EventReplay;
import io.solarwind.application.PurposeRegistry;
import io.solarwind.config.Setting;
import io.solarwind.domain.Event;
import io.solarwind.domain.Exchange;
import io.solarwind.domain.PurposeFilter;
import io.solarwind.domain.InvalidInputException;
import io.solarwind.domain.Purpose;
import io.solarwind.domain.Push;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
import io.solarwind.infrastructure.messaging.jms.BrokerQueueFigures;
import io.solarwind.infrastructure.messaging.jms.BrokerQueueFigures.PurposeFigures;
import io.solarwind.push.PushTargets;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The admin API (register, list, read, delete purposes) and the publish endpoint.
 * Path segments are matched loosely ({@code .*}) so that a bad name, even one holding a
 * '/', gets a 400 that names it rather than a bare 404.
 *
 * <p>The OpenAPI annotations point at the responses, bodies and examples of
 * META-INF/openapi.yaml; {@link OpenApiCompletion} adds the roles and the 401, 403 and 500 of
 * every call. OpenApiIT fails when a method or one of its error statuses is not in /openapi.
 */
@Path("topics")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class TopicsResource {
    private static final int MAX_ADMIN_BODY = 16 * 1024;

    @Inject
    PurposeRegistry registry;
    @Inject
    EventIntake intake;
    @Inject
    EventReplay replay;
    @Inject
    DeadLetters deadLetters;
    @Inject
    BrokerQueueFigures figures;

    @Tag(name = "purposes")
    @Operation(summary = "List every topic with its purposes")
    @APIResponse(responseCode = "200", ref = "Topics")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    @GET
    public JsonValue topics() {
        JsonArrayBuilder topics = Json.createArrayBuilder();
        Map<String, List<Registration>> all = registry.all();
        Map<String, PurposeFigures> now = figures.figuresOf(all.values().stream().flatMap(List::stream).toList());
        all.forEach((topic, purposes) -> topics.add(Json.createObjectBuilder()
                .add("topic", topic)
                .add("purposes", registrations(purposes, now))));
        return topics.build();
    }

    @Tag(name = "purposes")
    @Operation(summary = "List the purposes of a topic")
    @APIResponse(responseCode = "200", ref = "Registrations")
    @APIResponse(responseCode = "400", ref = "InvalidInput")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    @GET
    @Path("{topic: .*}/purposes")
    public JsonValue purposes(@PathParam("topic") String topic) {
        List<Registration> purposes = registry.purposesOf(Topic.of(topic));
        return registrations(purposes, figures.figuresOf(purposes)).build();
    }

    @Tag(name = "purposes")
    @Operation(summary = "Read a purpose's registration")
    @APIResponse(responseCode = "200", ref = "Registration")
    @APIResponse(responseCode = "400", ref = "InvalidInput")
    @APIResponse(responseCode = "404", ref = "UnknownPurpose")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    @GET
    @Path("{topic: .*}/purposes/{purpose: .*}")
    public JsonValue purpose(@PathParam("topic") String topic, @PathParam("purpose") String purpose) {
        Topic t = Topic.of(topic);
        Purpose p = Purpose.of(purpose);
        Registration r = registry.find(t, p).orElseThrow(() -> notFound(t, p));
        return registration(r, figures.figuresOf(List.of(r)).get(r.key()));
    }

    @Tag(name = "purposes")
    @Operation(summary = "Register a purpose on a topic, or change its redelivery policy",
            description = "Registering again with the same exchange keeps the purpose (200); without `redelivery` it keeps its policy."
                    + " With `push` (direct only), Solar Wind POSTs the purpose's events to the URL itself, signed; the 201 answer"
                    + " holds the signing secret, once. Other push settings than the purpose has: 409 `push-conflict`."
                    + " With `filter`, only the topic's events it matches reach the purpose; another filter than the purpose"
                    + " has: 409 `filter-conflict` (delete and register again to change it)."
                    + " With `purposeVersion`, the version its instances implement: a new purpose starts with it (default \"1\"),"
                    + " an existing one gets it beside its others, not active until a cut-over.")
    @APIResponse(responseCode = "201", ref = "RegistrationCreated")
    @APIResponse(responseCode = "200", ref = "RegistrationKept")
    @APIResponse(responseCode = "400", ref = "InvalidInput")
    @APIResponse(responseCode = "409", ref = "RegistrationConflict")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @RolesAllowed(Roles.ADMIN)
    @PUT
    @Path("{topic: .*}/purposes/{purpose: .*}")
    @Consumes(MediaType.WILDCARD)
    public Response register(@PathParam("topic") String topic, @PathParam("purpose") String purpose,
                             @Context UriInfo uri, @RequestBody(ref = "RegistrationRequest") InputStream body) throws IOException {
        Topic t = Topic.of(topic);
        Purpose p = Purpose.of(purpose);
        JsonObject json = JsonBodies.object(readAtMost(body, MAX_ADMIN_BODY, null),
                "a JSON object like {\"exchange\":\"direct\"}");
        Exchange exchange = Exchange.parse(exchangeOf(json));
        Redelivery redelivery = redeliveryOf(json);
        Push push = pushOf(json, exchange);
        PurposeFilter filter = filterOf(json);
        String version = versionOf(json, "purposeVersion");
        PurposeRegistry.Outcome outcome = registry.register(t, p, exchange, redelivery, push, filter, version);
        JsonObject answer = registration(outcome.registration());
        if (outcome.created() && outcome.registration().pushes()) {
            // the signing secret is shown once, to the admin who registered the purpose
            answer = Json.createObjectBuilder(answer).add("push", push(outcome.registration().push())
                    .add("secret", outcome.registration().push().secret())).build();
        }
        return outcome.created()
                ? Response.created(uri.getRequestUri()).entity(answer).build()
                : Response.ok(answer).build();
    }

    /** {@code PUT .../purposes/} without a purpose name: 400 naming the empty purpose. */
    @Operation(hidden = true) // not a call of the API: only turns an empty purpose name into a 400
    @RolesAllowed(Roles.ADMIN)
    @PUT
    @Path("{topic: .*}/purposes")
    @Consumes(MediaType.WILDCARD)
    public Response registerWithoutPurpose(@PathParam("topic") String topic) {
        Topic.of(topic);
        throw new InvalidInputException("purpose", "purpose must not be empty");
    }

    @Tag(name = "purposes")
    @Operation(summary = "Delete a purpose",
            description = "Its queue is deleted with the events still waiting in it (a queue with consumers connected stays until they go).")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @APIResponse(responseCode = "400", ref = "InvalidInput")
    @APIResponse(responseCode = "404", ref = "UnknownPurpose")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("{topic: .*}/purposes/{purpose: .*}")
    public Response unregister(@PathParam("topic") String topic, @PathParam("purpose") String purpose) {
        Topic t = Topic.of(topic);
        Purpose p = Purpose.of(purpose);
        if (!registry.unregister(t, p)) {
            throw notFound(t, p);
        }
        return Response.noContent().build();
    }

    /**
     * Copies the retained events of the topic received in the window into a direct purpose, in
     * their original order; 202 with the count. Every event in the window is copied, also those
     * the purpose already had: replaying twice delivers twice.
     */
    @Tag(name = "replay")
    @Operation(summary = "Replay the topic's retained events of a window into a direct purpose",
            description = "In their original order, in one transaction; replaying a window twice delivers it twice.")
    @APIResponse(responseCode = "202", ref = "Replayed")
    @APIResponse(responseCode = "400", ref = "InvalidInput")
    @APIResponse(responseCode = "404", ref = "UnknownPurpose")
    @APIResponse(responseCode = "409", ref = "ReplayNeedsDirect")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "501", ref = "ReplayUnavailable")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("{topic: .*}/purposes/{purpose: .*}/replay")
    @Consumes(MediaType.WILDCARD)
    public Response replay(@PathParam("topic") String topic, @PathParam("purpose") String purpose,
                           @RequestBody(ref = "ReplayRequest") InputStream body)
            throws IOException {
        Topic t = Topic.of(topic);
        Purpose p = Purpose.of(purpose);
        Registration registration = registry.find(t, p).orElseThrow(() -> notFound(t, p));
        if (registration.exchange() != Exchange.DIRECT) {
            throw new ProblemException(409, "replay-needs-direct", "Replay is for direct purposes",
                    "purpose '" + p + "' on topic '" + t + "' is fanout: its instances get only the events published while"
                            + " they are connected, so there is nothing to replay into", "purpose");
        }
        JsonObject window = JsonBodies.object(readAtMost(body, MAX_ADMIN_BODY, null),
                "a JSON object like {\"from\":\"2026-11-28T10:00:00Z\",\"to\":\"2026-11-28T11:00:00Z\"}");
        Instant from = instant(window, "from")
                .orElseThrow(() -> new InvalidInputException("from", "the replay window needs \"from\", an ISO-8601 instant"));
        Instant to = instant(window, "to").orElse(Instant.now());
        if (to.isBefore(from)) {
            throw new InvalidInputException("to", "\"to\" (" + to + ") is before \"from\" (" + from + ")");
        }
        long replayed;
        try {
            replayed = replay.replay(registration, from, to);
        } catch (UnsupportedOperationException e) {
            throw new ProblemException(501, "replay-unavailable", "Replay unavailable", e.getMessage(), null);
        }
        return Response.accepted(Json.createObjectBuilder()
                .add("topic", t.name()).add("purpose", p.name())
                .add("from", from.toString()).add("to", to.toString())
                .add("replayed", replayed).build()).build();
    }

    /**
     * Makes a version of a direct purpose the active one: from the cut-over on (in the order events reach the
     * dispatcher) its events go to that version's queue, while the other versions' instances finish what their
     * queues hold. Cutting over to the version active before is the rollback.
     */
    @Tag(name = "purposes")
    @Operation(summary = "Cut a direct purpose over to one of its versions (or back: the rollback)",
            description = "Events dispatched from the cut-over on go to the version's queue; each event reaches one version.")
    @APIResponse(responseCode = "200", ref = "Registration")
    @APIResponse(responseCode = "400", ref = "InvalidInput")
    @APIResponse(responseCode = "404", ref = "UnknownPurpose")
    @APIResponse(responseCode = "409", ref = "VersionConflict")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("{topic: .*}/purposes/{purpose: .*}/cutover")
    @Consumes(MediaType.WILDCARD)
    public JsonValue cutOver(@PathParam("topic") String topic, @PathParam("purpose") String purpose,
                             @RequestBody(ref = "CutoverRequest") InputStream body) throws IOException {
        Topic t = Topic.of(topic);
        Purpose p = Purpose.of(purpose);
        JsonObject json = JsonBodies.object(readAtMost(body, MAX_ADMIN_BODY, null), "a JSON object like {\"version\":\"2\"}");
        String version = versionOf(json, "version");
        if (version == null) {
            throw new InvalidInputException("version", "the body has no \"version\": name the version to cut over to, like {\"version\":\"2\"}");
        }
        Registration r = registry.cutOver(t, p, version).orElseThrow(() -> notFound(t, p));
        return registration(r, figures.figuresOf(List.of(r)).get(r.key()));
    }

    /** A version named in a body's {@code field}: a string; null when absent. */
    static String versionOf(JsonObject json, String field) {
        JsonValue value = json.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonString s)) {
            throw new InvalidInputException(field, field + " must be a string like \"2\" or \"2.1.0\", not " + value);
        }
        return io.solarwind.domain.PurposeVersions.check(s.getString());
    }

    private static java.util.Optional<Instant> instant(JsonObject json, String field) {
        JsonValue value = json.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return java.util.Optional.empty();
        }
        if (!(value instanceof JsonString s)) {
            throw new InvalidInputException(field, "\"" + field + "\" must be an ISO-8601 instant string");
        }
        try {
            return java.util.Optional.of(java.time.OffsetDateTime.parse(s.getString()).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException(field, "\"" + field + "\" is not an ISO-8601 instant: '" + s.getString() + "'");
        }
    }

    /** The purpose's dead letters, oldest first (at most 500). */
    @Tag(name = "dead letters")
    @Operation(summary = "List a purpose's dead letters")
    @APIResponse(responseCode = "200", ref = "DeadLetters")
    @APIResponse(responseCode = "400", ref = "InvalidInput")
    @APIResponse(responseCode = "404", ref = "UnknownPurpose")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    @GET
    @Path("{topic: .*}/purposes/{purpose: .*}/dead-letters")
    public JsonValue deadLetters(@PathParam("topic") String topic, @PathParam("purpose") String purpose) {
        Registration registration = existing(topic, purpose);
        JsonArrayBuilder letters = Json.createArrayBuilder();
        for (DeadLetters.DeadLetter letter : deadLetters.list(registration, 500)) {
            letters.add(Json.createObjectBuilder()
                    .add("id", letter.id() == null ? "" : letter.id())
                    .add("reason", letter.reason() == null ? "" : letter.reason())
                    .add("attempts", letter.attempts())
                    .add("deadLetteredAt", Instant.ofEpochMilli(letter.deadLetteredAt()).toString()));
        }
        return letters.build();
    }

    /** Sends one dead letter back to the purpose (say, once its handler is fixed); 202, or 404. */
    @Tag(name = "dead letters")
    @Operation(summary = "Send a dead letter back to its purpose")
    @APIResponse(responseCode = "202", ref = "Retried")
    @APIResponse(responseCode = "400", ref = "InvalidInput")
    @APIResponse(responseCode = "404", ref = "UnknownPurposeOrDeadLetter")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("{topic: .*}/purposes/{purpose: .*}/dead-letters/{id}/retry")
    @Consumes(MediaType.WILDCARD)
    public Response retry(@PathParam("topic") String topic, @PathParam("purpose") String purpose, @PathParam("id") String id) {
        Registration registration = existing(topic, purpose);
        if (!deadLetters.retry(registration, id)) {
            throw noDeadLetter(registration, id);
        }
        return Response.accepted(Json.createObjectBuilder().add("retried", id).build()).build();
    }

    /** Drops one dead letter; 204, or 404. */
    @Tag(name = "dead letters")
    @Operation(summary = "Drop a dead letter")
    @APIResponse(responseCode = "204", description = "Dropped.")
    @APIResponse(responseCode = "400", ref = "InvalidInput")
    @APIResponse(responseCode = "404", ref = "UnknownPurposeOrDeadLetter")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("{topic: .*}/purposes/{purpose: .*}/dead-letters/{id}")
    public Response discard(@PathParam("topic") String topic, @PathParam("purpose") String purpose, @PathParam("id") String id) {
        Registration registration = existing(topic, purpose);
        if (!deadLetters.discard(registration, id)) {
            throw noDeadLetter(registration, id);
        }
        return Response.noContent().build();
    }

    private Registration existing(String topic, String purpose) {
        Topic t = Topic.of(topic);
        Purpose p = Purpose.of(purpose);
        return registry.find(t, p).orElseThrow(() -> notFound(t, p));
    }

    private static ProblemException noDeadLetter(Registration registration, String id) {
        return new ProblemException(404, "unknown-dead-letter", "Unknown dead letter",
                "purpose '" + registration.purpose() + "' on topic '" + registration.topic() + "' has no dead letter with id '"
                        + id + "'", "id");
    }

    /**
     * Publishes one CloudEvent, or a batch of them; 202 once the broker has stored it (all of them).
     * One event is sent asynchronously: the request waits for the broker's confirmation without a
     * thread, so that the events of concurrent requests share the journal's writes.
     */
    @Tag(name = "events")
    @Operation(summary = "Publish a CloudEvent (binary or structured mode) or a batch of them (batch mode)")
    @Parameter(ref = "ce-id")
    @Parameter(ref = "ce-source")
    @Parameter(ref = "ce-type")
    @Parameter(ref = "ce-specversion")
    @Parameter(ref = "ce-time")
    @Parameter(ref = "ce-subject")
    @APIResponse(responseCode = "202", ref = "Published")
    @APIResponse(responseCode = "400", ref = "InvalidInput")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @RolesAllowed(Roles.PUBLISHER)
    @POST
    @Path("{topic: .*}/events")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<Response> publish(@PathParam("topic") String topic, @Context HttpHeaders headers,
                                             @RequestBody(ref = "CloudEvent") InputStream body)
            throws IOException {
        Topic t = Topic.of(topic);
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (CloudEventsHttp.isBatch(contentType)) {
            JsonArrayBuilder ids = Json.createArrayBuilder();
            intake.publishBatch(t, headers.getLength(), body).forEach(e -> ids.add(e.id()));
            return CompletableFuture.completedFuture(Response.accepted(Json.createObjectBuilder().add("ids", ids).build()).build());
        }
        return intake.publishOne(t, headers.getRequestHeaders(), contentType, headers.getLength(), body).handle((event, failure) ->
                failure == null ? Response.accepted(Json.createObjectBuilder().add("id", event.id()).build()).build() : problem(failure));
    }

    /** The problem answer of a publish the broker did not confirm (a CompletionStage's failure, unwrapped). */
    private static Response problem(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return PROBLEMS.toResponse(cause instanceof Exception e ? e : new IllegalStateException(cause));
    }

    private static final ProblemMapper PROBLEMS = new ProblemMapper();

    private static String exchangeOf(JsonObject json) {
        JsonValue exchange = json.get("exchange");
        if (exchange == null) {
            throw new InvalidInputException("exchange", "the body has no \"exchange\"; give \"direct\" or \"fanout\"");
        }
        if (!(exchange instanceof JsonString s)) {
            throw new InvalidInputException("exchange", "exchange must be the string \"direct\" or \"fanout\", not " + exchange);
        }
        return s.getString();
    }

    private static final java.util.Set<String> PUSH_FIELDS = java.util.Set.of("url", "concurrency", "secret");

    /**
     * The {@code push} object of a registration body; null when the body has none. Its URL's host
     * must be one {@code solarwind.push.allowed-hosts} names (400 {@code push-target-not-allowed}).
     */
    static Push pushOf(JsonObject json, Exchange exchange) {
        JsonValue value = json.get("push");
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonObject push)) {
            throw new InvalidInputException("push", "push must be an object like {\"url\":\"https://events.example.com/in\",\"concurrency\":1}, not " + value);
        }
        for (String field : push.keySet()) {
            if (!PUSH_FIELDS.contains(field)) {
                throw new InvalidInputException("push." + field, "push has no field '" + field + "'; it has " + new java.util.TreeSet<>(PUSH_FIELDS));
            }
        }
        if (exchange != Exchange.DIRECT) {
            throw new InvalidInputException("push", "push delivery is for direct purposes: a fanout purpose's copies go to the"
                    + " instances connected at the moment, and every server would POST each of them");
        }
        JsonValue url = push.get("url");
        if (url != null && !(url instanceof JsonString)) {
            throw new InvalidInputException("push.url", "push.url must be a string, not " + url);
        }
        java.net.URI target = Push.parseUrl(url == null ? null : ((JsonString) url).getString());
        JsonValue concurrency = push.get("concurrency");
        int consumers = 1;
        if (concurrency != null) {
            if (!(concurrency instanceof JsonNumber n) || !n.isIntegral()) {
                throw new InvalidInputException("push.concurrency", "push.concurrency must be a whole number, not " + concurrency);
            }
            consumers = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n.longValue()));
        }
        JsonValue secret = push.get("secret");
        if (secret != null && secret != JsonValue.NULL && !(secret instanceof JsonString)) {
            throw new InvalidInputException("push.secret", "push.secret must be a string, not a " + secret.getValueType());
        }
        Push asked = new Push(target, consumers, secret instanceof JsonString s ? s.getString() : null);
        String refusal = PushTargets.fromSetting().refusal(target);
        if (refusal != null) {
            throw new ProblemException(400, "push-target-not-allowed", "Push target not allowed", refusal, "push.url");
        }
        return asked;
    }

    /** The {@code filter} of a registration body; null when the body has none (an existing purpose keeps its filter). */
    static PurposeFilter filterOf(JsonObject json) {
        JsonValue value = json.get("filter");
        return value == null || value == JsonValue.NULL ? null : PurposeFilter.parse(value, "filter");
    }

    /**
     * A purpose's versions, in registration order, each with its instances' destination and, for a direct
     * purpose, what its queue holds and how many instances consume it; a version with consumers has instances.
     */
    private JsonArrayBuilder versions(Registration r, PurposeRegistry.DestinationStatusView purpose) {
        // one version: its queue is the purpose's, whose figures are at hand (no second call per purpose in a list)
        Map<String, io.solarwind.application.PurposeDestinations.DestinationStatus> status = r.exchange() != Exchange.DIRECT ? Map.of()
                : r.versions().several() ? registry.versionStatus(r)
                : Map.of(r.versions().active(), new io.solarwind.application.PurposeDestinations.DestinationStatus(purpose.pending(), purpose.consumers()));
        JsonArrayBuilder versions = Json.createArrayBuilder();
        for (io.solarwind.domain.PurposeVersions.Version v : r.versions().known()) {
            jakarta.json.JsonObjectBuilder version = Json.createObjectBuilder()
                    .add("version", v.name())
                    .add("active", v.name().equals(r.versions().active()))
                    .add("destination", r.versionDestination(v.name()))
                    .add("registeredAt", v.registeredAt().toString());
            var s = status.get(v.name());
            if (s != null) {
                version.add("pending", s.pending()).add("consumers", s.consumers());
            }
            versions.add(version);
        }
        return versions;
    }

    /** A push delivery as the API shows it: URL and concurrency, never the secret. */
    private static jakarta.json.JsonObjectBuilder push(Push push) {
        return Json.createObjectBuilder().add("url", push.url().toString()).add("concurrency", push.concurrency());
    }

    private static final java.util.Set<String> REDELIVERY_FIELDS = java.util.Set.of("maxAttempts", "delayMillis", "multiplier", "maxDelayMillis");

    /**
     * The {@code redelivery} object of a registration body, its missing fields from the
     * defaults; null when the body has none (an existing purpose keeps its policy).
     */
    static Redelivery redeliveryOf(JsonObject json) {
        JsonValue value = json.get("redelivery");
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonObject r)) {
            throw new InvalidInputException("redelivery", "redelivery must be an object like "
                    + "{\"maxAttempts\":5,\"delayMillis\":1000,\"multiplier\":2.0,\"maxDelayMillis\":60000}, not " + value);
        }
        for (String field : r.keySet()) {
            if (!REDELIVERY_FIELDS.contains(field)) {
                throw new InvalidInputException("redelivery." + field, "redelivery has no field '" + field
                        + "'; it has " + new java.util.TreeSet<>(REDELIVERY_FIELDS));
            }
        }
        Redelivery d = PurposeRegistry.defaultRedelivery();
        long delay = number(r, "delayMillis", d.delayMillis());
        return new Redelivery(
                (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, number(r, "maxAttempts", d.maxAttempts()))),
                delay,
                fraction(r, "multiplier", d.multiplier()),
                number(r, "maxDelayMillis", Math.max(delay, d.maxDelayMillis())));
    }

    private static long number(JsonObject r, String field, long otherwise) {
        JsonValue v = r.get(field);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof JsonNumber n) || !n.isIntegral()) {
            throw new InvalidInputException("redelivery." + field, "redelivery." + field + " must be a whole number, not " + v);
        }
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidInputException("redelivery." + field, "redelivery." + field + " is out of range: " + v);
        }
    }

    private static double fraction(JsonObject r, String field, double otherwise) {
        JsonValue v = r.get(field);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof JsonNumber n)) {
            throw new InvalidInputException("redelivery." + field, "redelivery." + field + " must be a number, not " + v);
        }
        return n.doubleValue();
    }

    /** The body, or a 413 naming {@code setting} (none: an admin body's fixed limit) once it passes {@code limit} bytes. */
    private static byte[] readAtMost(InputStream in, int limit, Setting setting) throws IOException {
        return EventIntake.read(in, -1, limit, setting);
    }

    private static ProblemException notFound(Topic t, Purpose p) {
        return new ProblemException(404, "unknown-purpose", "Unknown purpose",
                "no purpose '" + p + "' is registered on topic '" + t + "'", "purpose");
    }

    private JsonArrayBuilder registrations(List<Registration> purposes, Map<String, PurposeFigures> now) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        purposes.forEach(r -> array.add(registration(r, now.get(r.key()))));
        return array;
    }

    private JsonObject registration(Registration r) {
        return registration(r, null);
    }

    /**
     * A registration as the API shows it; with the broker's figures of its queues (GET answers)
     * also {@code inFlight}, {@code redelivering}, {@code deadLetters}, {@code added} and
     * {@code delivered}.
     */
    private JsonObject registration(Registration r, PurposeFigures f) {
        PurposeRegistry.DestinationStatusView status = registry.status(r);
        jakarta.json.JsonObjectBuilder json = Json.createObjectBuilder()
                .add("topic", r.topic().name())
                .add("purpose", r.purpose().name())
                .add("exchange", r.exchange().wireName())
                .add("destination", r.destination())
                .add("destinationType", r.exchange().destinationType())
                .add("pending", status.pending())
                .add("consumers", status.consumers())
                .add("redelivery", Json.createObjectBuilder()
                        .add("maxAttempts", r.redelivery().maxAttempts())
                        .add("delayMillis", r.redelivery().delayMillis())
                        .add("multiplier", r.redelivery().multiplier())
                        .add("maxDelayMillis", r.redelivery().maxDelayMillis()))
                .add("registeredAt", r.registeredAt().toString())
                .add("version", registry.versionOf(r.topic(), r.purpose()));
        if (r.pushes()) {
            json.add("push", push(r.push()));
        }
        if (r.filters()) {
            json.add("filter", r.filter().toJson());
        }
        json.add("activeVersion", r.versions().active());
        json.add("purposeVersions", versions(r, status));
        if (!r.versions().cutovers().isEmpty()) {
            JsonArrayBuilder cutovers = Json.createArrayBuilder();
            r.versions().cutovers().forEach(c -> cutovers.add(Json.createObjectBuilder()
                    .add("from", c.from()).add("to", c.to()).add("at", c.at().toString())));
            json.add("cutovers", cutovers);
        }
        if (f != null) {
            json.add("inFlight", f.delivering())
                    .add("redelivering", f.scheduled())
                    .add("deadLetters", f.deadLetters())
                    .add("added", f.added())
                    .add("delivered", f.acknowledged());
        }
        return json.build();
    }
}
