package io.solarwind.examples.video;

import io.solarwind.handler.Exchange;
import io.solarwind.handler.Purpose;
import io.solarwind.handler.ReceivedEvent;
import jakarta.ejb.MessageDriven;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.logging.Logger;

/** Writes every upload to the audit log: a fanout purpose, so every running instance sees every event. */
@Purpose(topic = "video.uploaded", name = "audit-log", exchange = Exchange.FANOUT)
@MessageDriven
public class AuditLog implements MessageListener {
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

    @Override
    public void onMessage(Message message) {
        ReceivedEvent event = ReceivedEvent.of(message);
        LOG.info(() -> "audit-log (" + getClass().getSimpleName() + "): " + event + " at " + event.time().orElse(null)
                + ": " + event.text());
    }
}
