package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.config.Setting;
import io.solarwind.infrastructure.broker.EmbeddedBroker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;

/**
 * The server's one connection to the broker: in-VM to the embedded broker, TCP
 * (reconnecting forever) to an external one. It is not a resource-adapter connection,
 * so the dispatcher keeps it until the application itself stops.
 */
@ApplicationScoped
public class BrokerConnection {
    private static final Logger LOG = Logger.getLogger(BrokerConnection.class.getName());

    private ActiveMQConnectionFactory factory;
    private ActiveMQConnectionFactory transactedFactory;
    private Connection connection;
    private Connection transactedConnection;
    private ActiveMQConnectionFactory publishFactory;
    private Connection publishConnection;
    private ActiveMQConnectionFactory pushFactory;
    private Connection pushConnection;
    private Session adminSession;
    private ClientSession admin;
    private volatile boolean failed;
    private final List<Runnable> failoverListeners = new CopyOnWriteArrayList<>();

    @Inject
    EmbeddedBroker embedded;

    /** The URL the server uses: the setting, else in-VM for the embedded broker, else localhost:61616. */
    public static String url() {
        String url = Setting.BROKER_URL.get().trim();
        if (!url.isEmpty()) {
            return url;
        }
        return Setting.BROKER_EMBEDDED.getBoolean() ? EmbeddedBroker.ownUrl() : "tcp://localhost:61616";
    }

    public synchronized void open() {
        String url = url();
        try {
            factory = factory(url);
            // For transacted sessions only: a send need not wait for the broker, the commit does,
            // and it fails (rolling everything back) if any send of the transaction failed. Nor
            // wait for producer credits every 64 KiB: the broker pages when an address is full. Its
            // consumer (the dispatcher's) gets events pushed ahead by the broker, up to a window large
            // enough that the dispatcher does not wait for the broker's next delivery.
            transactedFactory = factory(url);
            transactedFactory.setBlockOnDurableSend(false);
            transactedFactory.setProducerWindowSize(-1);
            transactedFactory.setConsumerWindowSize(Setting.DISPATCH_WINDOW.getInt());
            // For HTTP publishing: sends with a completion listener, which the client calls when the
            // broker confirms the message, and the broker confirms a persistent one only once it is
            // in the journal. A confirmation window of one byte makes the broker confirm each send as
            // soon as it is stored (with a larger window it waits until that many bytes are stored).
            publishFactory = factory(url);
            publishFactory.setConfirmationWindowSize(1);
            // For push delivery: consumers that compete with the other servers' for a push purpose's
            // queue take one event at a time (no window of events buffered ahead for one consumer)
            pushFactory = factory(url);
            pushFactory.setConsumerWindowSize(0);
            connection = connect(factory);
            transactedConnection = connect(transactedFactory);
            publishConnection = connect(publishFactory);
            pushConnection = connect(pushFactory);
            adminSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            admin = ((ActiveMQSession) adminSession).getCoreSession();
            failed = false;
            LOG.info(() -> "Solar Wind connected to the broker at " + url);
        } catch (JMSException e) {
            close();
            throw new BrokerUnavailableException("Cannot connect to the broker at " + url + ": " + e.getMessage()
                    + " (check " + Setting.BROKER_URL.key() + ")", e);
        }
    }

    /** The connection for transacted sessions (the dispatcher's): sends do not block, commits do. */
    public Connection transactedConnection() {
        Connection c = transactedConnection;
        if (c == null) {
            throw new BrokerUnavailableException("Solar Wind is not connected to the broker", null);
        }
        return c;
    }

    /**
     * The connection for HTTP publishing: sends with a completion listener are confirmed by the
     * broker as soon as the message is stored, one send at a time.
     */
    public Connection publishConnection() {
        Connection c = publishConnection;
        if (c == null) {
            throw new BrokerUnavailableException("Solar Wind is not connected to the broker", null);
        }
        return c;
    }

    /** The connection of the push consumers: no consumer window, so that competing consumers take one event at a time. */
    public Connection pushConnection() {
        Connection c = pushConnection;
        if (c == null) {
            throw new BrokerUnavailableException("Solar Wind is not connected to the broker", null);
        }
        return c;
    }

    /** How long the client waits for the broker's answer to a blocking call, in milliseconds. */
    public long callTimeoutMillis() {
        ActiveMQConnectionFactory f = publishFactory;
        return f == null ? 30_000 : f.getCallTimeout();
    }

    public Connection connection() {
        Connection c = connection;
        if (c == null) {
            throw new BrokerUnavailableException("Solar Wind is not connected to the broker", null);
        }
        return c;
    }

