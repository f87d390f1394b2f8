package io.solarwind.handler;

import io.solarwind.handler.internal.IdempotentInterceptor;
import java.sql.Connection;

/**
 * The database connection of the event being handled by an {@link Idempotent} handler: its
 * local transaction holds the record that the event was handled, and commits together with
 * whatever the handler does on it. Do not commit, roll back or close it: the handler API
 * commits when {@code onMessage} returns and rolls back when it throws.
 */
public final class EventConnection {
    private EventConnection() {
    }

    /** The connection, only inside {@code onMessage} of an {@link Idempotent} handler. */
    public static Connection current() {
        return IdempotentInterceptor.current()
                .orElseThrow(() -> new IllegalStateException("EventConnection.current() is only there inside onMessage of an @Idempotent @Purpose handler"))
                .connection();
    }
}
