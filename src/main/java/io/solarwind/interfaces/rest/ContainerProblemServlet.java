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
 * (Servlet 6 refuses a path holding an encoded '/', '#', or a control character): the
 * same kind of problem document as every other error.
 */
@WebServlet("/problem")
public class ContainerProblemServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 400;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("type", "urn:solarwind:problem:invalid-request-uri")
                .add("title", "Invalid request URI")
                .add("status", status)
                .add("detail", "the request path " + (uri == null ? "" : "'" + uri + "' ")
                        + "holds an encoded '/', '#' or control character, which no topic or purpose name may contain")
                .add("field", "path");
        response.setStatus(status);
        response.setContentType(ProblemMapper.PROBLEM_JSON);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(body.build().toString());
    }
}