    /** Runs broker administration (queue creation, queries) on the one admin session, one call at a time. */
    public synchronized <T> T admin(String what, AdminCall<T> call) {
        if (admin == null) {
            throw new BrokerUnavailableException("Solar Wind is not connected to the broker", null);
        }
        try {
            return call.apply(admin);
        } catch (ActiveMQException e) {
            throw new BrokerUnavailableException(what + " failed at the broker: " + e.getMessage(), e);
        }
    }

    private Connection connect(ActiveMQConnectionFactory f) throws JMSException {
        String user = Setting.BROKER_USER.get();
        String password = Setting.BROKER_PASSWORD.get();
        String[] internal = user.isEmpty() && embedded != null ? embedded.internalCredentials() : null;
        if (internal != null) {
            user = internal[0];
            password = internal[1];
        }
        Connection c = user.isEmpty() ? f.createConnection() : f.createConnection(user, password);
        // Over TCP the client reconnects by itself: the connection is failed from the failure it
        // detects until its reconnection completes (then the exception listener hears FAILOVER).
        c.setExceptionListener(e -> {
            if (ActiveMQConnection.EXCEPTION_FAILOVER.equals(e.getErrorCode())) {
                failed = false;
                LOG.info("Broker connection restored: " + e.getMessage());
                // a reconnection to the other half after a fail-back is reported here, not always as FAILOVER_COMPLETED
                failoverListeners.forEach(Runnable::run);
            } else {
                failed = true;
                LOG.warning("Broker connection failed: " + e);
            }
        });
        if (c instanceof ActiveMQConnection amq) {
            amq.setFailoverListener(event -> {
                switch (event) {
                    case FAILURE_DETECTED, FAILOVER_FAILED -> failed = true;
                    case FAILOVER_COMPLETED -> {
                        failed = false;
                        failoverListeners.forEach(Runnable::run);
                    }
                }
            });
        }
        c.start();
        return c;
    }

    /**
     * Reconnecting forever, backing off to 10 s: over TCP, and in-VM too, where a call the broker
     * did not answer within the call timeout (a commit behind a saturated journal) fails the
     * connection: without reconnecting, the dispatcher found it destroyed until a restart.
     */
    private static ActiveMQConnectionFactory factory(String url) {
        ActiveMQConnectionFactory f = new ActiveMQConnectionFactory(url);
        f.setReconnectAttempts(-1);
        f.setRetryInterval(500);
        f.setRetryIntervalMultiplier(2.0);
        f.setMaxRetryInterval(10_000);
        return f;
    }

    /**
     * Runs {@code listener} each time the connection has failed over or reconnected (to the other
     * half of a pair, or to a restarted broker): what the server learnt from the broker meanwhile
     * may have been missed. It runs on the client's thread: it must not block.
     */
    public void onFailover(Runnable listener) {
        failoverListeners.add(listener);
    }

    /** The broker the connection uses now, as the client sees its address ({@code localhost/127.0.0.1:61616}); "" when not connected. */
    public String connectedTo() {
        Connection c = connection;
        if (c instanceof ActiveMQConnection amq && amq.getSessionFactory() != null && amq.getSessionFactory().getConnection() != null) {
            return String.valueOf(amq.getSessionFactory().getConnection().getRemoteAddress());
        }
        return "";
    }

    /** Whether the connection is open and has not reported a failure. */
    public boolean isHealthy() {
        return connection != null && !failed && admin != null && !admin.isClosed();
    }

    public synchronized void close() {
        try {
            if (transactedConnection != null) {
                transactedConnection.close();
            }
            if (publishConnection != null) {
                publishConnection.close();
            }
            if (pushConnection != null) {
                pushConnection.close();
            }
            if (connection != null) {
                connection.close();
            }
        } catch (JMSException e) {
            LOG.fine("Closing the broker connection: " + e);
        } finally {
            connection = null;
            transactedConnection = null;
            publishConnection = null;
            pushConnection = null;
            adminSession = null;
            admin = null;
            if (factory != null) {
                factory.close();
                factory = null;
            }
            if (transactedFactory != null) {
                transactedFactory.close();
                transactedFactory = null;
            }
            if (publishFactory != null) {
                publishFactory.close();
                publishFactory = null;
            }
            if (pushFactory != null) {
                pushFactory.close();
                pushFactory = null;
            }
        }
    }

    /** A broker administration call on the core session. */
    @FunctionalInterface
    public interface AdminCall<T> {
        T apply(ClientSession session) throws ActiveMQException;
    }
}
