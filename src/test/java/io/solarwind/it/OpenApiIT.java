package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.HTTP;
import static io.solarwind.it.SolarWindServer.awaitReady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.security.RolesAllowed;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at /openapi against the truth: the JAX-RS resource methods of the server
 * (found by reflection over its classes, so a new endpoint is checked without anyone listing it
 * here), their {@code @RolesAllowed}, and the error statuses each call can answer (the table below,
 * declared once and cross-checked with docs/http-api.md). An endpoint, a role or an error status
 * missing from the document fails this test; so does a documented operation the code does not have.
 */
class OpenApiIT {
    /** Every call answers these (OpenApiCompletion adds them): no user, no role, a bug. */
    private static final Set<Integer> EVERY_CALL = Set.of(401, 403, 500);

    /**
     * The statuses of each call besides {@link #EVERY_CALL}: its successes, then its errors (from the
     * resource methods, ProblemMapper and docs/http-api.md). 400: a bad name, body, header or value;
     * 404: unknown purpose or dead letter; 409: conflicts; 413: body too large (events over
     * solarwind.events.max-bytes, admin bodies over 16 KiB, batches over their limits); 501: no retention or
     * broker plugin; 503: broker unreachable or registry not read yet.
     */
    private static final Map<String, Set<Integer>> STATUSES = Map.ofEntries(
            Map.entry("GET /api/v1/topics", Set.of(200, 503)),
            Map.entry("GET /api/v1/topics/{topic}/purposes", Set.of(200, 400, 503)),
            Map.entry("GET /api/v1/topics/{topic}/purposes/{purpose}", Set.of(200, 400, 404, 503)),
            Map.entry("PUT /api/v1/topics/{topic}/purposes/{purpose}", Set.of(200, 201, 400, 409, 413, 503)),
            Map.entry("DELETE /api/v1/topics/{topic}/purposes/{purpose}", Set.of(204, 400, 404, 503)),
            Map.entry("POST /api/v1/topics/{topic}/purposes/{purpose}/replay", Set.of(202, 400, 404, 409, 413, 501, 503)),
            Map.entry("POST /api/v1/topics/{topic}/purposes/{purpose}/cutover", Set.of(200, 400, 404, 409, 413, 503)),
            Map.entry("GET /api/v1/topics/{topic}/purposes/{purpose}/dead-letters", Set.of(200, 400, 404, 503)),
            Map.entry("POST /api/v1/topics/{topic}/purposes/{purpose}/dead-letters/{id}/retry", Set.of(202, 400, 404, 503)),
            Map.entry("DELETE /api/v1/topics/{topic}/purposes/{purpose}/dead-letters/{id}", Set.of(204, 400, 404, 503)),
            Map.entry("POST /api/v1/topics/{topic}/events", Set.of(202, 400, 413, 503)),
            Map.entry("PUT /api/v1/topics/{topic}/schema", Set.of(200, 400, 413, 503)),
            Map.entry("GET /api/v1/topics/{topic}/schema", Set.of(200, 400, 404)),
            Map.entry("DELETE /api/v1/topics/{topic}/schema", Set.of(204, 400, 404, 503)),
            Map.entry("GET /api/v1/broker", Set.of(200)),
            Map.entry("GET /api/v1/me", Set.of(200)));

    /** Resource methods left out of the document on purpose ({@code @Operation(hidden = true)}), and why. */
    private static final Map<String, String> HIDDEN = Map.of(
            "PUT /api/v1/topics/{topic}/purposes", "not a call: a registration whose purpose name is empty, always 400");

