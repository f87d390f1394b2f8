package io.solarwind.infrastructure.broker;

import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.utils.CompositeAddress;
import java.util.regex.Pattern;

/**
 * Runs in the broker before a message sent to {@code solarwind.inbound} (or straight to the
 * dispatcher's queue on it, by its fully qualified name) is routed:
 *
 * <ul>
 * <li>An event gets its missing {@code ce_id}, {@code ce_source}, {@code ce_specversion} and
 * {@code ce_time}, and Artemis's duplicate detection key from {@code ce_source} + {@code ce_id}.
 * An AMQP publisher's attributes in the CloudEvents AMQP binding's form ({@code cloudEvents_type}
 * or {@code cloudEvents:type}, the {@code content-type}) are taken as {@code ce_*} first; and every
 * event gets its attributes in that form too ({@code cloudEvents_*}), with its data described so
 * that an AMQP consumer gets it in a Data section with its {@code content-type} (docs/amqp.md).
 * The broker then drops a second copy of the same event before it is stored, whichever client
 * published it.</li>
 * <li>A registry change for the dispatcher (a message with {@value BrokerNames#CONTROL_PROPERTY})
 * is refused unless its sender may {@code manage} {@code solarwind.inbound}, which only Solar
 * Wind's servers and administrators may: a publisher, who may send events there, cannot forge one.</li>
 * <li>An event loses any dead-letter property ({@link BrokerNames#DEAD_LETTER_PROPERTIES}): were it
 * dead-lettered later, it could otherwise pass for another purpose's dead letter.</li>
 * <li>The mark {@value BrokerNames#VIA_PROPERTY} (an event published over HTTP, for the metrics) is
 * removed from events of senders who may not {@code manage} {@code solarwind.inbound}.</li>
 * </ul>
 *
 * <p>And before a client's message to the dead-letter address {@code DLA} is routed (the broker's
 * own moves there, after a queue's last delivery attempt, are no client's sends and pass): a sender
 * that may not {@code manage} {@code DLA} (anyone but Solar Wind's servers and administrators, in
 * practice a handler service dead-lettering a failed event with its reason) must name the
 * purpose ({@code solarwind_topic}, {@code solarwind_purpose}) and may name only one whose
 * destination it may consume, and may not set the broker's origin properties
 * ({@code _AMQ_ORIG_QUEUE}, ...). So a dead letter's purpose is one its handler could have failed
 * in, and an administrator's retry never delivers a forged letter into another purpose.
 *
 * <p>In a standalone broker: put the {@code solarwind-broker} jar in the broker's
 * {@code lib/} and name this class in {@code <broker-plugins>} (see {@code artemis/broker.xml}).
 */
public class InboundEventPlugin implements ActiveMQServerPlugin {
    private static final SimpleString INBOUND = SimpleString.of(BrokerNames.INBOUND);
    private static final SimpleString CONTROL = SimpleString.of(BrokerNames.CONTROL_PROPERTY);
    private static final SimpleString DEAD_LETTER = SimpleString.of(BrokerNames.DEAD_LETTER);
    private static final SimpleString TOPIC = SimpleString.of(BrokerNames.DEAD_LETTER_TOPIC_PROPERTY);
    private static final SimpleString PURPOSE = SimpleString.of(BrokerNames.DEAD_LETTER_PURPOSE_PROPERTY);
    /** A topic and a purpose as Solar Wind's names allow them; no wildcard, no '::', nothing for a match to expand. */
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern PURPOSE_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final SimpleString VIA = SimpleString.of(BrokerNames.VIA_PROPERTY);
    /** Made once: the inbound path strips them from every event. */
    private static final java.util.List<SimpleString> DEAD_LETTER_PROPERTIES =
            BrokerNames.DEAD_LETTER_PROPERTIES.stream().map(SimpleString::of).toList();
    private static final java.util.List<SimpleString> BROKER_ORIGIN_PROPERTIES =
            BrokerNames.BROKER_ORIGIN_PROPERTIES.stream().map(SimpleString::of).toList();

    /** What Artemis's AMQP converter reads (AMQPMessageSupport: JMS_AMQP_CONTENT_TYPE, JMS_AMQP_ORIGINAL_ENCODING, AMQP_DATA). */
    static final String AMQP_CONTENT_TYPE = "JMS_AMQP_ContentType";
    static final String AMQP_ORIGINAL_ENCODING = "JMS_AMQP_ORIGINAL_ENCODING";
    static final short AMQP_DATA = 2;

    private volatile ActiveMQServer server;

