package io.solarwind.examples.balances;

import io.solarwind.handler.Purpose;
import io.solarwind.handler.ReceivedEvent;
import io.solarwind.handler.SolarWindEvents;
import jakarta.annotation.Resource;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The XA way: the container's JTA transaction holds the event's acknowledgement (the resource
 * adapter's XA session), the work on the XA data source {@code jdbc/balances-xa} and the
 * {@code balance.changed} event sent through {@link SolarWindEvents}; Liberty commits all three
 * with two-phase commit, or none.
 */
@Purpose(topic = "payment.booked", name = "balances-xa", concurrency = 4, maxAttempts = 30, redeliveryDelayMillis = 500, redeliveryMultiplier = 1.0)
@MessageDriven
public class BalancesXa implements MessageListener {
    private static final Logger LOG = Logger.getLogger(BalancesXa.class.getName());

    @Resource(lookup = "jdbc/balances-xa")
    DataSource db;

    @Inject
    SolarWindEvents events;

    @Override
    public void onMessage(Message message) {
        ReceivedEvent event = ReceivedEvent.of(message);
        Payment payment = event.json(Payment.class);
        BalanceChanged changed;
        try (Connection connection = db.getConnection()) {
            changed = Accounts.book(connection, "xa", event.id(), payment);
        } catch (SQLException e) {
            throw new IllegalStateException("Booking event " + event.id() + " failed: " + e.getMessage(), e);
        }
        events.fire("balance.changed", "xa:" + event.id(), Accounts.JSON.toJson(changed));
        LOG.fine(() -> "balances-xa: " + changed);
    }
}
