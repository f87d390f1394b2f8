package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.domain.Registration;
import io.solarwind.infrastructure.messaging.BrokerNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.management.ResourceNames;

/**
 * The broker's figures of the purposes' queues and of the dead letters, for the metrics: a few
 * management calls whatever the number of purposes ({@code listQueues} once for the direct
 * purposes' queues and once for the fanout subscribers' queues, {@code countMessages} on
 * {@code DLA} grouped by property), not one call per queue.
 */
@ApplicationScoped
public class BrokerQueueFigures {
    private static final long CALL_MILLIS = TimeUnit.SECONDS.toMillis(30);
    private static final String ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";

    /** One queue as {@code listQueues} shows it. */
    public record QueueFigures(String name, String address, long messageCount, long consumerCount, long acknowledged,
                               long scheduled, long delivering, long added) {
    }

    /**
     * A purpose's figures summed over its queues (the direct purpose's queue, or a fanout purpose's
     * subscriber queues), with its dead letters: what the console shows beside a registration.
     */
    public record PurposeFigures(long messages, long consumers, long delivering, long added, long acknowledged,
                                 long scheduled, long deadLetters) {
        public static final PurposeFigures ZERO = new PurposeFigures(0, 0, 0, 0, 0, 0, 0);

        PurposeFigures plus(PurposeFigures o) {
            return new PurposeFigures(messages + o.messages, consumers + o.consumers, delivering + o.delivering,
                    added + o.added, acknowledged + o.acknowledged, scheduled + o.scheduled, deadLetters + o.deadLetters);
        }

        static PurposeFigures of(QueueFigures q) {
            return new PurposeFigures(q.messageCount(), q.consumerCount(), q.delivering(), q.added(), q.acknowledged(),
                    q.scheduled(), 0);
        }

        static PurposeFigures deadLetters(long n) {
            return new PurposeFigures(0, 0, 0, 0, 0, 0, n);
        }
    }

    private BrokerConnection broker;

    protected BrokerQueueFigures() {
    }

    @Inject
    public BrokerQueueFigures(BrokerConnection broker) {
        this.broker = broker;
    }

    /**
     * Every queue that may be a purpose's: the direct purposes' queues (named
     * {@code solarwind.direct.*}) and the queues on fanout purposes' addresses ({@code solarwind.fanout.*}).
     */
    public List<QueueFigures> purposeQueues() {
        return broker.admin("Reading the purposes' queue figures", session -> {
            List<QueueFigures> queues = new ArrayList<>();
            list(session, "name", Registration.DESTINATION_PREFIX + "direct.", queues);
            list(session, "address", Registration.DESTINATION_PREFIX + "fanout.", queues);
            return queues;
        });
    }

    /**
     * The figures of each of {@code registrations} (by {@link Registration#key()}; a purpose whose
     * queues do not exist has {@link PurposeFigures#ZERO}), read now: {@code listQueues} twice (for
     * one registration, narrowed to its queue or address), {@code countMessages} on {@code DLA}
     * grouped by the original queue, and grouped by purpose once per topic whose handlers
     * dead-lettered events themselves.
     */
    public Map<String, PurposeFigures> figuresOf(java.util.Collection<Registration> registrations) {
        if (registrations.isEmpty()) {
            return Map.of();
        }
        Map<String, Registration> directQueues = new HashMap<>();
        Map<String, Registration> fanoutAddresses = new HashMap<>();
        java.util.Set<String> topics = new java.util.HashSet<>();
        for (Registration r : registrations) {
            if (r.exchange() == io.solarwind.domain.Exchange.DIRECT) {
                r.queues().forEach(q -> directQueues.put(q, r)); // a queue per version
            } else {
                fanoutAddresses.put(r.address(), r);
            }
            topics.add(r.topic().name());
        }
        Registration only = registrations.size() == 1 ? registrations.iterator().next() : null;
        return broker.admin("Reading the figures of " + (only != null ? only.key() : registrations.size() + " purposes"), session -> {
            List<QueueFigures> queues = new ArrayList<>();
            if (only == null || only.exchange() == io.solarwind.domain.Exchange.DIRECT) {
                // version 1's queue name begins every version's (<queue>~<version>)
                list(session, "name", only == null ? Registration.DESTINATION_PREFIX + "direct."
                        : only.versionQueue(io.solarwind.domain.PurposeVersions.DEFAULT), queues);
            }
            if (only == null || only.exchange() != io.solarwind.domain.Exchange.DIRECT) {
                list(session, "address", only == null ? Registration.DESTINATION_PREFIX + "fanout." : only.address(), queues);
            }
            Map<String, PurposeFigures> figures = new HashMap<>();
            registrations.forEach(r -> figures.put(r.key(), PurposeFigures.ZERO));
            Map<String, Registration> queueOwner = new HashMap<>(directQueues);
            for (QueueFigures q : queues) {
                Registration owner = directQueues.containsKey(q.name()) ? directQueues.get(q.name()) : fanoutAddresses.get(q.address());
                if (owner != null) {
                    queueOwner.put(q.name(), owner);
                    figures.merge(owner.key(), PurposeFigures.of(q), PurposeFigures::plus);
                }
            }
            countDeadLetters(session, ORIGINAL_QUEUE + " IS NOT NULL", ORIGINAL_QUEUE).forEach((queue, n) -> {
                Registration owner = queueOwner.get(queue);
                if (owner != null) {
                    figures.merge(owner.key(), PurposeFigures.deadLetters(n), PurposeFigures::plus);
                }
            });
            java.util.Set<String> withHandlerLetters = only != null ? topics
                    : countDeadLetters(session, ORIGINAL_QUEUE + " IS NULL AND " + JmsDeadLetters.PURPOSE + " IS NOT NULL",
                    JmsDeadLetters.TOPIC).keySet();
            for (String topic : withHandlerLetters) {
                if (!topics.contains(topic)) {
                    continue;
                }
                countDeadLetters(session, ORIGINAL_QUEUE + " IS NULL AND " + JmsDeadLetters.TOPIC + " = '" + topic + "'",
                        JmsDeadLetters.PURPOSE).forEach((purpose, n) -> {
                    String key = topic + "/" + purpose;
                    if (figures.containsKey(key)) {
                        figures.merge(key, PurposeFigures.deadLetters(n), PurposeFigures::plus);
                    }
                });
            }
            return figures;
        });
    }

