package io.solarwind.handler.internal;

import io.solarwind.handler.HandlerSetting;
import io.solarwind.handler.Idempotent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * One outbox publisher per {@link Idempotent} data source of the application: a thread that
 * sends the committed rows of {@code solarwind_outbox} to Solar Wind's inbound topic (outside
 * any transaction, each send acknowledged by the broker) and then deletes them. It runs when a
 * handler fired events, and every two seconds anyway (rows left by a server that died between
 * its commit and the publishing are sent by the next publisher to look, in this or another
 * server). A row sent twice that way has the same {@code ce_id} and {@code ce_source} and is
 * dropped by Solar Wind's duplicate detection. Once a minute it deletes handled-event records
 * older than the retention.
 */
@ApplicationScoped
public class OutboxPublishers {
    private static final Logger LOG = Logger.getLogger(OutboxPublishers.class.getName());
    private static final int BATCH = 500;
    private static final long IDLE_MILLIS = 2000;
    private static final long EXPIRY_MILLIS = 60_000;

    private final Map<String, Publisher> publishers = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    @Inject
    IdempotentHandlers handlers;

    /** The application started: publishers for every @Idempotent data source, to send what a crash left behind. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        for (Idempotent idempotent : handlers.declared()) {
            try {
                of(idempotent);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The outbox publisher of " + idempotent.dataSource()
                        + " did not start with the application; it starts with the first event handled", e);
            }
        }
    }

    /** The application stops: before the resource adapter goes. */
    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        stopping = true;
        publishers.values().forEach(Publisher::stop);
    }

    Publisher of(Idempotent idempotent) {
        return publishers.computeIfAbsent(idempotent.dataSource(), name -> new Publisher(name, idempotent.retentionDays()));
    }

    /** The publisher of one data source. */
    final class Publisher implements Runnable {
        private final String name;
        private final int retentionDays;
        private final DataSource dataSource;
        private final ConnectionFactory connectionFactory;
        private final Thread thread;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition work = lock.newCondition();
        private boolean woken;
        private long expired;

        Publisher(String name, int retentionDays) {
            this.name = name;
            this.retentionDays = retentionDays;
            try {
                InitialContext context = new InitialContext();
                dataSource = (DataSource) context.lookup(name);
                connectionFactory = (ConnectionFactory) context.lookup(HandlerSetting.CONNECTION_FACTORY.get());
            } catch (NamingException e) {
                throw new IllegalStateException("@Idempotent(dataSource = \"" + name + "\"): no data source or no "
                        + HandlerSetting.CONNECTION_FACTORY.get() + " connection factory: " + e.getMessage(), e);
            }
            try (Connection connection = dataSource.getConnection()) {
                HandledEventTables.create(connection);
            } catch (SQLException e) {
                throw new IllegalStateException("Creating the tables " + HandledEventTables.HANDLED + " and " + HandledEventTables.OUTBOX
                        + " in " + name + " failed (create them yourself: docs/handlers.md): " + e.getMessage(), e);
            }
            thread = new Thread(this, "solarwind-outbox " + name);
            thread.setDaemon(true);
            thread.start();
        }

        DataSource dataSource() {
            return dataSource;
        }

        void wake() {
            lock.lock();
            try {
                woken = true;
                work.signal();
            } finally {
                lock.unlock();
            }
        }

        void stop() {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            long failures = 0;
            while (!stopping) {
                try {
                    while (publishOnce() == BATCH && !stopping) {
                        // a full batch: more may wait
                    }
                    if (System.currentTimeMillis() - expired > EXPIRY_MILLIS) {
                        expire();
                    }
                    failures = 0;
                    awaitWork(IDLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (stopping) {
                        return;
                    }
                    // the broker or the database is away: try again, less often
                    failures++;
                    LOG.log(failures == 1 ? Level.WARNING : Level.FINE, "Publishing the outbox of " + name + " failed; trying again", e);
                    try {
                        awaitWork(Math.min(30_000, 500 * failures));
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }

        private void awaitWork(long millis) throws InterruptedException {
            lock.lock();
            try {
                if (!woken) {
                    work.await(millis, TimeUnit.MILLISECONDS);
                }
                woken = false;
            } finally {
                lock.unlock();
            }
        }

        /** Sends up to one batch of outbox rows, then deletes them; returns how many. */
        private int publishOnce() throws SQLException {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                List<HandledEventTables.Row> rows = HandledEventTables.outbox(connection, BATCH);
                if (rows.isEmpty()) {
                    return 0;
                }
                try (JMSContext context = connectionFactory.createContext()) {
                    JMSProducer producer = context.createProducer();
                    for (HandledEventTables.Row row : rows) {
                        EventMessage.send(context, producer, row.topic(), row.id(), row.source(), row.time(), row.data());
                    }
                }
                HandledEventTables.deleteOutbox(connection, rows);
                return rows.size();
            }
        }

        private void expire() throws SQLException {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                int deleted = HandledEventTables.expire(connection, retentionDays);
                if (deleted > 0) {
                    LOG.fine(() -> "Deleted " + deleted + " handled-event records older than " + retentionDays + " days from " + name);
                }
            }
            expired = System.currentTimeMillis();
        }
    }
}
