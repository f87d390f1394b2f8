package io.solarwind.interfaces.metrics;

import io.solarwind.interfaces.rest.TopicsResource;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;

/**
 * Times HTTP publishes ({@code POST /api/v1/topics/{topic}/events}) that are answered 202, from
 * the request reaching the API (authenticated and authorized) to the answer, for
 * {@link EventMetrics#PUBLISH}. Refused requests (4xx, 5xx) are not timed.
 */
@Provider
public class PublishTiming implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String STARTED = PublishTiming.class.getName() + ".started";

    @Context
    ResourceInfo resource;
    @Inject
    EventMetrics metrics;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        if (method != null && TopicsResource.class.isAssignableFrom(method.getDeclaringClass()) && "publish".equals(method.getName())) {
            request.setProperty(STARTED, System.nanoTime());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(STARTED) instanceof Long started && response.getStatus() == 202) {
            metrics.published(System.nanoTime() - started);
        }
    }
}
