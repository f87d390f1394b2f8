package io.solarwind.handlers.it;

import io.solarwind.handler.Purpose;
import jakarta.ejb.MessageDriven;

/** The purpose upgrade as it was: no version declared, so version 1. */
@Purpose(topic = Topics.VERSIONED, name = "upgrade")
@MessageDriven
public class UpgradeV1 extends RecordingHandler {
}
