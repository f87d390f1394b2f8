package io.solarwind.handlers.it;

import io.solarwind.handler.Exchange;
import io.solarwind.handler.Purpose;
import jakarta.ejb.MessageDriven;

/** Declares clash as fanout; the test registers it as direct first. */
@Purpose(topic = Topics.CONFLICT, name = "clash", exchange = Exchange.FANOUT)
@MessageDriven
public class Clash extends RecordingHandler {
}
