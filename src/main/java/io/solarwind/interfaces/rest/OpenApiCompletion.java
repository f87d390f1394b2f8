package io.solarwind.interfaces.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes the OpenAPI document (served at {@code /openapi}) with what every operation has
 * and annotations would repeat on each method: who may call it (a password or a JWT, and the
 * roles of its {@code @RolesAllowed} as {@code x-solarwind-roles} and in its description, any one
 * of them is enough), the 401, 403 and 500 problems any call can get, and the rules of the path
 * segments.
 * Configured as {@code mp.openapi.filter} in META-INF/microprofile-config.properties.
 */
public class OpenApiCompletion implements OASFilter {
    /** The JAX-RS resources of the API (OpenApiIT fails when one is missing here or from the document). */
    static final List<Class<?>> RESOURCES = List.of(TopicsResource.class, TopicSchemasResource.class, BrokerResource.class, MeResource.class);
    /** The security schemes of META-INF/openapi.yaml: a password (development) or a JWT (production). */
    static final List<String> SCHEMES = List.of("basic", "jwt");
    /** The operation's extension that lists the roles that may call it, any one of them. */
    static final String ROLES_EXTENSION = "x-solarwind-roles";

    private static final Map<String, String> SEGMENTS = Map.of(
            "topic", "The topic: [A-Za-z0-9][A-Za-z0-9._-]{0,199}; anything else is a 400 naming it.",
            "purpose", "The purpose: [A-Za-z0-9][A-Za-z0-9_-]{0,99}; anything else is a 400 naming it.",
            "id", "The dead letter's id (the event's id, as the dead-letter list gives it).");
    private static final Map<String, String> PATTERNS = Map.of(
            "topic", "^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$",
            "purpose", "^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        if (openAPI.getComponents() != null) {
            // only there to keep SmallRye from warning about the JSON-P return types; nothing points at it
            openAPI.getComponents().removeSchema("JsonValue");
        }
        String root = path(RestApplication.class.getAnnotation(ApplicationPath.class).value());
        for (Class<?> resource : RESOURCES) {
            for (Method method : resource.getMethods()) {
                String http = httpMethod(method);
                if (http == null) {
                    continue;
                }
                PathItem item = openAPI.getPaths().getPathItem(path(root, resource.getAnnotation(Path.class), method.getAnnotation(Path.class)));
                Operation operation = item == null ? null : item.getOperations().get(PathItem.HttpMethod.valueOf(http));
                if (operation != null) {
                    complete(operation, roles(resource, method));
                }
            }
        }
    }

    private static void complete(Operation operation, List<String> roles) {
        // OpenAPI 3.1 would allow the roles as the scopes of an http scheme, but Liberty's validator
        // (CWWKO1650E) holds to 3.0, where they must be empty: so any one scheme, and the roles beside
        for (String scheme : SCHEMES) {
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(scheme));
        }
        operation.addExtension(ROLES_EXTENSION, roles);
        String needs = "Roles: " + String.join(" or ", roles.stream().map(r -> "`" + r + "`").toList()) + ".";
        operation.setDescription(operation.getDescription() == null ? needs : operation.getDescription() + "\n\n" + needs);
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses() : operation.getResponses();
        // SmallRye gives a method's 200 the description "OK" and a body of its return type even when
        // its @APIResponse points at a response of openapi.yaml: a $ref stands alone
        responses.getAPIResponses().values().stream().filter(r -> r.getRef() != null).forEach(r -> {
            r.setDescription(null);
            r.setContent(null);
            r.setHeaders(null);
            r.setLinks(null);
        });
        addIfMissing(responses, "401", "Unauthenticated");
        addIfMissing(responses, "403", "Forbidden");
        addIfMissing(responses, "500", "InternalError");
        operation.setResponses(responses);
        if (operation.getParameters() != null) {
            for (Parameter parameter : operation.getParameters()) {
                if (parameter.getIn() == Parameter.In.PATH && SEGMENTS.containsKey(parameter.getName())) {
                    if (parameter.getDescription() == null) {
                        parameter.setDescription(SEGMENTS.get(parameter.getName()));
                    }
                    if (parameter.getSchema() != null && PATTERNS.containsKey(parameter.getName())) {
                        parameter.getSchema().setPattern(PATTERNS.get(parameter.getName()));
                    }
                }
            }
        }
    }

    private static void addIfMissing(APIResponses responses, String status, String component) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().ref("#/components/responses/" + component));
        }
    }

    /** The roles of a resource method, sorted: its {@code @RolesAllowed}, else its class's. */
    static List<String> roles(Class<?> resource, Method method) {
        RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            allowed = resource.getAnnotation(RolesAllowed.class);
        }
        return allowed == null ? List.of() : List.copyOf(new TreeSet<>(Arrays.asList(allowed.value())));
    }

    /** GET, PUT, ... of a resource method; null for a method that is not one. */
    static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String path(String root, Path resource, Path method) {
        return path(root + "/" + (resource == null ? "" : resource.value()) + "/" + (method == null ? "" : method.value()));
    }

    /** A JAX-RS path as OpenAPI writes it: "/a/{name}" for "a/{name: regex}/". */
    static String path(String jaxrs) {
        String path = ("/" + jaxrs.replaceAll("\\{\\s*(\\w[\\w.-]*)\\s*:[^}]*}", "{$1}")).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
