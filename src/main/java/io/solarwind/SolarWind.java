package io.solarwind;

import io.solarwind.application.PurposeRegistry;
import io.solarwind.config.Setting;
import io.solarwind.dispatch.Dispatcher;
import io.solarwind.infrastructure.broker.EmbeddedBroker;
import io.solarwind.infrastructure.messaging.jms.BrokerConnection;
import io.solarwind.infrastructure.messaging.jms.BrokerTopology;
import io.solarwind.infrastructure.messaging.jms.JmsEventPublisher;
import io.solarwind.push.PushDelivery;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts Solar Wind in order when the application starts and stops it in reverse order
 * before the application goes. Every setting is checked first: a bad value fails the deployment
 * with the setting's name and the value. The embedded broker starts with the application (a
 * failure, such as a port in use, fails the deployment with its cause). Connecting to
 * the broker, creating the fixed destinations, reading the registry and starting the
 * dispatcher then happen on a background thread that retries until the broker answers,
 * so Solar Wind also starts before an external broker does; it is ready once dispatching.
 */
@ApplicationScoped
public class SolarWind {
    private static final Logger LOG = Logger.getLogger(SolarWind.class.getName());
    private static final long RETRY_MILLIS = 2000;

    @Resource
    ManagedThreadFactory threads;
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
    io.solarwind.application.TopicSchemas schemas;
    @Inject
    JmsEventPublisher publisher;
    @Inject
    PushDelivery push;

    private volatile boolean stopping;
    private Thread starter;

    void start(@Observes @Initialized(ApplicationScoped.class) Object application) throws Exception {
        // every setting once, before anything starts: a bad value fails the deployment naming it,
        // rather than killing the dispatcher thread after "dispatching" was logged
        Setting.validate(ConfigProvider.getConfig());
        if (embeddedBroker.enabled()) {
            embeddedBroker.start();
        }
        broker.onFailover(dispatcher::resyncRegistry);
        starter = threads.newThread(this::connectAndDispatch);
        starter.setName("solarwind-start");
        starter.start();
    }

    private void connectAndDispatch() {
        long started = System.nanoTime();
        while (!stopping) {
            try {
                broker.open();
                topology.ensure();
                registry.applyDefaultRedelivery();
                registry.load();
                schemas.load();
                dispatcher.start();
                push.start();
                LOG.info(() -> "Solar Wind is ready (" + registry.all().values().stream().mapToInt(List::size).sum()
                        + " purposes registered; its dispatcher dispatches unless another server's is active) after "
                        + (System.nanoTime() - started) / 1_000_000 + " ms");
                return;
            } catch (RuntimeException e) {
                broker.close();
                LOG.warning("Solar Wind cannot start dispatching yet: " + e.getMessage() + "; retrying in " + RETRY_MILLIS + " ms");
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object application) throws InterruptedException {
        stopping = true;
        if (starter != null) {
            starter.interrupt();
            starter.join(5000);
        }
        push.stop();
        dispatcher.stop();
        publisher.close();
        broker.close();
        embeddedBroker.stop();
        LOG.info("Solar Wind stopped");
    }
}