    private static void list(ClientSession session, String field, String prefix, List<QueueFigures> into) throws ActiveMQException {
        String options = Json.createObjectBuilder().add("field", field).add("operation", "CONTAINS").add("value", prefix)
                .build().toString();
        Object result = BrokerManagement.call(session, ResourceNames.BROKER, "listQueues", CALL_MILLIS, options, -1, -1);
        for (JsonValue value : read(result).getJsonArray("data")) {
            JsonObject q = value.asJsonObject();
            String name = q.getString("name", "");
            String address = q.getString("address", "");
            String matched = "name".equals(field) ? name : address;
            if (!matched.startsWith(prefix)) {
                continue; // CONTAINS is the closest the broker offers to "starts with"
            }
            into.add(new QueueFigures(name, address, number(q, "messageCount"), number(q, "consumerCount"),
                    number(q, "messagesAcked"), number(q, "scheduledCount"), number(q, "deliveringCount"),
                    number(q, "messagesAdded")));
        }
    }

    /**
     * Dead letters on {@code DLA} counted by the value of {@code groupBy}, among those matching
     * {@code filter} (an Artemis filter), counted in the broker.
     */
    public Map<String, Long> deadLetters(String filter, String groupBy) {
        return broker.admin("Counting dead letters", session -> countDeadLetters(session, filter, groupBy));
    }

    private static Map<String, Long> countDeadLetters(ClientSession session, String filter, String groupBy) throws ActiveMQException {
        Object result = BrokerManagement.call(session, ResourceNames.QUEUE + BrokerNames.DEAD_LETTER, "countMessages",
                CALL_MILLIS, filter, groupBy);
        Map<String, Long> counts = new HashMap<>();
        read(result).forEach((key, count) -> counts.put(key, Long.parseLong(count.toString())));
        return counts;
    }

    /** Dead letters Artemis moved after its own last attempt, by the queue they came from. */
    public Map<String, Long> deadLettersByQueue() {
        return deadLetters(ORIGINAL_QUEUE + " IS NOT NULL", ORIGINAL_QUEUE);
    }

    /** Dead letters a handler sent itself after its last attempt, by topic. */
    public Map<String, Long> handlerDeadLettersByTopic() {
        return deadLetters(ORIGINAL_QUEUE + " IS NULL AND " + JmsDeadLetters.PURPOSE + " IS NOT NULL", JmsDeadLetters.TOPIC);
    }

    /** Dead letters a handler sent itself for purposes of {@code topic} (a valid topic name), by purpose. */
    public Map<String, Long> handlerDeadLettersOf(String topic) {
        return deadLetters(ORIGINAL_QUEUE + " IS NULL AND " + JmsDeadLetters.TOPIC + " = '" + topic + "'", JmsDeadLetters.PURPOSE);
    }


    private static JsonObject read(Object result) {
        try (JsonReader reader = Json.createReader(new StringReader(String.valueOf(result)))) {
            return reader.readObject();
        }
    }

    private static long number(JsonObject q, String field) {
        JsonValue v = q.get(field);
        if (v == null || v == JsonValue.NULL) {
            return 0;
        }
        try {
            return Long.parseLong(v.getValueType() == JsonValue.ValueType.STRING ? q.getString(field) : v.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
