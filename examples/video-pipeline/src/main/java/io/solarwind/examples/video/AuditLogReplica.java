package io.solarwind.examples.video;

import io.solarwind.handler.Exchange;
import io.solarwind.handler.Purpose;
import jakarta.ejb.MessageDriven;

/** A second instance of the audit log (say, the copy kept in another data centre): it gets every event too. */
@Purpose(topic = "video.uploaded", name = "audit-log", exchange = Exchange.FANOUT)
@MessageDriven
public class AuditLogReplica extends AuditLog {
}
