package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.application.DestinationConflictException;
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
import org.apache.activemq.artemis.api.core.management.ResourceNames;

/**
 * A direct purpose is a durable queue ({@code solarwind.direct.<topic>.<purpose>}) on its
 * topic's multicast address ({@code solarwind.topic.<topic>}), beside the topic's other direct
 * purposes: the dispatcher sends each event once to that address and the broker stores it once,
 * with a reference per queue (instances consume the queue by its fully qualified name); a direct
 * purpose's filter is its queue's filter, so the broker routes only matching events to it (a
 * fanout purpose's filter is applied by the dispatcher). A fanout purpose is a multicast address
 * (a JMS topic) whose subscribers bring their own non-durable queues, so a copy sent while nobody subscribes is dropped (and none is written to the journal).
 * Each address gets its redelivery policy (address settings, shared through a wildcard match
 * while it is the default: Artemis applies them per address, so a topic's direct purposes share
 * one) and each destination who may consume it (security settings: {@link BrokerRoles#purpose},
 * on the queue's fully qualified name for a direct purpose), through the broker's management
 * address.
 */
@ApplicationScoped
public class JmsPurposeDestinations implements PurposeDestinations {
    private static final Logger LOG = Logger.getLogger(JmsPurposeDestinations.class.getName());
    /** How long reading a queue's filter from its control may take. */
    private static final long FILTER_CALL_MILLIS = 30_000;

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
    public void create(Registration registration, Redelivery addressPolicy) {
        String address = registration.address();
        broker.admin("Creating destination " + registration.destination(), session -> {
            createAddress(session, address);
            if (registration.exchange() == Exchange.DIRECT) {
                // the versions' queues; while the purpose has one version, the same queue as ever
                for (String version : registration.versions().names()) {
                    createQueue(session, registration, version);
                }
            }
            applyRedelivery(session, address, addressPolicy);
            Map<Permission, List<String>> roles = BrokerRoles.purpose(registration);
            for (String destination : destinations(registration)) {
                BrokerManagement.invoke(session, "addSecuritySettings", destination,
                        BrokerRoles.joined(roles, Permission.SEND), BrokerRoles.joined(roles, Permission.CONSUME),
                        BrokerRoles.joined(roles, Permission.CREATE_DURABLE_QUEUE), BrokerRoles.joined(roles, Permission.DELETE_DURABLE_QUEUE),
                        BrokerRoles.joined(roles, Permission.CREATE_NON_DURABLE_QUEUE), BrokerRoles.joined(roles, Permission.DELETE_NON_DURABLE_QUEUE),
                        BrokerRoles.joined(roles, Permission.MANAGE), BrokerRoles.joined(roles, Permission.BROWSE),
                        BrokerRoles.joined(roles, Permission.CREATE_ADDRESS), BrokerRoles.joined(roles, Permission.DELETE_ADDRESS));
            }
            return null;
        });
    }

    /**
     * What a registration's instances consume: a direct purpose's versions' queues, a fanout purpose's topic.
     * A direct purpose's version-1 name always has its settings, even where it has no such version: the broker
     * plugin checks that a handler dead-lettering an event of the purpose may consume that name.
     */
    private static List<String> destinations(Registration registration) {
        if (registration.exchange() != Exchange.DIRECT) {
            return List.of(registration.destination());
        }
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        names.add(registration.versionDestination(io.solarwind.domain.PurposeVersions.DEFAULT));
        registration.versions().names().forEach(v -> names.add(registration.versionDestination(v)));
        return List.copyOf(names);
    }

    /**
     * A multicast address. A direct purpose's queue on its topic's address is multicast too, so
     * the broker routes to it only what is sent as to a JMS topic: an anycast send (as to a JMS
     * queue) to its fully qualified name would be dropped, so the address refuses anycast sends
     * outright.
     */
    private static void createAddress(ClientSession session, String address) throws ActiveMQException {
        try {
            session.createAddress(SimpleString.of(address), RoutingType.MULTICAST, false);
        } catch (ActiveMQAddressExistsException exists) {
            // already there
        }
    }

