package io.solarwind.interfaces.rest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The web console's static files (src/main/webapp/console: HTML, CSS and JavaScript, no data and
 * no credentials, so open like /openapi/ui) with headers that keep them to themselves: scripts,
 * styles and calls only from this server, no framing by another page, no referrer, no caching of
 * an old version. {@code /console} goes to {@code /console/}.
 */
@WebFilter(filterName = "console", urlPatterns = {"/console", "/console/*"})
public class ConsoleFilter extends HttpFilter {
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if ("/console".equals(path)) {
            response.sendRedirect(request.getContextPath() + "/console/");
            return;
        }
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-cache");
        chain.doFilter(request, response);
    }
}
