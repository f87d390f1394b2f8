package io.solarwind.infrastructure.broker;

import java.lang.reflect.Field;
import java.util.List;
import java.util.logging.Logger;
import org.apache.activemq.artemis.core.server.ActiveMQComponent;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;

/**
 * A workaround for ARTEMIS-5446 ("AckManager instances leaking on backup", fixed in Artemis 2.42.0;
 * 2.40.0 is the newest distribution served here). Where the AMQP protocol module is on the
 * broker's class path (the apache-artemis distribution has it), each activation adds an AMQP
 * mirror {@code AckManager} to the server's external components, and its stop never removes it;
 * the stopped one holds that activation's storage manager and post office, so every message it
 * loaded. A shared-store backup that Artemis restarts in its own JVM after each fail-back
 * therefore keeps one whole journal load per activation until it runs out of heap (seen at the
 * sixth activation of a 100,000-event HA run; measured at about one journal load, 116 MB for
 * 60,000 1 KB messages, kept per cycle).
 *
 * <p>Before each activation, the stopped {@code AckManager}s are taken out of the list; the
 * running one, if any, stays. Artemis 2.40 has no method to remove an external component, so
 * this reaches into the field; if it is not there (another Artemis version), nothing is done and
 * the reason is logged once per start. Remove this class with the upgrade to 2.42 or later.
 */
final class StoppedAckManagers {
    private static final Logger LOG = Logger.getLogger(StoppedAckManagers.class.getName());
    static final String ACK_MANAGER = "org.apache.activemq.artemis.protocol.amqp.connect.mirror.AckManager";

    private StoppedAckManagers() {
    }

    /** Removes the stopped AMQP mirror AckManagers from the server's external components; returns how many. */
    @SuppressWarnings("unchecked")
    static int release(ActiveMQServer server) {
        if (!(server instanceof ActiveMQServerImpl)) {
            return 0;
        }
        try {
            Field field = ActiveMQServerImpl.class.getDeclaredField("externalComponents");
            field.setAccessible(true);
            List<ActiveMQComponent> components = (List<ActiveMQComponent>) field.get(server);
            int removed;
            synchronized (components) {
                int before = components.size();
                components.removeIf(c -> c.getClass().getName().equals(ACK_MANAGER) && !c.isStarted());
                removed = before - components.size();
            }
            if (removed > 0) {
                LOG.info(() -> "Released " + removed + " stopped AMQP AckManager(s) of earlier activations (ARTEMIS-5446)");
            }
            return removed;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning("Could not release the stopped AMQP AckManagers of earlier activations (ARTEMIS-5446): " + e
                    + "; a backup restarted in its JVM after fail-backs may keep each activation's messages in memory");
            return 0;
        }
    }
}
