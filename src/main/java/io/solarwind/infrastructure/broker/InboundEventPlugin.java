package io.solarwind.infrastructure.broker;

import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;

/**
 * Runs in the broker before a message sent to {@code solarwind.inbound} is routed:
 * fills in a missing {@code ce_id}, {@code ce_source}, {@code ce_specversion} and
 * {@code ce_time}, and sets Artemis's duplicate detection key from
 * {@code ce_source} + {@code ce_id}. The broker then drops a second copy of the
 * same event before it is stored, whichever client published it.
 *
 * <p>In a standalone broker: put the {@code solarwind-broker} jar in the broker's
 * {@code lib/} and name this class in {@code <broker-plugins>} (see {@code artemis/broker.xml}).
 */
public class InboundEventPlugin implements ActiveMQServerPlugin {
    private static final SimpleString INBOUND = SimpleString.of(BrokerNames.INBOUND);

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                           boolean noAutoCreateQueue) {
        if (INBOUND.equals(message.getAddressSimpleString())) {
            CloudEventProperties.applyInboundDefaults(
                    name -> {
                        Object value = message.getObjectProperty(name);
                        return value == null ? null : value.toString();
                    },
                    message::putStringProperty);
        }
    }
}
