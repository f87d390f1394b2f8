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
                               long scheduled) {
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
                    number(q, "messagesAcked"), number(q, "scheduledCount")));
        }
    }

    /**
     * Dead letters on {@code DLA} counted by the value of {@code groupBy}, among those matching
     * {@code filter} (an Artemis filter), counted in the broker.
     */
    public Map<String, Long> deadLetters(String filter, String groupBy) {
        return broker.admin("Counting dead letters", session -> {
            Object result = BrokerManagement.call(session, ResourceNames.QUEUE + BrokerNames.DEAD_LETTER, "countMessages",
                    CALL_MILLIS, filter, groupBy);
            Map<String, Long> counts = new HashMap<>();
            read(result).forEach((key, count) -> counts.put(key, Long.parseLong(count.toString())));
            return counts;
        });
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
