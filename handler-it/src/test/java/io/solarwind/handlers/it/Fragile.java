package io.solarwind.handlers.it;

import io.solarwind.handler.Purpose;
import io.solarwind.handler.ReceivedEvent;
import jakarta.ejb.MessageDriven;
import jakarta.jms.Message;

/** Fails on every event whose data says {@code poison} until it is healed; records every attempt. */
@Purpose(topic = Topics.FAILING, name = "fragile", maxAttempts = 3, redeliveryDelayMillis = 200, redeliveryMultiplier = 2)
@MessageDriven
public class Fragile extends RecordingHandler {
    /** Set by a test to stand for a fixed handler. */
    static volatile boolean healed;
    /** When each poisoned delivery came (System.nanoTime), to check the redelivery delays. */
    static final java.util.List<Long> poisonedAt = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void onMessage(Message message) {
        super.onMessage(message);
        ReceivedEvent event = ReceivedEvent.of(message);
        if (healed) {
            Collector.record("healed", event.id());
            return;
        }
        if (event.text().contains("poison")) {
            poisonedAt.add(System.nanoTime());
            throw new IllegalStateException("fragile cannot digest " + event.id());
        }
    }
}
