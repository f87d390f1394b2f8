package io.solarwind.handlers.it;

import io.solarwind.handler.Exchange;
import io.solarwind.handler.Purpose;
import jakarta.ejb.MessageDriven;

/** First instance of the direct purpose share. */
@Purpose(topic = Topics.DIRECT, name = "share", exchange = Exchange.DIRECT)
@MessageDriven
public class ShareOne extends RecordingHandler {
}
