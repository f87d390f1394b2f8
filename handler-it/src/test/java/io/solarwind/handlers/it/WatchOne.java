package io.solarwind.handlers.it;

import io.solarwind.handler.Exchange;
import io.solarwind.handler.Purpose;
import jakarta.ejb.MessageDriven;

/** First instance of the fanout purpose watch. */
@Purpose(topic = Topics.FANOUT, name = "watch", exchange = Exchange.FANOUT)
@MessageDriven
public class WatchOne extends RecordingHandler {
}
