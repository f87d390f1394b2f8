package io.solarwind.infrastructure.messaging.jms;

import io.solarwind.application.SchemaStore;
import io.solarwind.application.TopicSchemas;
import io.solarwind.infrastructure.messaging.BrokerNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The topics' schemas as messages on the broker, like the registrations: the last-value queue
 * {@value BrokerNames#SCHEMAS} keyed by topic keeps each topic's newest record (durable, failing
 * over with the broker; a topic whose schemas were deleted keeps an empty record), and the same
 * transaction announces it on {@value BrokerNames#SCHEMA_CHANGES}, which every server hears. Two
 * servers writing one topic's schemas at once: the last write wins.
 */
@ApplicationScoped
public class JmsSchemaStore implements SchemaStore {
    private static final Logger LOG = Logger.getLogger(JmsSchemaStore.class.getName());

    private BrokerConnection broker;
    private Session listening;

    protected JmsSchemaStore() {
    }

    @Inject
    public JmsSchemaStore(BrokerConnection broker) {
        this.broker = broker;
    }

    @Override
    public synchronized List<TopicSchemas.Record> loadAll() {
        List<TopicSchemas.Record> records = new ArrayList<>();
        try (Session session = broker.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(BrokerTopology.existingQueue(BrokerNames.SCHEMAS))) {
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                Message message = (Message) messages.nextElement();
                try {
                    records.add(fromMessage(message));
                } catch (JMSException | RuntimeException e) {
                    LOG.log(Level.SEVERE, "The schema record " + message.getJMSMessageID() + " on " + BrokerNames.SCHEMAS
                            + " is unreadable and ignored: its topic is not checked", e);
                }
            }
        } catch (JMSException e) {
            throw new BrokerUnavailableException("Reading the topics' schemas from " + BrokerNames.SCHEMAS + " failed: " + e.getMessage(), e);
        }
        return records;
    }

    @Override
    public void write(TopicSchemas.Record record) {
        try (Session session = broker.connection().createSession(true, Session.SESSION_TRANSACTED);
             MessageProducer producer = session.createProducer(null)) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(BrokerTopology.existingQueue(BrokerNames.SCHEMAS), toMessage(session, record));
            producer.send(BrokerTopology.existingTopic(BrokerNames.SCHEMA_CHANGES), toMessage(session, record));
            session.commit();
        } catch (JMSException e) {
            throw new BrokerUnavailableException("Writing the schemas of topic " + record.topic() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void listen(Consumer<TopicSchemas.Record> listener) {
        if (listening != null) {
            try {
                listening.close();
            } catch (JMSException e) {
                LOG.log(Level.FINE, "Closing the schema listener", e);
            }
            listening = null;
        }
        try {
            Session session = broker.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(BrokerTopology.existingTopic(BrokerNames.SCHEMA_CHANGES));
            consumer.setMessageListener(message -> {
                try {
                    listener.accept(fromMessage(message));
                } catch (JMSException | RuntimeException e) {
                    LOG.log(Level.SEVERE, "A schema change announced on " + BrokerNames.SCHEMA_CHANGES + " could not be applied", e);
                }
            });
            listening = session;
        } catch (JMSException e) {
            throw new BrokerUnavailableException("Listening to " + BrokerNames.SCHEMA_CHANGES + " failed: " + e.getMessage(), e);
        }
    }

    static Message toMessage(Session session, TopicSchemas.Record record) throws JMSException {
        JsonObjectBuilder versions = Json.createObjectBuilder();
        record.versions().forEach((name, text) -> versions.add(name, text));
        JsonObjectBuilder json = Json.createObjectBuilder().add("topic", record.topic()).add("versions", versions);
        if (record.current() != null) {
            json.add("current", record.current());
        }
        TextMessage message = session.createTextMessage(json.build().toString());
        message.setStringProperty(BrokerNames.SCHEMA_KEY, record.topic());
        return message;
    }

    static TopicSchemas.Record fromMessage(Message message) throws JMSException {
        String text = ((TextMessage) message).getText();
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            JsonObject json = reader.readObject();
            Map<String, String> versions = new LinkedHashMap<>();
            json.getJsonObject("versions").forEach((name, value) -> versions.put(name, ((jakarta.json.JsonString) value).getString()));
            JsonValue current = json.get("current");
            return new TopicSchemas.Record(json.getString("topic"),
                    current instanceof jakarta.json.JsonString s ? s.getString() : null, versions);
        }
    }
}
