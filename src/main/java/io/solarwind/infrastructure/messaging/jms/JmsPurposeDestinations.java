package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.application.PurposeDestinations;
import io.solarwind.domain.Exchange;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.solarwind.infrastructure.messaging.BrokerRoles;
import io.solarwind.infrastructure.messaging.BrokerRoles.Permission;
import jakarta.json.Json;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.ActiveMQAddressExistsException;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientSession;

/**
 * A direct purpose is a durable anycast queue (a JMS queue) of the destination's name;
 * a fanout purpose is a multicast address (a JMS topic) whose subscribers bring their own
 * non-durable queues, so a copy sent while nobody subscribes is dropped. Each destination gets
 * the purpose's redelivery policy (address settings) and who may consume it (security settings:
 * {@link BrokerRoles#purpose}) through the broker's management address.
 */
@ApplicationScoped
public class JmsPurposeDestinations implements PurposeDestinations {
    private static final Logger LOG = Logger.getLogger(JmsPurposeDestinations.class.getName());

    private BrokerConnection broker;

    protected JmsPurposeDestinations() {
    }

    @Inject
    public JmsPurposeDestinations(BrokerConnection broker) {
        this.broker = broker;
    }

    @Override
    public void create(Registration registration) {
        String name = registration.destination();
        broker.admin("Creating destination " + name, session -> {
            if (registration.exchange() == Exchange.DIRECT) {
                BrokerTopology.createIfMissing(session, QueueConfiguration.of(name)
                        .setAddress(name).setRoutingType(RoutingType.ANYCAST));
            } else {
                try {
                    session.createAddress(SimpleString.of(name), RoutingType.MULTICAST, false);
                } catch (ActiveMQAddressExistsException exists) {
                    // already there
                }
            }
            BrokerManagement.invoke(session, "addAddressSettings", name, redeliverySettings(registration.redelivery()));
            Map<Permission, List<String>> roles = BrokerRoles.purpose(registration);
            BrokerManagement.invoke(session, "addSecuritySettings", name,
                    BrokerRoles.joined(roles, Permission.SEND), BrokerRoles.joined(roles, Permission.CONSUME),
                    BrokerRoles.joined(roles, Permission.CREATE_DURABLE_QUEUE), BrokerRoles.joined(roles, Permission.DELETE_DURABLE_QUEUE),
                    BrokerRoles.joined(roles, Permission.CREATE_NON_DURABLE_QUEUE), BrokerRoles.joined(roles, Permission.DELETE_NON_DURABLE_QUEUE),
                    BrokerRoles.joined(roles, Permission.MANAGE), BrokerRoles.joined(roles, Permission.BROWSE),
                    BrokerRoles.joined(roles, Permission.CREATE_ADDRESS), BrokerRoles.joined(roles, Permission.DELETE_ADDRESS));
            return null;
        });
    }

    /**
     * The purpose's redelivery policy as Artemis address settings of its destination (the
     * broker merges them over the {@code #} settings, dead-letter address included).
     */
    static String redeliverySettings(Redelivery r) {
        return Json.createObjectBuilder()
                .add("maxDeliveryAttempts", r.maxAttempts())
                .add("redeliveryDelay", r.delayMillis())
                .add("redeliveryMultiplier", r.multiplier())
                .add("maxRedeliveryDelay", r.maxDelayMillis())
                .build().toString();
    }

    @Override
    public void remove(Registration registration) {
        // a fanout purpose's subscribers take their queues with them; the empty address routes nowhere
        String name = registration.destination();
        try {
            broker.admin("Removing destination " + name, session -> {
                if (registration.exchange() == Exchange.DIRECT && session.queueQuery(SimpleString.of(name)).isExists()) {
                    session.deleteQueue(name);
                }
                BrokerManagement.invoke(session, "removeAddressSettings", name);
                BrokerManagement.invoke(session, "removeSecuritySettings", name);
                return null;
            });
        } catch (BrokerUnavailableException e) {
            LOG.warning("Purpose " + registration.key() + " is unregistered, but its destination " + name
                    + " stays: " + e.getMessage());
        }
    }

    @Override
    public DestinationStatus status(Registration registration) {
        String name = registration.destination();
        return broker.admin("Reading destination " + name, session -> registration.exchange() == Exchange.DIRECT
                ? queueStatus(session, name)
                : subscriberStatus(session, name));
    }

    private static DestinationStatus queueStatus(ClientSession session, String name) throws ActiveMQException {
        ClientSession.QueueQuery q = session.queueQuery(SimpleString.of(name));
        return q.isExists() ? new DestinationStatus(q.getMessageCount(), q.getConsumerCount()) : new DestinationStatus(0, 0);
    }

    /** Each JMS subscriber of a fanout purpose has its own queue on the address. */
    private static DestinationStatus subscriberStatus(ClientSession session, String name) throws ActiveMQException {
        ClientSession.AddressQuery address = session.addressQuery(SimpleString.of(name));
        int consumers = 0;
        if (address.isExists()) {
            for (SimpleString queue : address.getQueueNames()) {
                consumers += session.queueQuery(queue).getConsumerCount();
            }
        }
        return new DestinationStatus(0, consumers);
    }
}
