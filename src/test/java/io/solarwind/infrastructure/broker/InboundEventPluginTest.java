package io.solarwind.infrastructure.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.BrokerRoles;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker plugin on a broker with Solar Wind's security: a publisher's event gets its
 * CloudEvents defaults, also when sent straight to the dispatcher's queue; a registry change for
 * the dispatcher is refused from a publisher, on the inbound address and on the queue's fully
 * qualified name, and taken from a Solar Wind server.
 */
class InboundEventPluginTest {
    private static final String URL = "vm://4713";

    @TempDir
    Path data;
    private EmbeddedActiveMQ broker;
    private ActiveMQConnectionFactory factory;

    @BeforeEach
    void start() throws Exception {
        File users = data.resolve("users.properties").toFile();
        File roles = data.resolve("roles.properties").toFile();
        Files.writeString(users.toPath(), "publisher = publisher-secret\nserver = server-secret\n");
        Files.writeString(roles.toPath(), BrokerRoles.PUBLISHER + " = publisher\n" + BrokerRoles.SERVER + " = server\n");
        Configuration config = TestBrokers.persistent("plugin-test", data.toFile(), URL).setSecurityEnabled(true);
        BrokerRoles.fixed().forEach((match, table) -> config.putSecurityRoles(match, BrokerLogin.roles(table)));
        config.registerBrokerPlugin(new InboundEventPlugin());
        config.addQueueConfiguration(QueueConfiguration.of(BrokerNames.DISPATCH_QUEUE).setAddress(BrokerNames.INBOUND)
                .setRoutingType(RoutingType.MULTICAST));
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.setSecurityManager(new BrokerLogin(users, roles, null).securityManager());
        broker.start();
        factory = new ActiveMQConnectionFactory(URL);
    }

    @AfterEach
    void stop() throws Exception {
        factory.close();
        broker.stop();
    }

    @Test
    void aPublisherCannotForgeARegistryChange() throws Exception {
        try (Connection publisher = factory.createConnection("publisher", "publisher-secret")) {
            Session session = publisher.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String target : new String[] {BrokerNames.INBOUND, BrokerNames.DISPATCH_FQQN}) {
                MessageProducer producer = session.createProducer(session.createTopic(target));
                Message forged = session.createMessage();
                forged.setBooleanProperty(BrokerNames.CONTROL_PROPERTY, true);
                forged.setStringProperty("solarwind_topic", "orders.placed");
                JMSException e = assertThrows(JMSException.class, () -> producer.send(forged), "sent to " + target);
                assertTrue(e instanceof JMSSecurityException || e.getMessage().contains("manage"), e.toString());
            }
        }
        assertEquals(0, dispatchQueueDepth(), "nothing forged reached the dispatcher");
    }

    @Test
    void aServerSendsRegistryChangesAndPublishersEventsGetTheirDefaults() throws Exception {
        try (Connection server = factory.createConnection("server", "server-secret");
             Connection publisher = factory.createConnection("publisher", "publisher-secret")) {
            Session s = server.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message change = s.createMessage();
            change.setBooleanProperty(BrokerNames.CONTROL_PROPERTY, true);
            s.createProducer(s.createTopic(BrokerNames.DISPATCH_FQQN)).send(change);

            Session p = publisher.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message event = p.createMessage();
            event.setStringProperty("ce_type", "orders.placed");
            p.createProducer(p.createTopic(BrokerNames.DISPATCH_FQQN)).send(event);

            server.start();
            MessageConsumer consumer = s.createConsumer(s.createQueue(BrokerNames.DISPATCH_FQQN));
            Message first = consumer.receive(5000);
            assertNotNull(first);
            assertTrue(first.propertyExists(BrokerNames.CONTROL_PROPERTY));
            assertTrue(!first.propertyExists("ce_id"), "a registry change is no event: no CloudEvents defaults");
            Message second = consumer.receive(5000);
            assertNotNull(second);
            assertNotNull(second.getStringProperty("ce_id"), "an event sent to the queue's full name gets its defaults too");
            assertNotNull(second.getStringProperty(BrokerNames.DUPLICATE_ID_PROPERTY));
        }
    }

    private long dispatchQueueDepth() {
        return broker.getActiveMQServer().locateQueue(BrokerNames.DISPATCH_QUEUE).getMessageCount();
    }
}
