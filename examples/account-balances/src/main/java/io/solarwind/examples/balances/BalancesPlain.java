package io.solarwind.examples.balances;

import io.solarwind.handler.Purpose;
import io.solarwind.handler.ReceivedEvent;
import jakarta.annotation.Resource;
import io.solarwind.handler.SolarWindEvents;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * For comparison, the plain way: the work commits on its own ({@code jdbc/balances}, outside
 * JTA, auto-commit), then the event is acknowledged with the {@code balance.changed} it fired.
 * A server that dies between the two books the payment again when the event comes back: at
 * least once (the event fired again has the same id, so Solar Wind dispatches it once, with the
 * balance of the first booking).
 */
@Purpose(topic = "payment.booked", name = "balances-plain", concurrency = 4, maxAttempts = 30, redeliveryDelayMillis = 500, redeliveryMultiplier = 1.0)
@MessageDriven
public class BalancesPlain implements MessageListener {
    @Resource(lookup = "jdbc/balances")
    DataSource db;

    @Inject
    SolarWindEvents events;

    @Override
    public void onMessage(Message message) {
        ReceivedEvent event = ReceivedEvent.of(message);
        Payment payment = event.json(Payment.class);
        BalanceChanged changed;
        try (Connection connection = db.getConnection()) {
            changed = Accounts.book(connection, "plain", event.id(), payment);
        } catch (SQLException e) {
            throw new IllegalStateException("Booking event " + event.id() + " failed: " + e.getMessage(), e);
        }
        events.fire("balance.changed", "plain:" + event.id(), Accounts.JSON.toJson(changed));
    }
}
