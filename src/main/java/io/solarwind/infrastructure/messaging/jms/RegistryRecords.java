package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.application.PurposeRegistry;
import io.solarwind.application.RegistryChange;
import io.solarwind.domain.Exchange;
import io.solarwind.domain.Purpose;
import io.solarwind.domain.PurposeFilter;
import io.solarwind.domain.PurposeVersions;
import io.solarwind.domain.Push;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
import io.solarwind.infrastructure.messaging.BrokerNames;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A registry change as a JMS message, the one encoding of the registry's queues, of the change
 * broadcast and of the control records in the dispatch stream: a bodiless message whose
 * properties are the key, its version, and the registration (or a deletion mark).
 */
public final class RegistryRecords {
    static final String TOPIC = "solarwind_topic";
    static final String PURPOSE = "solarwind_purpose";
    static final String VERSION = "solarwind_version";
    private static final String EXCHANGE = "solarwind_exchange";
    private static final String REGISTERED_AT = "solarwind_registered_at";
    private static final String DELETED = "solarwind_deleted";
    private static final String MAX_ATTEMPTS = "solarwind_redelivery_max_attempts";
    private static final String DELAY = "solarwind_redelivery_delay_millis";
    private static final String MULTIPLIER = "solarwind_redelivery_multiplier";
    private static final String MAX_DELAY = "solarwind_redelivery_max_delay_millis";
    /** Push delivery (absent: none): the URL, the consumers per server and the signing secret. */
    private static final String PUSH_URL = "solarwind_push_url";
    private static final String PUSH_CONCURRENCY = "solarwind_push_concurrency";
    private static final String PUSH_SECRET = "solarwind_push_secret";
    /** The purpose's filter, as its canonical JSON (absent: every event of the topic). */
    private static final String FILTER = "solarwind_filter";
    /**
     * The purpose's versions as JSON, {@code {"known":[{"version","registeredAt"}],"active","cutovers":[{"from","to","at"}]}}
     * (absent: version 1 alone, as every record written before versions existed).
     */
    private static final String VERSIONS = "solarwind_purpose_versions";

    private RegistryRecords() {
    }

    /** A new message holding the change. */
    static Message toMessage(Session session, RegistryChange change) throws JMSException {
        Message record = session.createMessage();
        record.setStringProperty(BrokerNames.REGISTRY_KEY, change.key());
        record.setStringProperty(TOPIC, change.topic().name());
        record.setStringProperty(PURPOSE, change.purpose().name());
        record.setLongProperty(VERSION, change.version());
        record.setBooleanProperty(DELETED, change.isDeletion());
        Registration r = change.registration();
        if (r != null) {
            record.setStringProperty(EXCHANGE, r.exchange().wireName());
            record.setStringProperty(REGISTERED_AT, r.registeredAt().toString());
            record.setIntProperty(MAX_ATTEMPTS, r.redelivery().maxAttempts());
            record.setLongProperty(DELAY, r.redelivery().delayMillis());
            record.setDoubleProperty(MULTIPLIER, r.redelivery().multiplier());
            record.setLongProperty(MAX_DELAY, r.redelivery().maxDelayMillis());
            if (r.push() != null) {
                // the secret travels with the record: registrations live in the broker, readable by
                // Solar Wind's servers and broker administrators only (docs/security.md)
                record.setStringProperty(PUSH_URL, r.push().url().toString());
                record.setIntProperty(PUSH_CONCURRENCY, r.push().concurrency());
                record.setStringProperty(PUSH_SECRET, r.push().secret());
            }
            if (r.filter() != null) {
                record.setStringProperty(FILTER, r.filter().canonical());
            }
            if (!r.versions().equals(PurposeVersions.first(PurposeVersions.DEFAULT, r.registeredAt()))) {
                record.setStringProperty(VERSIONS, versionsToJson(r.versions()));
            }
        }
        return record;
    }

    /** Whether a message of the dispatch stream is a registry change rather than an event. */
    public static boolean isControl(Message message) throws JMSException {
        return message.propertyExists(BrokerNames.CONTROL_PROPERTY);
    }

    /**
     * The change a message holds. Records written before versions existed are version 0; before
     * redelivery policies existed, they get the default policy.
     *
     * @throws IllegalArgumentException when the message is not a readable registry record
     */
    public static RegistryChange fromMessage(Message record) throws JMSException {
        Topic topic = Topic.of(record.getStringProperty(TOPIC));
        Purpose purpose = Purpose.of(record.getStringProperty(PURPOSE));
        long version = record.propertyExists(VERSION) ? record.getLongProperty(VERSION) : 0;
        if (record.getBooleanProperty(DELETED)) {
            return RegistryChange.deleted(topic, purpose, version);
        }
        Redelivery redelivery = record.propertyExists(MAX_ATTEMPTS)
                ? new Redelivery(record.getIntProperty(MAX_ATTEMPTS), record.getLongProperty(DELAY),
                        record.getDoubleProperty(MULTIPLIER), record.getLongProperty(MAX_DELAY))
                : PurposeRegistry.defaultRedelivery();
        Push push = record.propertyExists(PUSH_URL)
                ? new Push(Push.parseUrl(record.getStringProperty(PUSH_URL)), record.getIntProperty(PUSH_CONCURRENCY),
                        record.getStringProperty(PUSH_SECRET))
                : null;
        PurposeFilter filter = record.propertyExists(FILTER) ? PurposeFilter.parse(record.getStringProperty(FILTER)) : null;
        Instant registeredAt = Instant.parse(record.getStringProperty(REGISTERED_AT));
        PurposeVersions versions = record.propertyExists(VERSIONS) ? versionsFromJson(record.getStringProperty(VERSIONS)) : null;
        return RegistryChange.saved(new Registration(topic, purpose, Exchange.parse(record.getStringProperty(EXCHANGE)),
                redelivery, registeredAt, push, filter, versions), version);
    }

    static String versionsToJson(PurposeVersions versions) {
        JsonArrayBuilder known = Json.createArrayBuilder();
        versions.known().forEach(v -> known.add(Json.createObjectBuilder().add("version", v.name()).add("registeredAt", v.registeredAt().toString())));
        JsonArrayBuilder cutovers = Json.createArrayBuilder();
        versions.cutovers().forEach(c -> cutovers.add(Json.createObjectBuilder().add("from", c.from()).add("to", c.to()).add("at", c.at().toString())));
        return Json.createObjectBuilder().add("known", known).add("active", versions.active()).add("cutovers", cutovers).build().toString();
    }

    static PurposeVersions versionsFromJson(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            JsonObject o = reader.readObject();
            List<PurposeVersions.Version> known = new ArrayList<>();
            for (JsonValue v : o.getJsonArray("known")) {
                known.add(new PurposeVersions.Version(v.asJsonObject().getString("version"), Instant.parse(v.asJsonObject().getString("registeredAt"))));
            }
            List<PurposeVersions.Cutover> cutovers = new ArrayList<>();
            for (JsonValue c : o.getJsonArray("cutovers")) {
                JsonObject co = c.asJsonObject();
                cutovers.add(new PurposeVersions.Cutover(co.getString("from"), co.getString("to"), Instant.parse(co.getString("at"))));
            }
            return new PurposeVersions(known, o.getString("active"), cutovers);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a purpose's versions: " + json, e);
        }
    }
}
