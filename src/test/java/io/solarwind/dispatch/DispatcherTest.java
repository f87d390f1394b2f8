package io.solarwind.dispatch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.infrastructure.broker.TestBrokers;
import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.jms.BrokerTopology;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a dispatcher knows it stands by: against a real broker, the dispatcher's subscription with
 * its one-consumer limit refuses a second consumer with an error the dispatcher recognises, and
 * lets the next one in once the first has gone.
 */
class DispatcherTest {
    @TempDir
    Path data;

    @Test
    void aSecondDispatcherIsRefusedUntilTheFirstGoes() throws Exception {
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(TestBrokers.persistent("dispatcher-test", data.toFile(), "vm://4714")
                .addQueueConfiguration(QueueConfiguration.of(BrokerNames.DISPATCH_QUEUE).setAddress(BrokerNames.INBOUND)
                        .setRoutingType(RoutingType.MULTICAST).setMaxConsumers(BrokerTopology.DISPATCHERS)));
        broker.start();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://4714");
             Connection first = factory.createConnection();
             Connection second = factory.createConnection()) {
            Session active = first.createSession(true, Session.SESSION_TRANSACTED);
            active.createConsumer(active.createQueue(BrokerNames.DISPATCH_FQQN));
            Session standby = second.createSession(true, Session.SESSION_TRANSACTED);
            JMSException refused = assertThrows(JMSException.class, () -> standby.createConsumer(standby.createQueue(BrokerNames.DISPATCH_FQQN)));
            assertTrue(Dispatcher.heldByAnother(refused), refused.toString());
            assertFalse(Dispatcher.heldByAnother(new JMSException("connection lost")));

            active.close();
            standby.createConsumer(standby.createQueue(BrokerNames.DISPATCH_FQQN)); // the same session takes over
        } finally {
            broker.stop();
        }
    }
}
