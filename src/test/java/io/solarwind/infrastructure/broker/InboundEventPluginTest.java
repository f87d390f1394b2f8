package io.solarwind.infrastructure.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.domain.Exchange;
import io.solarwind.domain.Purpose;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
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
import java.time.Instant;
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
    private static final Redelivery POLICY = new Redelivery(3, 0, 1.0, 0);
    private static final Registration OWN = new Registration(Topic.of("orders.placed"), Purpose.of("own"), Exchange.DIRECT, POLICY, Instant.EPOCH);
    private static final Registration OTHER = new Registration(Topic.of("orders.placed"), Purpose.of("other"), Exchange.DIRECT, POLICY, Instant.EPOCH);
    private static final Registration WATCH = new Registration(Topic.of("orders.placed"), Purpose.of("watch"), Exchange.FANOUT, POLICY, Instant.EPOCH);

    @TempDir
    Path data;
    private EmbeddedActiveMQ broker;
    private ActiveMQConnectionFactory factory;

    @BeforeEach
    void start() throws Exception {
        File users = data.resolve("users.properties").toFile();
        File roles = data.resolve("roles.properties").toFile();
        Files.writeString(users.toPath(), "publisher = publisher-secret\nserver = server-secret\nhandler = handler-secret\n"
                + "watcher = watcher-secret\n");
        Files.writeString(roles.toPath(), BrokerRoles.PUBLISHER + " = publisher\n" + BrokerRoles.SERVER + " = server\n"
                + BrokerRoles.HANDLER + " = handler,watcher\n" + BrokerRoles.handlerOf(OWN) + " = handler\n"
                + BrokerRoles.handlerOf(WATCH) + " = watcher\n");
        Configuration config = TestBrokers.persistent("plugin-test", data.toFile(), URL).setSecurityEnabled(true);
        BrokerRoles.fixed().forEach((match, table) -> config.putSecurityRoles(match, BrokerLogin.roles(table)));
        config.registerBrokerPlugin(new InboundEventPlugin());
        for (Registration r : new Registration[] {OWN, OTHER, WATCH}) {
            config.putSecurityRoles(r.destination(), BrokerLogin.roles(BrokerRoles.purpose(r)));
        }
        config.addQueueConfiguration(QueueConfiguration.of(BrokerNames.DEAD_LETTER).setRoutingType(RoutingType.ANYCAST));
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

    @Test
    void aHandlerDeadLettersOnlyForAPurposeItConsumesAndCannotForgeTheBrokersOrigin() throws Exception {
        try (Connection handler = factory.createConnection("handler", "handler-secret");
             Connection watcher = factory.createConnection("watcher", "watcher-secret");
             Connection server = factory.createConnection("server", "server-secret")) {
            Session s = handler.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer toDla = s.createProducer(s.createQueue(BrokerNames.DEAD_LETTER));
            // its own purpose, with its reason: as the handler API dead-letters a failed event
            toDla.send(letter(s, "orders.placed", "own", null));
            // another purpose, no purpose at all, a wildcard, or the broker's origin property: refused
            for (Message forged : new Message[] {letter(s, "orders.placed", "other", null), letter(s, null, null, null),
                    letter(s, "orders.placed", "#", null), letter(s, "orders.#", "own", null),
                    letter(s, "orders.placed", "own", OTHER.queue())}) {
                JMSException e = assertThrows(JMSException.class, () -> toDla.send(forged));
                assertTrue(e instanceof JMSSecurityException, e.toString());
            }
            // a fanout purpose's handler dead-letters for its purpose, not for a direct one
            Session w = watcher.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer watcherToDla = w.createProducer(w.createQueue(BrokerNames.DEAD_LETTER));
            watcherToDla.send(letter(w, "orders.placed", "watch", null));
            assertThrows(JMSSecurityException.class, () -> watcherToDla.send(letter(w, "orders.placed", "own", null)));
            // the server (the dispatcher) and operators are not limited
            Session v = server.createSession(false, Session.AUTO_ACKNOWLEDGE);
            v.createProducer(v.createQueue(BrokerNames.DEAD_LETTER)).send(v.createMessage());
        }
        assertEquals(3, broker.getActiveMQServer().locateQueue(BrokerNames.DEAD_LETTER).getMessageCount(),
                "the handler's own letter, the watcher's and the server's");
    }

    @Test
    void anEventLosesTheDeadLetterPropertiesItWasPublishedWith() throws Exception {
        try (Connection publisher = factory.createConnection("publisher", "publisher-secret");
             Connection server = factory.createConnection("server", "server-secret")) {
            Session p = publisher.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message event = letter(p, "orders.placed", "other", null);
            event.setStringProperty("ce_type", "orders.placed");
            p.createProducer(p.createTopic(BrokerNames.INBOUND)).send(event);
            server.start();
            Session s = server.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message received = s.createConsumer(s.createQueue(BrokerNames.DISPATCH_FQQN)).receive(5000);
            assertNotNull(received);
            for (String property : BrokerNames.DEAD_LETTER_PROPERTIES) {
                assertTrue(!received.propertyExists(property), property + " removed");
            }
            assertEquals("orders.placed", received.getStringProperty("ce_type"));
        }
    }

    private static Message letter(Session session, String topic, String purpose, String origQueue) throws JMSException {
        Message m = session.createTextMessage("{}");
        if (topic != null) {
            m.setStringProperty(BrokerNames.DEAD_LETTER_TOPIC_PROPERTY, topic);
        }
        if (purpose != null) {
            m.setStringProperty(BrokerNames.DEAD_LETTER_PURPOSE_PROPERTY, purpose);
        }
        m.setStringProperty(BrokerNames.REASON_PROPERTY, "java.lang.IllegalStateException: failed");
        if (origQueue != null) {
            m.setStringProperty("_AMQ_ORIG_QUEUE", origQueue);
        }
        return m;
    }

    private long dispatchQueueDepth() {
        return broker.getActiveMQServer().locateQueue(BrokerNames.DISPATCH_QUEUE).getMessageCount();
    }
}
