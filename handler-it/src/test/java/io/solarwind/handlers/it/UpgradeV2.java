package io.solarwind.handlers.it;

import io.solarwind.handler.Purpose;
import jakarta.ejb.MessageDriven;

/** The purpose upgrade's next version: its own queue, events once Solar Wind is cut over to it. */
@Purpose(topic = Topics.VERSIONED, name = "upgrade", version = "2")
@MessageDriven
public class UpgradeV2 extends RecordingHandler {
}
