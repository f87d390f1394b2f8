package io.solarwind.infrastructure.broker;

import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.utils.CompositeAddress;

/**
 * Runs in the broker before a message sent to {@code solarwind.inbound} (or straight to the
 * dispatcher's queue on it, by its fully qualified name) is routed:
 *
 * <ul>
 * <li>An event gets its missing {@code ce_id}, {@code ce_source}, {@code ce_specversion} and
 * {@code ce_time}, and Artemis's duplicate detection key from {@code ce_source} + {@code ce_id}.
 * The broker then drops a second copy of the same event before it is stored, whichever client
 * published it.</li>
 * <li>A registry change for the dispatcher (a message with {@value BrokerNames#CONTROL_PROPERTY})
 * is refused unless its sender may {@code manage} {@code solarwind.inbound}, which only Solar
 * Wind's servers and administrators may: a publisher, who may send events there, cannot forge one.</li>
 * <li>The mark {@value BrokerNames#VIA_PROPERTY} (an event published over HTTP, for the metrics) is
 * removed from events of senders who may not {@code manage} {@code solarwind.inbound}.</li>
 * </ul>
 *
 * <p>In a standalone broker: put the {@code solarwind-broker} jar in the broker's
 * {@code lib/} and name this class in {@code <broker-plugins>} (see {@code artemis/broker.xml}).
 */
public class InboundEventPlugin implements ActiveMQServerPlugin {
    private static final SimpleString INBOUND = SimpleString.of(BrokerNames.INBOUND);
    private static final SimpleString CONTROL = SimpleString.of(BrokerNames.CONTROL_PROPERTY);
    private static final SimpleString VIA = SimpleString.of(BrokerNames.VIA_PROPERTY);

    private volatile ActiveMQServer server;

    @Override
    public void registered(ActiveMQServer server) {
        this.server = server;
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                           boolean noAutoCreateQueue) throws ActiveMQException {
        SimpleString address = message.getAddressSimpleString();
        if (address == null || !INBOUND.equals(CompositeAddress.extractAddressName(address))) {
            return;
        }
        if (message.containsProperty(CONTROL)) {
            requireManage(session);
            return;
        }
        if (message.containsProperty(VIA) && !mayManage(session)) {
            message.removeProperty(VIA); // only a Solar Wind server says an event came over HTTP
        }
        CloudEventProperties.applyInboundDefaults(
                name -> {
                    Object value = message.getObjectProperty(name);
                    return value == null ? null : value.toString();
                },
                message::putStringProperty);
    }

    private boolean mayManage(ServerSession session) {
        ActiveMQServer broker = server;
        if (broker == null || session == null) {
            return false;
        }
        try {
            broker.getSecurityStore().check(INBOUND, CheckType.MANAGE, session);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void requireManage(ServerSession session) throws ActiveMQException {
        ActiveMQServer broker = server;
        if (broker == null || session == null) {
            throw new ActiveMQSecurityException("a registry change for the dispatcher can only come from a Solar Wind server");
        }
        try {
            broker.getSecurityStore().check(INBOUND, CheckType.MANAGE, session);
        } catch (ActiveMQException e) {
            throw new ActiveMQSecurityException("user " + session.getUsername() + " may not send registry changes to "
                    + BrokerNames.INBOUND + " (it needs the manage permission there, which only Solar Wind's servers have): "
                    + e.getMessage());
        } catch (Exception e) {
            throw new ActiveMQSecurityException("checking the sender of a registry change failed: " + e);
        }
    }
}
