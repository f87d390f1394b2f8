package io.solarwind.interfaces.health;

import io.solarwind.dispatch.Dispatcher;
import io.solarwind.infrastructure.broker.EmbeddedBroker;
import io.solarwind.infrastructure.messaging.jms.BrokerConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
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

    /** Ready only while the broker is reachable and the dispatcher consumes the inbound topic. */
    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> HealthCheckResponse.named("solarwind-dispatch")
                .status(broker.isHealthy() && dispatcher.isConsuming())
                .withData("brokerConnected", broker.isHealthy())
                .withData("dispatching", dispatcher.isConsuming())
                .withData("journal", String.valueOf(embeddedBroker.journalType()))
                .withData("dispatched", dispatcher.dispatchedCount())
                .withData("deadLettered", dispatcher.deadLetteredCount())
                .build();
    }

    /** Live unless the dispatcher thread has died. */
    @Produces
    @Liveness
    HealthCheck live() {
        return () -> HealthCheckResponse.named("solarwind-dispatcher-thread").status(dispatcher.isAlive()).build();
    }
}