    /** The row of docs/http-api.md's table that documents each call (its first cell starts so). */
    private static final Map<String, String> DOCUMENTED_AS = Map.ofEntries(
            Map.entry("GET /api/v1/topics", "`GET /api/v1/topics`"),
            Map.entry("GET /api/v1/topics/{topic}/purposes", "`GET /api/v1/topics/{topic}/purposes`"),
            Map.entry("GET /api/v1/topics/{topic}/purposes/{purpose}", "`GET /api/v1/topics/{topic}/purposes/{purpose}`"),
            Map.entry("PUT /api/v1/topics/{topic}/purposes/{purpose}", "`PUT /api/v1/topics/{topic}/purposes/{purpose}`"),
            Map.entry("DELETE /api/v1/topics/{topic}/purposes/{purpose}", "`DELETE /api/v1/topics/{topic}/purposes/{purpose}`"),
            Map.entry("POST /api/v1/topics/{topic}/purposes/{purpose}/replay", "`POST /api/v1/topics/{topic}/purposes/{purpose}/replay`"),
            Map.entry("POST /api/v1/topics/{topic}/purposes/{purpose}/cutover", "`POST /api/v1/topics/{topic}/purposes/{purpose}/cutover`"),
            Map.entry("GET /api/v1/topics/{topic}/purposes/{purpose}/dead-letters", "`GET /api/v1/topics/{topic}/purposes/{purpose}/dead-letters`"),
            Map.entry("POST /api/v1/topics/{topic}/purposes/{purpose}/dead-letters/{id}/retry", "`POST .../dead-letters/{id}/retry`"),
            Map.entry("DELETE /api/v1/topics/{topic}/purposes/{purpose}/dead-letters/{id}", "`POST .../dead-letters/{id}/retry`"),
            Map.entry("POST /api/v1/topics/{topic}/events", "`POST /api/v1/topics/{topic}/events`"),
            Map.entry("PUT /api/v1/topics/{topic}/schema", "`PUT /api/v1/topics/{topic}/schema`"),
            Map.entry("GET /api/v1/topics/{topic}/schema", "`GET /api/v1/topics/{topic}/schema`"),
            Map.entry("DELETE /api/v1/topics/{topic}/schema", "`GET /api/v1/topics/{topic}/schema`"),
            Map.entry("GET /api/v1/broker", "`GET /api/v1/broker`"),
            Map.entry("GET /api/v1/me", "`GET /api/v1/me`"));

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();

    private static JsonObject document;
    /** "METHOD /path" of each resource method the document must have, with its roles. */
    private static Map<String, List<String>> endpoints;
    /** "METHOD /path" of each resource method marked {@code @Operation(hidden = true)}. */
    private static final Set<String> hidden = new TreeSet<>();

    @BeforeAll
    static void fetch() throws Exception {
        awaitReady(Duration.ofMinutes(3));
        endpoints = endpoints();
        // no credentials: the document is open, like /health (docs/security.md)
        HttpResponse<String> response = anonymous(HTTP + "/openapi", "application/json");
        assertEquals(200, response.statusCode(), response.body());
        document = SolarWindServer.json(response.body()).asJsonObject();
    }

    private static HttpResponse<String> anonymous(String url, String accept) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theResourcesAreFound() {
        // the reflection below must see the API, or every other check here would pass vacuously
        assertTrue(endpoints.size() >= 11, "JAX-RS resource methods found: " + endpoints.keySet());
        assertTrue(endpoints.containsKey("POST /api/v1/topics/{topic}/events"), endpoints.keySet().toString());
    }

