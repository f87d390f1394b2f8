package io.solarwind.interfaces.rest;

import io.solarwind.application.DestinationConflictException;
import io.solarwind.application.FilterConflictException;
import io.solarwind.application.VersionConflictException;
import io.solarwind.application.PurposeConflictException;
import io.solarwind.application.PushConflictException;
import io.solarwind.application.RedeliveryConflictException;
import io.solarwind.application.RegistryConflictException;
import io.solarwind.application.RegistryNotReadyException;
import io.solarwind.domain.InvalidInputException;
import io.solarwind.infrastructure.messaging.jms.BrokerUnavailableException;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every error of the API as an RFC 9457 problem document ({@code application/problem+json})
 * with {@code type}, {@code title}, {@code status}, {@code detail}, and {@code field} where
 * one field or value was wrong.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Exception> {
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:solarwind:problem:";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

    @Override
    public Response toResponse(Exception exception) {
        if (exception instanceof ProblemException p) {
            return problem(p.status(), p.type(), p.title(), p.getMessage(), p.field(), p.index(), p.extensions());
        }
        if (exception instanceof InvalidInputException e) {
            return problem(400, "invalid-input", "Invalid input", e.getMessage(), e.field());
        }
        if (exception instanceof PurposeConflictException e) {
            return problem(409, "exchange-conflict", "Purpose exists with another exchange", e.getMessage(), "exchange");
        }
        if (exception instanceof PushConflictException e) {
            return problem(409, "push-conflict", "Purpose exists with other push settings", e.getMessage(), "push");
        }
        if (exception instanceof FilterConflictException e) {
            return problem(409, "filter-conflict", "Purpose exists with another filter", e.getMessage(), "filter");
        }
        if (exception instanceof VersionConflictException e) {
            return problem(409, "version-conflict", "The purpose cannot take this version change", e.getMessage(), "version");
        }
        if (exception instanceof RedeliveryConflictException e) {
            return problem(409, "redelivery-conflict", "The topic's direct purposes have another redelivery policy", e.getMessage(), "redelivery");
        }
        if (exception instanceof RegistryConflictException e) {
            return problem(409, "concurrent-change", "The purpose kept changing through other servers", e.getMessage(), null);
        }
        if (exception instanceof DestinationConflictException e) {
            return problem(409, "destination-conflict", "The purpose's destination cannot be used", e.getMessage(), null);
        }
        if (exception instanceof RegistryNotReadyException e) {
            return problem(503, "not-ready", "Not ready", e.getMessage(), null);
        }
        if (exception instanceof BrokerUnavailableException e) {
            LOG.log(Level.WARNING, "Broker unavailable", e);
            return problem(503, "broker-unavailable", "Broker unavailable", e.getMessage(), null);
        }
        if (exception instanceof WebApplicationException e) {
            int status = e.getResponse().getStatus();
            return problem(status, "http-" + status, Response.Status.fromStatusCode(status) == null
                    ? "HTTP " + status : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage(), null);
        }
        LOG.log(Level.SEVERE, "Unexpected error", exception);
        return problem(500, "internal-error", "Internal error",
                "Solar Wind failed unexpectedly; nothing was accepted. The server log has the details.", null);
    }

    static Response problem(int status, String type, String title, String detail, String field) {
        return problem(status, type, title, detail, field, null);
    }

    static Response problem(int status, String type, String title, String detail, String field, Integer index) {
        return problem(status, type, title, detail, field, index, java.util.Map.of());
    }

    static Response problem(int status, String type, String title, String detail, String field, Integer index,
                            java.util.Map<String, String> extensions) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("type", TYPE_PREFIX + type)
                .add("title", title)
                .add("status", status)
                .add("detail", detail == null ? title : detail);
        if (field != null) {
            body.add("field", field);
        }
        if (index != null) {
            body.add("index", index);
        }
        extensions.forEach(body::add);
        Response.ResponseBuilder response = Response.status(status).type(PROBLEM_JSON).entity(body.build().toString());
        if (status == 413) {
            // the rest of the body is never read: the connection ends with this answer rather than
            // wait for an upload no one reads (Liberty closes it after a response saying close)
            response.header("Connection", "close");
        }
        return response.build();
    }
}
