package io.solarwind.infrastructure.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQComponent;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.protocol.amqp.connect.mirror.AckManager;
import org.junit.jupiter.api.Test;

/**
 * The ARTEMIS-5446 workaround takes out the stopped AckManagers of earlier activations, and nothing else.
 * Artemis's own AckManager (artemis-amqp-protocol is in the WAR since the broker speaks AMQP), made
 * on the test's broker: never started (as a stopped one) or started.
 */
class StoppedAckManagersTest {

    @Test
    void releasesOnlyStoppedAckManagers() throws Exception {
        ActiveMQServer server = ActiveMQServers.newActiveMQServer(new ConfigurationImpl().setPersistenceEnabled(false)
                .setSecurityEnabled(false).addAcceptorConfiguration("invm", "vm://90"), false);
        server.start(); // external components can only be added to a started broker
        try {
            AckManager stopped = new AckManager(server);
            AckManager running = new AckManager(server);
            running.start();
            ActiveMQComponent other = new AckManagerLike();
            server.addExternalComponent(stopped, false);
            server.addExternalComponent(running, false);
            server.addExternalComponent(other, false);

            assertTrue(running.isStarted() && !stopped.isStarted());
            assertEquals(1, StoppedAckManagers.release(server));
            List<ActiveMQComponent> left = server.getExternalComponents();
            assertFalse(left.contains(stopped), "the stopped AckManager, which holds its activation's messages, is gone");
            assertTrue(left.contains(running), "a running AckManager stays");
            assertTrue(left.contains(other), "a stopped component of another kind stays");
            assertEquals(0, StoppedAckManagers.release(server), "nothing more to release");
            running.stop();
        } finally {
            server.stop();
        }
    }

    @Test
    void theReplayPluginReleasesThemBeforeEachActivation() throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(false).setSecurityEnabled(false).addAcceptorConfiguration("invm", "vm://91");
        config.registerBrokerPlugin(new ReplayService());
        ActiveMQServer server = ActiveMQServers.newActiveMQServer(config, false);
        server.start();
        // what the AMQP module leaves: a component made by this activation, stopped with it and never removed
        AckManager ofFirstActivation = new AckManager(server);
        ofFirstActivation.start();
        server.addExternalComponent(ofFirstActivation, false);
        server.stop();
        assertTrue(server.getExternalComponents().contains(ofFirstActivation), "Artemis keeps it after the stop (ARTEMIS-5446)");
        server.start(); // the in-process restart of a backup after a fail-back
        try {
            assertFalse(server.getExternalComponents().contains(ofFirstActivation),
                    "the second start released the AckManager the first activation left");
        } finally {
            server.stop();
        }
    }

    /** A stopped component that is not an AckManager. */
    private static final class AckManagerLike implements ActiveMQComponent {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean isStarted() {
            return false;
        }
    }
}
