package io.solarwind.infrastructure.broker;

import io.solarwind.infrastructure.messaging.jms.BrokerConnection;
import io.solarwind.infrastructure.messaging.jms.BrokerUnavailableException;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.io.File;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;

/** Brokers for tests that run one in their own JVM: persistent, on a test's directory, reached in-VM. */
public final class TestBrokers {
    private TestBrokers() {
    }

    /** A persistent broker without security or JMX, its journal and other stores under {@code dir}, with an in-VM acceptor at {@code url}. */
    public static Configuration persistent(String name, File dir, String url) throws Exception {
        return new ConfigurationImpl()
                .setName(name)
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(new File(dir, "journal").getPath())
                .setBindingsDirectory(new File(dir, "bindings").getPath())
                .setPagingDirectory(new File(dir, "paging").getPath())
                .setLargeMessagesDirectory(new File(dir, "large-messages").getPath())
                .setNodeManagerLockDirectory(dir.getPath())
                .addAcceptorConfiguration("invm", url);
    }

    /**
     * The server's broker connection, made to a broker in this JVM: a JMS connection and its admin
     * session, where a broker's refusal is a {@link BrokerUnavailableException} as in the server.
     */
    public static final class AdminConnection extends BrokerConnection {
        private final ActiveMQConnectionFactory factory;
        private final Connection jms;
        private final ClientSession admin;

        public AdminConnection(String url) throws JMSException {
            factory = new ActiveMQConnectionFactory(url);
            jms = factory.createConnection();
            jms.start();
            Session session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
            admin = ((ActiveMQSession) session).getCoreSession();
        }

        @Override
        public Connection connection() {
            return jms;
        }

        @Override
        public synchronized <T> T admin(String what, AdminCall<T> call) {
            try {
                return call.apply(admin);
            } catch (ActiveMQException e) {
                throw new BrokerUnavailableException(what + " failed at the broker: " + e.getMessage(), e);
            }
        }

        @Override
        public synchronized void close() {
            try {
                jms.close();
            } catch (JMSException e) {
                throw new IllegalStateException("closing the test connection: " + e, e);
            } finally {
                factory.close();
            }
        }
    }
}
