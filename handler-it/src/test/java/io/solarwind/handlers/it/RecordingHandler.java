package io.solarwind.handlers.it;

import io.solarwind.handler.ReceivedEvent;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/** Records each event in {@link Collector} under the handler's class. */
public abstract class RecordingHandler implements MessageListener {
    @Override
    public void onMessage(Message message) {
        Collector.record(getClass(), ReceivedEvent.of(message).id());
    }
}
