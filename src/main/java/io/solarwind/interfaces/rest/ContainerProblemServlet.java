package io.solarwind.interfaces.rest;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The error page for requests the web container rejects before they reach the API
 * (Servlet 6 refuses a path holding an encoded '/', '#', or a control character; a caller
 * without credentials or without any Solar Wind role): the same kind of problem document as
 * every other error.
 */
@WebServlet("/problem")
public class ContainerProblemServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 400;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        JsonObjectBuilder body = switch (status) {
            case 401 -> Json.createObjectBuilder()
                    .add("type", "urn:solarwind:problem:unauthenticated")
                    .add("title", "Authentication required")
                    .add("status", status)
                    .add("detail", "the Solar Wind API needs a user: HTTP Basic credentials or a bearer token, as the"
                            + " server's security configuration says (missing or not accepted)");
            case 403 -> Json.createObjectBuilder()
                    .add("type", "urn:solarwind:problem:forbidden")
                    .add("title", "Forbidden")
                    .add("status", status)
                    .add("detail", "the user has none of the roles solarwind-admin, solarwind-publisher, solarwind-viewer");
            default -> Json.createObjectBuilder()
                    .add("type", "urn:solarwind:problem:invalid-request-uri")
                    .add("title", "Invalid request URI")
                    .add("status", status)
                    .add("detail", "the request path " + (uri == null ? "" : "'" + uri + "' ")
                            + "holds an encoded '/', '#' or control character, which no topic or purpose name may contain")
                    .add("field", "path");
        };
        response.setStatus(status);
        response.setContentType(ProblemMapper.PROBLEM_JSON);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(body.build().toString());
    }
}