    /**
     * The direct purpose's durable queue on its topic's address. A queue of that name on another
     * address (the layout before events were stored once per topic: the queue on an address of
     * its own) would never get an event again: it is refused with what to do, unless it is empty
     * and unused, then it is replaced. An existing queue gets the registration's filter (its
     * selector as the queue filter; none: no filter) when it has another one: after two servers
     * registered the purpose at once, the queue has the filter of whichever created it, and the
     * registry heals it to the winning record's.
     */
    private static void createQueue(ClientSession session, Registration registration, String version) throws ActiveMQException {
        SimpleString queue = SimpleString.of(registration.versionQueue(version));
        ClientSession.QueueQuery existing = session.queueQuery(queue);
        // the purpose's filter and, once it has several versions, the version's mark (Registration.queueSelector)
        String selector = registration.queueSelector(version);
        if (existing.isExists() && existing.getAddress().toString().equals(registration.address())) {
            // a queue query reports the filter the queue was created (or last loaded) with, not one set since:
            // the queue's control has the live one. Unfiltered purposes of unfiltered queues (the usual case) skip the call.
            String has = existing.getFilterString() == null || existing.getFilterString().isEmpty() ? null
                    : existing.getFilterString().toString();
            if (selector != null || has != null) {
                Object live = BrokerManagement.call(session, ResourceNames.QUEUE + queue, "getFilter", FILTER_CALL_MILLIS);
                has = live == null || String.valueOf(live).isEmpty() ? null : String.valueOf(live);
            }
            if (!java.util.Objects.equals(selector, has)) {
                // the registration's filter wins (a queue made by a server whose concurrent registration lost);
                // an empty filter string removes the queue's filter
                LOG.info(() -> "Setting the filter of queue " + queue + " to " + (selector == null ? "none" : selector));
                BrokerManagement.invoke(session, "updateQueue", QueueConfiguration.of(queue).setAddress(registration.address())
                        .setRoutingType(RoutingType.MULTICAST).setFilterString(selector == null ? "" : selector).toJSON());
            }
            return;
        }
        if (existing.isExists()) {
            if (existing.getMessageCount() > 0 || existing.getConsumerCount() > 0) {
                throw new DestinationConflictException("queue " + queue + " is bound to address " + existing.getAddress()
                        + " (an earlier Solar Wind layout) and holds " + existing.getMessageCount() + " events with "
                        + existing.getConsumerCount() + " consumers; drain it and delete it, then register "
                        + registration.key() + " again: its queue belongs on address " + registration.address());
            }
            LOG.info(() -> "Moving the empty queue " + queue + " from address " + existing.getAddress() + " to "
                    + registration.address());
            session.deleteQueue(queue);
            if (session.addressQuery(existing.getAddress()).isExists()) { // an auto-created one went with its queue
                BrokerManagement.invoke(session, "deleteAddress", existing.getAddress().toString());
            }
        }
        QueueConfiguration config = QueueConfiguration.of(queue).setAddress(registration.address()).setRoutingType(RoutingType.MULTICAST);
        if (selector != null) {
            // the broker routes to the queue only the events its filter's selector holds for
            config.setFilterString(selector);
        }
        BrokerTopology.createIfMissing(session, config);
    }

    @Override
    public void useAddressPolicy(Registration registration, Redelivery addressPolicy) {
        broker.admin("Setting the redelivery policy of " + registration.address(), session -> {
            applyRedelivery(session, registration.address(), addressPolicy);
            return null;
        });
    }

    /**
     * The policy of every purpose without one of its own: address settings on the matches
     * {@code solarwind.topic.#} (the direct purposes' queues) and {@code solarwind.fanout.#}, so a purpose with the default
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
            BrokerManagement.invoke(session, "addAddressSettings", Registration.TOPIC_ADDRESS_PREFIX + "#", settings);
            BrokerManagement.invoke(session, "addAddressSettings",
                    Registration.DESTINATION_PREFIX + Exchange.FANOUT.wireName() + ".#", settings);
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

    /**
     * Deletes a direct purpose's queue, with the events waiting in it (the topic's address stays
     * for its other direct purposes; its settings go with its last queue), or a fanout purpose's
     * settings (its subscribers take their queues with them; the empty address routes nowhere).
     * A failure is thrown: the registration is deleted only once its queue is gone, since a queue
     * left on the topic's address would go on receiving every event of the topic.
     */
    @Override
    public void remove(Registration registration) {
        String address = registration.address();
        broker.admin("Removing destination " + registration.destination(), session -> {
            boolean lastOnAddress = true;
            if (registration.exchange() == Exchange.DIRECT) {
                for (String name : registration.queues()) {
                    SimpleString queue = SimpleString.of(name);
                    if (session.queueQuery(queue).isExists()) {
                        if (registration.pushes()) {
                            // its consumers are Solar Wind's own push consumers, on every server: closed with it
                            BrokerManagement.invoke(session, "destroyQueue", name, true);
                        } else {
                            session.deleteQueue(queue);
                        }
                    }
                }
                ClientSession.AddressQuery remaining = session.addressQuery(SimpleString.of(address));
                lastOnAddress = !remaining.isExists() || remaining.getQueueNames().isEmpty();
            }
            if (lastOnAddress) {
                Redelivery own = effectiveRedelivery(session, address);
                if (own == null || !own.equals(defaults)) {
                    BrokerManagement.invoke(session, "removeAddressSettings", address);
                }
            }
            for (String destination : destinations(registration)) {
                BrokerManagement.invoke(session, "removeSecuritySettings", destination);
            }
            return null;
        });
    }

    /** A direct purpose's figures are its versions' queues' together. */
    @Override
    public DestinationStatus status(Registration registration) {
        return broker.admin("Reading destination " + registration.destination(), session -> {
            if (registration.exchange() != Exchange.DIRECT) {
                return subscriberStatus(session, registration.address());
            }
            long pending = 0;
            int consumers = 0;
            for (String queue : registration.queues()) {
                DestinationStatus s = queueStatus(session, queue);
                pending += s.pending();
                consumers += s.consumers();
            }
            return new DestinationStatus(pending, consumers);
        });
    }

    @Override
    public Map<String, DestinationStatus> versionStatus(Registration registration) {
        return broker.admin("Reading the versions of " + registration.key(), session -> {
            Map<String, DestinationStatus> byVersion = new java.util.LinkedHashMap<>();
            for (String version : registration.versions().names()) {
                byVersion.put(version, registration.exchange() == Exchange.DIRECT
                        ? queueStatus(session, registration.versionQueue(version))
                        : new DestinationStatus(0, 0));
            }
            return byVersion;
        });
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
