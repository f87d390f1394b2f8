package io.solarwind;

import io.solarwind.application.PurposeRegistry;
import io.solarwind.dispatch.Dispatcher;
import io.solarwind.infrastructure.broker.EmbeddedBroker;
import io.solarwind.infrastructure.messaging.jms.BrokerConnection;
import io.solarwind.infrastructure.messaging.jms.BrokerTopology;
import io.solarwind.infrastructure.messaging.jms.JmsEventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Starts Solar Wind in order when the application starts (broker, connection, fixed
 * destinations, registry, dispatcher) and stops it in reverse order before the
 * application goes. A failure at start fails the deployment with the cause.
 */
@ApplicationScoped
public class SolarWind {
    private static final Logger LOG = Logger.getLogger(SolarWind.class.getName());

    @Inject
    EmbeddedBroker embeddedBroker;
    @Inject
    BrokerConnection broker;
    @Inject
    BrokerTopology topology;
    @Inject
    PurposeRegistry registry;
    @Inject
    Dispatcher dispatcher;
    @Inject
    JmsEventPublisher publisher;

    void start(@Observes @Initialized(ApplicationScoped.class) Object application) throws Exception {
        long started = System.nanoTime();
        if (embeddedBroker.enabled()) {
            embeddedBroker.start();
        }
        broker.open();
        topology.ensure();
        registry.load();
        dispatcher.start();
        LOG.info(() -> "Solar Wind is dispatching (" + registry.all().values().stream().mapToInt(java.util.List::size).sum()
                + " purposes registered) after " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object application) {
        dispatcher.stop();
        publisher.close();
        broker.close();
        embeddedBroker.stop();
        LOG.info("Solar Wind stopped");
    }
}
