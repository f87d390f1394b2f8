package io.solarwind.examples.balances;

import io.solarwind.handler.EventConnection;
import io.solarwind.handler.Idempotent;
import io.solarwind.handler.Purpose;
import io.solarwind.handler.ReceivedEvent;
import io.solarwind.handler.SolarWindEvents;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.sql.SQLException;
import java.util.logging.Logger;

/**
 * The idempotent way, without XA: the handler API records the event in {@code jdbc/balances}
 * (a data source outside JTA) in the local transaction of this work and skips an event it has
 * recorded; {@code balance.changed} goes into the outbox table in the same transaction and is
 * published after the commit.
 */
@Purpose(topic = "payment.booked", name = "balances-idempotent", concurrency = 4, maxAttempts = 30, redeliveryDelayMillis = 500, redeliveryMultiplier = 1.0)
@Idempotent(dataSource = "jdbc/balances")
@MessageDriven
public class BalancesIdempotent implements MessageListener {
    private static final Logger LOG = Logger.getLogger(BalancesIdempotent.class.getName());

    @Inject
    SolarWindEvents events;

    @Override
    public void onMessage(Message message) {
        ReceivedEvent event = ReceivedEvent.of(message);
        Payment payment = event.json(Payment.class);
        BalanceChanged changed;
        try {
            changed = Accounts.book(EventConnection.current(), "idempotent", event.id(), payment);
        } catch (SQLException e) {
            throw new IllegalStateException("Booking event " + event.id() + " failed: " + e.getMessage(), e);
        }
        events.fire("balance.changed", "idempotent:" + event.id(), Accounts.JSON.toJson(changed));
        LOG.fine(() -> "balances-idempotent: " + changed);
    }
}
