package io.solarwind.interfaces.health;

import io.solarwind.dispatch.Dispatcher;
import io.solarwind.infrastructure.broker.EmbeddedBroker;
import io.solarwind.infrastructure.messaging.jms.BrokerConnection;
import io.solarwind.infrastructure.messaging.jms.JmsRegistrationStore;
import java.util.List;
import java.util.stream.Collectors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** The readiness and liveness checks of Solar Wind. */
@ApplicationScoped
public class DispatchHealth {
    @Inject
    BrokerConnection broker;
    @Inject
    EmbeddedBroker embeddedBroker;
    @Inject
    Dispatcher dispatcher;
    @Inject
    JmsRegistrationStore registry;

    /**
     * Ready while the broker is reachable and the dispatcher either consumes the inbound topic
     * (it is the active one) or stands by because another server's does: either way this server
     * takes requests and publishes. The data say which, and which broker the server uses. Down,
     * naming each record, while the registry holds records this server cannot read (it does not
     * dispatch until an operator removes them; the events wait).
     */
    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> {
            List<JmsRegistrationStore.UnreadableRecord> unreadable = registry.unreadable();
            HealthCheckResponseBuilder response = HealthCheckResponse.named("solarwind-dispatch")
                    .status(unreadable.isEmpty() && broker.isHealthy() && (dispatcher.isConsuming() || dispatcher.isStandingBy()))
                    .withData("brokerConnected", broker.isHealthy())
                    .withData("broker", broker.connectedTo())
                    .withData("dispatcher", dispatcher.role())
                    .withData("dispatching", dispatcher.isConsuming())
                    .withData("journal", embeddedBroker.enabled() ? String.valueOf(embeddedBroker.journalType()) : "external")
                    .withData("dispatched", dispatcher.dispatchedCount())
                    .withData("deadLettered", dispatcher.deadLetteredCount());
            if (!unreadable.isEmpty()) {
                response.withData("unreadableRegistryRecords", unreadable.stream()
                        .map(JmsRegistrationStore.UnreadableRecord::describe).collect(Collectors.joining("; ")));
            }
            return response.build();
        };
    }

    /** Live unless the dispatcher thread has died. */
    @Produces
    @Liveness
    HealthCheck live() {
        return () -> HealthCheckResponse.named("solarwind-dispatcher-thread").status(dispatcher.isAlive()).build();
    }
}
