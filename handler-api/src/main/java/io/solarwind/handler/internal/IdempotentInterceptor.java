package io.solarwind.handler.internal;

import io.solarwind.handler.Idempotent;
import io.solarwind.handler.Purpose;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.jms.Message;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The {@link Idempotent} way: around {@code onMessage} (inside {@link FailedEventInterceptor}),
 * a local transaction on the handler's data source that first records the event and then holds
 * the handler's work and its outbox rows; an event already recorded is skipped.
 */
@Purpose(topic = "", name = "")
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE + 100)
public class IdempotentInterceptor {
    private static final Logger LOG = Logger.getLogger(IdempotentInterceptor.class.getName());
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    /** The event being handled: its connection, and whether it fired events into the outbox. */
    public static final class Scope {
        private final Connection connection;
        private final OutboxPublishers.Publisher publisher;
        private boolean fired;

        Scope(Connection connection, OutboxPublishers.Publisher publisher) {
            this.connection = connection;
            this.publisher = publisher;
        }

        public Connection connection() {
            return connection;
        }

        /** Puts an event into the outbox, in this transaction; published after the commit. */
        public void fire(String topic, String id, String source, String time, String json) {
            try {
                HandledEventTables.insertOutbox(connection, topic, id, source, time, json);
                fired = true;
            } catch (SQLException e) {
                throw new IllegalStateException("Firing " + topic + " event " + id + " into the outbox failed: " + e.getMessage(), e);
            }
        }
    }

    @Inject
    OutboxPublishers publishers;

    /** The scope of the event this thread handles, if an {@link Idempotent} handler runs. */
    public static Optional<Scope> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    @AroundInvoke
    public Object handle(InvocationContext invocation) throws Exception {
        Object[] parameters = invocation.getParameters();
        Class<?> handler = invocation.getTarget().getClass();
        Idempotent idempotent = idempotentOf(handler);
        if (idempotent == null || parameters == null || parameters.length != 1 || !(parameters[0] instanceof Message message)) {
            return invocation.proceed();
        }
        Purpose purpose = FailedEventInterceptor.purposeOf(handler);
        String id = message.getStringProperty("ce_id");
        String source = message.getStringProperty("ce_source");
        if (purpose == null || id == null || source == null) {
            throw new IllegalStateException("An @Idempotent handler got a message without ce_id/ce_source, or without @Purpose: " + message);
        }
        OutboxPublishers.Publisher publisher = publishers.of(idempotent);
        DataSource dataSource = publisher.dataSource();
        Object result;
        boolean fired;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            if (!HandledEventTables.record(connection, purpose.topic(), purpose.name(), source, id)) {
                connection.rollback();
                LOG.info(() -> "Event " + id + " from " + source + " for purpose '" + purpose.name()
                        + "' was handled and committed before (it is delivered again); skipped");
                publisher.wake(); // it may have left outbox rows behind, if its server died after the commit
                return null;
            }
            Scope scope = new Scope(connection, publisher);
            CURRENT.set(scope);
            try {
                result = invocation.proceed();
            } catch (Exception | Error failure) {
                rollback(connection, failure);
                throw failure;
            } finally {
                CURRENT.remove();
            }
            connection.commit();
            fired = scope.fired;
        }
        if (fired) {
            publisher.wake();
        }
        return result;
    }

    private static void rollback(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
            LOG.log(Level.WARNING, "Rolling back an @Idempotent handler's transaction failed", e);
        }
    }

    static Idempotent idempotentOf(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Idempotent i = c.getAnnotation(Idempotent.class);
            if (i != null) {
                return i;
            }
        }
        return null;
    }
}
