package io.solarwind.interfaces.rest;

import io.solarwind.application.TopicSchemas;
import io.solarwind.domain.Topic;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A topic's JSON Schemas ({@link TopicSchemas}): put, read, delete. The topic segment takes no
 * '/', so that a purpose named {@code schema} stays {@link TopicsResource}'s.
 */
@Path("topics/{topic: [^/]+}/schema")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class TopicSchemasResource {
    /** A schema body's limit: larger than an admin body's, schemas can be long. */
    static final int MAX_SCHEMA_BODY = 256 * 1024;

    @Inject
    TopicSchemas schemas;

    @Tag(name = "schemas")
    @Operation(summary = "Put a JSON Schema for the topic's event data",
            description = "The body is the schema. Its version name is the `version` query parameter, else its `$id`, else `default`;"
                    + " it replaces that version and becomes the topic's current one. Events are checked on publish.")
    @APIResponse(responseCode = "200", ref = "TopicSchemas")
    @APIResponse(responseCode = "400", ref = "InvalidInput")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @RolesAllowed(Roles.ADMIN)
    @PUT
    @Consumes(MediaType.WILDCARD)
    public JsonObject put(@PathParam("topic") String topic, @QueryParam("version") String version,
                          @RequestBody(ref = "JsonSchema") InputStream body) throws IOException {
        Topic t = Topic.of(topic);
        byte[] data = body.readNBytes(MAX_SCHEMA_BODY + 1);
        if (data.length > MAX_SCHEMA_BODY) {
            throw ProblemException.tooLarge("the schema", "more than " + MAX_SCHEMA_BODY, MAX_SCHEMA_BODY, "bytes", null, null, null);
        }
        return json(schemas.put(t, version, new String(data, StandardCharsets.UTF_8)));
    }

    @Tag(name = "schemas")
    @Operation(summary = "The topic's JSON Schemas: every version and the current one")
    @APIResponse(responseCode = "200", ref = "TopicSchemas")
    @APIResponse(responseCode = "400", ref = "InvalidInput")
    @APIResponse(responseCode = "404", ref = "UnknownSchema")
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    @GET
    public JsonObject get(@PathParam("topic") String topic) {
        Topic t = Topic.of(topic);
        return json(schemas.of(t).orElseThrow(() -> unknown(t, null)));
    }

    @Tag(name = "schemas")
    @Operation(summary = "Delete the topic's schemas, or one version (`version` query parameter)",
            description = "Events of the topic are no longer checked once it has no schema left.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", ref = "InvalidInput")
    @APIResponse(responseCode = "404", ref = "UnknownSchema")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @RolesAllowed(Roles.ADMIN)
    @DELETE
    public Response delete(@PathParam("topic") String topic, @QueryParam("version") String version) {
        Topic t = Topic.of(topic);
        if (!schemas.delete(t, version)) {
            throw unknown(t, version);
        }
        return Response.noContent().build();
    }

    private static ProblemException unknown(Topic t, String version) {
        return new ProblemException(404, "unknown-schema", "Unknown schema", version == null
                ? "topic '" + t.name() + "' has no schema"
                : "topic '" + t.name() + "' has no schema version '" + version + "'", version == null ? "topic" : "version");
    }

    static JsonObject json(TopicSchemas.Record record) {
        JsonArrayBuilder versions = Json.createArrayBuilder();
        record.versions().forEach((name, text) -> {
            try (JsonReader reader = Json.createReader(new StringReader(text))) {
                versions.add(Json.createObjectBuilder().add("version", name).add("schema", reader.readValue()));
            }
        });
        return Json.createObjectBuilder().add("topic", record.topic()).add("current", record.current()).add("versions", versions).build();
    }
}