    @Override
    public void registered(ActiveMQServer server) {
        this.server = server;
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                           boolean noAutoCreateQueue) throws ActiveMQException {
        SimpleString address = message.getAddressSimpleString();
        if (address == null) {
            return;
        }
        SimpleString addressName = CompositeAddress.extractAddressName(address);
        if (DEAD_LETTER.equals(addressName)) {
            checkDeadLetter(session, message);
            return;
        }
        if (!INBOUND.equals(addressName)) {
            return;
        }
        if (message.containsProperty(CONTROL)) {
            requireManage(session);
            return;
        }
        for (SimpleString property : DEAD_LETTER_PROPERTIES) {
            message.removeProperty(property);
        }
        if (message.containsProperty(VIA) && !mayManage(session)) {
            message.removeProperty(VIA); // only a Solar Wind server says an event came over HTTP
        }
        boolean amqp = !(message instanceof ICoreMessage);
        java.util.function.BiConsumer<String, String> put = amqp ? AmqpInbound.putter(message) : message::putStringProperty;
        CloudEventProperties.fromAmqpBinding(names(message), amqp ? AmqpInbound.contentType(message) : null,
                message::getObjectProperty, put, message::removeProperty);
        CloudEventProperties.applyInboundDefaults(
                name -> {
                    Object value = message.getObjectProperty(name);
                    return value == null ? null : value.toString();
                },
                put);
        CloudEventProperties.toAmqpBinding(names(message), message::getObjectProperty, put);
        if (amqp) {
            message.reencode(); // an AMQP message's property changes are in memory only until it is encoded again
        } else {
            describeDataForAmqp((ICoreMessage) message);
        }
    }

    /**
     * A JMS event's data as the CloudEvents AMQP binding has it, for AMQP instances: Artemis gives an
     * AMQP consumer a text message's body as a Data section (not an AmqpValue string) when the message
     * says its original encoding was one, and the AMQP {@code content-type} from
     * {@value #AMQP_CONTENT_TYPE}; a bytes message is a Data section anyway. Only for an event with a
     * {@code ce_datacontenttype}: without one, text stays an AmqpValue string. (An AMQP publisher's
     * event carries both already, from Artemis's conversion.)
     */
    private static void describeDataForAmqp(ICoreMessage message) {
        Object contentType = message.getObjectProperty(CloudEventProperties.DATACONTENTTYPE);
        byte type = message.getType();
        if (contentType == null || (type != Message.TEXT_TYPE && type != Message.BYTES_TYPE)) {
            return;
        }
        message.putStringProperty(AMQP_CONTENT_TYPE, contentType.toString());
        if (type == Message.TEXT_TYPE) {
            message.putShortProperty(AMQP_ORIGINAL_ENCODING, AMQP_DATA);
        }
    }

    private static java.util.List<String> names(Message message) {
        return message.getPropertyNames().stream().map(SimpleString::toString).toList();
    }

    /** A client's dead letter names a purpose its sender may consume, and no broker-set origin. */
    private void checkDeadLetter(ServerSession session, Message message) throws ActiveMQException {
        ActiveMQServer broker = server;
        if (session == null || broker == null || !broker.getConfiguration().isSecurityEnabled() || may(broker, session, DEAD_LETTER, null, CheckType.MANAGE)) {
            return; // a Solar Wind server (the dispatcher's own dead letters) or an administrator
        }
        for (SimpleString origin : BROKER_ORIGIN_PROPERTIES) {
            if (message.containsProperty(origin)) {
                throw new ActiveMQSecurityException("user " + session.getUsername() + " may not set " + origin + " on a message to "
                        + BrokerNames.DEAD_LETTER + ": only the broker says which queue a dead letter came from");
            }
        }
        Object topic = message.getObjectProperty(TOPIC);
        Object purpose = message.getObjectProperty(PURPOSE);
        if (topic == null || purpose == null || !TOPIC_NAME.matcher(topic.toString()).matches()
                || !PURPOSE_NAME.matcher(purpose.toString()).matches()) {
            throw new ActiveMQSecurityException("user " + session.getUsername() + " sent a message to " + BrokerNames.DEAD_LETTER
                    + " without a valid " + TOPIC + " and " + PURPOSE + ": a handler dead-letters an event of its own purpose only");
        }
        String t = topic.toString();
        String p = purpose.toString();
        boolean consumesDirect = may(broker, session, SimpleString.of(BrokerNames.topicAddress(t)),
                SimpleString.of(BrokerNames.directQueue(t, p)), CheckType.CONSUME);
        if (!consumesDirect && !may(broker, session, SimpleString.of(BrokerNames.fanoutAddress(t, p)), null, CheckType.CONSUME)) {
            throw new ActiveMQSecurityException("user " + session.getUsername() + " may not dead-letter an event of purpose '" + p
                    + "' on topic '" + t + "': it may not consume that purpose's destination");
        }
    }

    private static boolean may(ActiveMQServer broker, ServerSession session, SimpleString address, SimpleString queue, CheckType type) {
        try {
            if (queue == null) {
                broker.getSecurityStore().check(address, type, session);
            } else {
                broker.getSecurityStore().check(address, queue, type, session);
            }
            return true;
        } catch (Exception e) {
            return false;
        }
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
