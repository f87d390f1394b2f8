package io.solarwind.infrastructure.messaging;

import io.solarwind.domain.Exchange;
import io.solarwind.domain.Registration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Who may do what on the broker (Artemis security settings). Users and their roles live in
 * the broker's user store (Artemis properties files, LDAP, ...); these are the roles Solar
 * Wind's addresses grant:
 *
 * <ul>
 *   <li>{@value #SERVER}: the Solar Wind server itself (the dispatcher, the admin API): everything;
 *       the only role that may send to a purpose's destination;</li>
 *   <li>{@value #ADMIN}: operators and their tools: everything on every address except sending to
 *       a purpose's destination (that is the dispatcher's alone);</li>
 *   <li>{@value #PUBLISHER}: send to {@code solarwind.inbound}, nothing else;</li>
 *   <li>{@value #HANDLER}: a handler service: send to {@code solarwind.inbound} (firing events)
 *       and to {@code DLA} (dead-lettering a failed event with its reason), where the broker plugin
 *       ({@code InboundEventPlugin}) takes only a letter naming a purpose the sender may consume and
 *       no broker-set origin ({@code _AMQ_ORIG_*});</li>
 *   <li>{@code solarwind-handler.<topic>.<purpose>}: consume that purpose's destination, and only
 *       that one ({@link #handlerOf}): for a direct purpose the settings are on its queue's fully
 *       qualified name, since its queue shares the topic's address ({@code solarwind.topic.<topic>},
 *       where only the server sends) with the topic's other direct purposes;</li>
 *   <li>{@value #HANDLER_ALL}: consume every purpose's destination (development, trusted services).</li>
 * </ul>
 */
public final class BrokerRoles {
    public static final String SERVER = "solarwind-server";
    public static final String ADMIN = "solarwind-admin";
    public static final String PUBLISHER = "solarwind-publisher";
    public static final String HANDLER = "solarwind-handler";
    public static final String HANDLER_ALL = "solarwind-handler-all";

    private BrokerRoles() {
    }

    /** What a role may do on an address match; the names follow Artemis's {@code <permission type>}. */
    public enum Permission {
        SEND, CONSUME, CREATE_DURABLE_QUEUE, DELETE_DURABLE_QUEUE, CREATE_NON_DURABLE_QUEUE,
        DELETE_NON_DURABLE_QUEUE, MANAGE, BROWSE, CREATE_ADDRESS, DELETE_ADDRESS
    }

    /** The role allowed to consume one purpose's destination. */
    public static String handlerOf(Registration r) {
        return HANDLER + "." + r.topic().name() + "." + r.purpose().name();
    }

    /**
     * The fixed security settings, address match to permission to roles, the same for the
     * embedded broker and {@code artemis/broker.xml}. The most specific match wins in Artemis
     * (no merging), so each match lists every role it grants.
     */
    public static Map<String, Map<Permission, List<String>>> fixed() {
        List<String> operators = List.of(SERVER, ADMIN);
        return Map.of(
                "#", grant(operators, Map.of()),
                BrokerNames.INBOUND, grant(operators, Map.of(Permission.SEND, List.of(SERVER, ADMIN, PUBLISHER, HANDLER))),
                BrokerNames.DEAD_LETTER, grant(operators, Map.of(Permission.SEND, List.of(SERVER, ADMIN, HANDLER))),
                Registration.TOPIC_ADDRESS_PREFIX + "#", grant(operators, Map.of(Permission.SEND, List.of(SERVER))));
    }

    /** Every permission to {@code everything}, except those given otherwise. */
    private static Map<Permission, List<String>> grant(List<String> everything, Map<Permission, List<String>> otherwise) {
        Map<Permission, List<String>> table = new EnumMap<>(Permission.class);
        for (Permission p : Permission.values()) {
            table.put(p, otherwise.getOrDefault(p, everything));
        }
        return table;
    }

    /**
     * A purpose destination's settings: only the server sends (the dispatcher), operators
     * administer and read it, and the purpose's own handler role (or {@value #HANDLER_ALL}) consumes
     * it; a fanout purpose's instances also create and delete their subscription queues.
     */
    public static Map<Permission, List<String>> purpose(Registration r) {
        List<String> consumers = List.of(SERVER, ADMIN, HANDLER_ALL, handlerOf(r));
        Map<Permission, List<String>> otherwise = new EnumMap<>(Permission.class);
        otherwise.put(Permission.SEND, List.of(SERVER));
        otherwise.put(Permission.CONSUME, consumers);
        if (r.exchange() == Exchange.FANOUT) {
            // each instance brings its own subscription queue; the resource adapter creates it with a
            // QueueConfiguration, which Artemis also checks for CREATE_ADDRESS (AMQ229213) though the
            // address exists: on this one address that grants nothing more
            otherwise.put(Permission.CREATE_NON_DURABLE_QUEUE, consumers);
            otherwise.put(Permission.DELETE_NON_DURABLE_QUEUE, consumers);
            otherwise.put(Permission.CREATE_ADDRESS, consumers);
        }
        return grant(List.of(SERVER, ADMIN), otherwise);
    }

    /** The roles of a permission as Artemis's management operations take them: comma-separated. */
    public static String joined(Map<Permission, List<String>> settings, Permission p) {
        return String.join(",", settings.getOrDefault(p, List.of()));
    }
}