    @Test
    void everyEndpointIsDocumentedAndNothingElse() {
        assertEquals(HIDDEN.keySet(), hidden, "resource methods hidden from the document (declare why in HIDDEN)");
        hidden.forEach(e -> assertNull(operation(e), e + " is hidden"));
        List<String> missing = endpoints.keySet().stream().filter(e -> operation(e) == null).toList();
        assertTrue(missing.isEmpty(), "JAX-RS methods missing from /openapi: " + missing);
        List<String> documented = new ArrayList<>();
        document.getJsonObject("paths").forEach((path, item) -> item.asJsonObject().keySet().stream()
                .filter(m -> Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(m))
                .forEach(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path)));
        documented.removeAll(endpoints.keySet());
        assertTrue(documented.isEmpty(), "operations in /openapi that the code does not have: " + documented);
    }

    @Test
    void everyEndpointHasItsStatusTable() {
        // a new endpoint must be given its statuses here (and in docs/http-api.md)
        assertEquals(new TreeSet<>(endpoints.keySet()), new TreeSet<>(STATUSES.keySet()),
                "the endpoints of the code and the status table of this test");
    }

    @Test
    void everyStatusIsDocumentedAndErrorsAreProblems() {
        List<String> wrong = new ArrayList<>();
        for (String endpoint : endpoints.keySet()) {
            JsonObject responses = resolve(operation(endpoint)).getJsonObject("responses");
            Set<Integer> expected = new TreeSet<>(STATUSES.getOrDefault(endpoint, Set.of()));
            expected.addAll(EVERY_CALL);
            Set<Integer> documented = responses.keySet().stream().filter(s -> s.matches("\\d{3}"))
                    .map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
            if (!documented.equals(expected)) {
                wrong.add(endpoint + ": documents " + documented + ", answers " + expected);
            }
            for (String status : responses.keySet()) {
                if (responses.getJsonObject(status).containsKey("$ref") && responses.getJsonObject(status).size() > 1) {
                    wrong.add(endpoint + " " + status + ": members beside $ref override the response: " + responses.get(status));
                }
                JsonObject response = resolve(responses.getJsonObject(status));
                if (!response.containsKey("description")) {
                    wrong.add(endpoint + " " + status + ": no description");
                }
                JsonObject content = response.getJsonObject("content");
                if (status.startsWith("4") || status.startsWith("5")) {
                    if (content == null || !content.containsKey("application/problem+json")) {
                        wrong.add(endpoint + " " + status + ": not application/problem+json");
                    } else if (!hasSchemaAndExample(content.getJsonObject("application/problem+json"))) {
                        wrong.add(endpoint + " " + status + ": problem without schema or example");
                    }
                } else if (content != null && content.values().stream().anyMatch(c -> !hasSchemaAndExample(c.asJsonObject()))) {
                    wrong.add(endpoint + " " + status + ": body without schema or example");
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void everyEndpointNamesItsRoles() {
        List<String> wrong = new ArrayList<>();
        Set<String> schemes = document.getJsonObject("components").getJsonObject("securitySchemes").keySet();
        assertEquals(Set.of("basic", "jwt"), schemes);
        endpoints.forEach((endpoint, roles) -> {
            JsonObject operation = operation(endpoint);
            // a password or a JWT (each requirement one scheme: any one is enough), and the roles beside
            Set<String> documented = new TreeSet<>();
            if (operation.containsKey("security")) {
                for (JsonValue requirement : operation.getJsonArray("security")) {
                    if (requirement.asJsonObject().size() != 1) {
                        wrong.add(endpoint + ": requirement " + requirement);
                    }
                    documented.addAll(requirement.asJsonObject().keySet());
                }
            }
            if (!documented.equals(schemes)) {
                wrong.add(endpoint + ": security " + operation.get("security"));
            }
            List<String> documentedRoles = operation.containsKey("x-solarwind-roles")
                    ? operation.getJsonArray("x-solarwind-roles").getValuesAs(JsonString::getString) : List.of();
            if (roles.isEmpty() || !new TreeSet<>(documentedRoles).equals(new TreeSet<>(roles))) {
                wrong.add(endpoint + ": documents roles " + documentedRoles + ", @RolesAllowed gives " + roles);
            }
            if (roles.stream().anyMatch(r -> !operation.getString("description", "").contains("`" + r + "`"))) {
                wrong.add(endpoint + ": the description does not name the roles " + roles);
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void requestBodiesHaveSchemasAndExamples() {
        List<String> wrong = new ArrayList<>();
        for (String endpoint : List.of("PUT /api/v1/topics/{topic}/purposes/{purpose}",
                "POST /api/v1/topics/{topic}/purposes/{purpose}/replay", "POST /api/v1/topics/{topic}/events")) {
            JsonObject body = resolve(operation(endpoint).getJsonObject("requestBody"));
            if (body == null || body.getJsonObject("content") == null) {
                wrong.add(endpoint + ": no request body");
                continue;
            }
            body.getJsonObject("content").forEach((type, content) -> {
                if (!type.equals("*/*") && !hasSchemaAndExample(content.asJsonObject())) {
                    wrong.add(endpoint + " " + type + ": no schema or example");
                }
            });
        }
        JsonObject publish = resolve(operation("POST /api/v1/topics/{topic}/events").getJsonObject("requestBody"));
        assertTrue(publish.getJsonObject("content").containsKey("application/cloudevents+json"), "structured mode: " + publish);
        assertTrue(publish.getJsonObject("content").containsKey("*/*"), "binary mode, any data: " + publish);
        assertTrue(publish.getJsonObject("content").containsKey("application/cloudevents-batch+json"), "batch mode: " + publish);
        Set<String> headers = new TreeSet<>();
        operation("POST /api/v1/topics/{topic}/events").getJsonArray("parameters")
                .forEach(p -> headers.add(resolve(p.asJsonObject()).getString("name")));
        assertTrue(headers.containsAll(Set.of("ce-id", "ce-source", "ce-type", "ce-specversion", "ce-time")), "binary mode headers: " + headers);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void theStatusTableAgreesWithTheContract() throws IOException {
        // every status docs/http-api.md gives a call is in the table (and so must be in the document)
        List<String> rows = Files.readAllLines(java.nio.file.Path.of("../docs/http-api.md")).stream()
                .filter(l -> l.startsWith("| `")).toList();
        List<String> wrong = new ArrayList<>();
        DOCUMENTED_AS.forEach((endpoint, start) -> {
            String row = rows.stream().filter(r -> r.startsWith("| " + start)).findFirst().orElse(null);
            if (row == null) {
                wrong.add(endpoint + ": no row of docs/http-api.md starts with " + start);
                return;
            }
            // a row may document several calls (retry and discard): the statuses of all of them
            Set<Integer> expected = new TreeSet<>(EVERY_CALL);
            DOCUMENTED_AS.forEach((other, otherStart) -> {
                if (otherStart.equals(start)) {
                    expected.addAll(STATUSES.get(other));
                }
            });
            Matcher status = Pattern.compile("(?<![\\w.-])([1-5]\\d\\d)(?![\\w-])").matcher(row.substring(row.indexOf('|', 2)));
            while (status.find()) {
                int s = Integer.parseInt(status.group(1));
                if (!expected.contains(s)) {
                    wrong.add(endpoint + ": docs/http-api.md gives " + s + ", the table here " + expected);
                }
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertTrue(refs.size() > 50, "references: " + refs);
        refs.forEach(ref -> resolve(jakarta.json.Json.createObjectBuilder().add("$ref", ref).build()));
    }

    private static void collectRefs(JsonValue value, List<String> refs) {
        if (value instanceof JsonObject object) {
            object.forEach((name, member) -> {
                if (name.equals("$ref") && member instanceof JsonString ref) {
                    refs.add(ref.getString());
                } else {
                    collectRefs(member, refs);
                }
            });
        } else if (value instanceof jakarta.json.JsonArray array) {
            array.forEach(member -> collectRefs(member, refs));
        }
    }

    @Test
    void libertyFoundTheDocumentValid() throws IOException {
        // Liberty validates the document at each start and only logs what it finds (CWWKO1650E
        // errors, CWWKO1651W warnings); SmallRye logs what it could not scan (SROAP...)
        java.nio.file.Path log = SolarWindServer.wlp().resolve("usr/servers/" + SolarWindServer.serverName() + "/logs/messages.log");
        List<String> complaints = Files.readAllLines(log).stream()
                .filter(l -> l.contains("CWWKO1650E") || l.contains("CWWKO1651W") || l.matches(".* [WE] SROAP\\d+:.*")).toList();
        assertTrue(complaints.isEmpty(), "see " + log + ": " + complaints);
    }

    @Test
    void theDocumentSaysWhereItComesFrom() {
        assertTrue(document.getString("openapi").startsWith("3.1"), document.getString("openapi"));
        assertEquals("Solar Wind", document.getJsonObject("info").getString("title"));
    }

    @Test
    void theDocumentIsAlsoYamlAndTheUiAnswers() throws Exception {
        HttpResponse<String> yaml = anonymous(HTTP + "/openapi", "application/yaml");
        assertEquals(200, yaml.statusCode());
        assertTrue(yaml.body().contains("/api/v1/topics/{topic}/events:"), yaml.body().substring(0, Math.min(500, yaml.body().length())));
        HttpResponse<String> json = anonymous(HTTP + "/openapi?format=JSON", "*/*");
        assertEquals(200, json.statusCode());
        assertEquals(document.getJsonObject("paths").keySet(), SolarWindServer.json(json.body()).asJsonObject().getJsonObject("paths").keySet());
        HttpResponse<String> ui = anonymous(HTTP + "/openapi/ui", "text/html");
        assertEquals(200, ui.statusCode(), "GET /openapi/ui (redirects followed): " + ui.body());
        assertTrue(ui.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), ui.headers().map().toString());
        assertFalse(ui.body().isBlank());
    }

    // --- the document

    private static JsonObject operation(String endpoint) {
        String[] methodAndPath = endpoint.split(" ", 2);
        JsonObject item = document.getJsonObject("paths").getJsonObject(methodAndPath[1]);
        return item == null ? null : item.getJsonObject(methodAndPath[0].toLowerCase(Locale.ROOT));
    }

    /** Follows a {@code $ref} to #/components/... */
    private static JsonObject resolve(JsonObject object) {
        if (object == null || !object.containsKey("$ref")) {
            return object;
        }
        String ref = object.getString("$ref");
        assertTrue(ref.startsWith("#/"), ref);
        JsonObject target = document;
        for (String part : ref.substring(2).split("/")) {
            target = target.getJsonObject(part);
            assertNotNull(target, "unresolved " + ref);
        }
        return resolve(target);
    }

    private static boolean hasSchemaAndExample(JsonObject mediaType) {
        return mediaType.containsKey("schema") && (mediaType.containsKey("example")
                || (mediaType.containsKey("examples") && !mediaType.getJsonObject("examples").isEmpty()));
    }

    // --- the code: every JAX-RS resource method of the server's classes

    /** "METHOD /path" of each documented resource method, with its roles; the hidden ones into {@link #hidden}. */
    private static Map<String, List<String>> endpoints() throws IOException, URISyntaxException, ClassNotFoundException {
        // the server's classes (target/classes), found from one of them; every class there is looked at
        java.nio.file.Path main = java.nio.file.Path.of(io.solarwind.interfaces.rest.Roles.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        List<Class<?>> all = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(main.resolve("io/solarwind"))) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = main.relativize(file).toString().replace(java.io.File.separatorChar, '.').replaceAll("\\.class$", "");
                all.add(Class.forName(name, false, OpenApiIT.class.getClassLoader()));
            }
        }
        List<Class<?>> applications = all.stream().filter(c -> c.isAnnotationPresent(ApplicationPath.class)).toList();
        assertEquals(1, applications.size(), "JAX-RS applications: " + applications);
        String root = applications.get(0).getAnnotation(ApplicationPath.class).value();
        Map<String, List<String>> found = new TreeMap<>();
        for (Class<?> resource : all) {
            if (!resource.isAnnotationPresent(Path.class)) {
                continue;
            }
            for (Method method : resource.getMethods()) {
                String http = Arrays.stream(method.getAnnotations()).map(Annotation::annotationType)
                        .map(t -> t.getAnnotation(HttpMethod.class)).filter(h -> h != null).map(HttpMethod::value)
                        .findFirst().orElse(null);
                if (http == null) {
                    continue;
                }
                Path path = method.getAnnotation(Path.class);
                RolesAllowed roles = method.isAnnotationPresent(RolesAllowed.class)
                        ? method.getAnnotation(RolesAllowed.class) : resource.getAnnotation(RolesAllowed.class);
                String key = http + " " + openApiPath(root + "/" + resource.getAnnotation(Path.class).value() + "/" + (path == null ? "" : path.value()));
                Operation operation = method.getAnnotation(Operation.class);
                if (operation != null && operation.hidden()) {
                    hidden.add(key);
                } else {
                    found.put(key, roles == null ? List.of() : List.copyOf(new TreeSet<>(Arrays.asList(roles.value()))));
                }
            }
        }
        return found;
    }

    /** "/a/{name}" for the JAX-RS path "a/{name: regex}/". */
    private static String openApiPath(String jaxrs) {
        String path = ("/" + jaxrs.replaceAll("\\{\\s*(\\w[\\w.-]*)\\s*:[^}]*}", "{$1}")).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

}
