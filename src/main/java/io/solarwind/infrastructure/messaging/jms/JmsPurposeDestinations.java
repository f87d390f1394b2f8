package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.application.PurposeDestinations;
import io.solarwind.config.Setting;
import io.solarwind.domain.Exchange;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.solarwind.infrastructure.messaging.BrokerRoles;
import io.solarwind.infrastructure.messaging.BrokerRoles.Permission;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.StringReader;
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
 * the purpose's redelivery policy (address settings, shared through a wildcard match while it is
 * the default) and who may consume it (security settings:
 * {@link BrokerRoles#purpose}) through the broker's management address.
 */
@ApplicationScoped
public class JmsPurposeDestinations implements PurposeDestinations {
    private static final Logger LOG = Logger.getLogger(JmsPurposeDestinations.class.getName());

    private BrokerConnection broker;
    /** The policy the wildcard matches give, once {@link #useDefaultRedelivery} has set it. */
    private volatile Redelivery defaults;

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
            applyRedelivery(session, name, registration.redelivery());
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
     * The policy of every purpose without one of its own: address settings on the matches
     * {@code solarwind.direct.#} and {@code solarwind.fanout.#}, so a purpose with the default
     * policy needs no settings entry. (Artemis re-reads the settings of every address at each
     * change of its address settings: one entry per purpose made registering the n-th purpose
     * cost O(n).)
     */
    @Override
    public void useDefaultRedelivery(Redelivery policy) {
        String settings = redeliverySettings(policy)
                .add("initialQueueBufferSize", Setting.PURPOSE_QUEUE_BUFFER.getInt())
                .build().toString();
        broker.admin("Setting the default redelivery policy", session -> {
            for (Exchange exchange : Exchange.values()) {
                BrokerManagement.invoke(session, "addAddressSettings", Registration.DESTINATION_PREFIX + exchange.wireName() + ".#", settings);
            }
            return null;
        });
        defaults = policy;
    }

    /**
     * Gives a destination its policy: when the broker's settings for it already have that policy
     * (the default through the wildcard match, or its own entry from an earlier registration),
     * nothing changes; a purpose back to the default policy loses its own entry.
     */
    private void applyRedelivery(ClientSession session, String name, Redelivery policy) throws ActiveMQException {
        Redelivery effective = effectiveRedelivery(session, name);
        if (policy.equals(effective)) {
            return;
        }
        if (policy.equals(defaults)) {
            BrokerManagement.invoke(session, "removeAddressSettings", name);
            if (policy.equals(effectiveRedelivery(session, name))) {
                return;
            }
        }
        BrokerManagement.invoke(session, "addAddressSettings", name, redeliverySettings(policy).build().toString());
    }

    /** The redelivery policy the broker applies to a destination now (its settings merged over the matches). */
    private static Redelivery effectiveRedelivery(ClientSession session, String name) throws ActiveMQException {
        Object json = BrokerManagement.invoke(session, "getAddressSettingsAsJSON", name);
        try (JsonReader reader = Json.createReader(new StringReader(String.valueOf(json)))) {
            JsonObject s = reader.readObject();
            return new Redelivery(s.getInt("maxDeliveryAttempts"), s.getJsonNumber("redeliveryDelay").longValue(),
                    s.getJsonNumber("redeliveryMultiplier").doubleValue(), s.getJsonNumber("maxRedeliveryDelay").longValue());
        } catch (RuntimeException e) {
            return null; // unreadable or incomplete: set it
        }
    }

    /**
     * The purpose's redelivery policy as Artemis address settings of its destination (the
     * broker merges them over the {@code #} settings, dead-letter address included).
     */
    static JsonObjectBuilder redeliverySettings(Redelivery r) {
        return Json.createObjectBuilder()
                .add("maxDeliveryAttempts", r.maxAttempts())
                .add("redeliveryDelay", r.delayMillis())
                .add("redeliveryMultiplier", r.multiplier())
                .add("maxRedeliveryDelay", r.maxDelayMillis());
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
                Redelivery own = effectiveRedelivery(session, name);
                if (own == null || !own.equals(defaults)) {
                    BrokerManagement.invoke(session, "removeAddressSettings", name);
                }
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
