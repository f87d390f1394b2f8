package io.solarwind.handler;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.TextMessage;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Fires events from a handler service: {@code @Inject SolarWindEvents events;} then
 * {@code events.fire("video.encoded", new Encoded(...))}. The event goes to Solar Wind's
 * inbound topic through the resource adapter's connection factory; inside a handler's
 * {@code onMessage} it is sent in the same transaction as the event being handled, so the
 * new event exists exactly when the handled one is acknowledged.
 */
@ApplicationScoped
public class SolarWindEvents {
    /** The inbound JMS topic of Solar Wind. */
    public static final String INBOUND = "solarwind.inbound";

    private ConnectionFactory connectionFactory;
    private String source;
    private Jsonb jsonb;

    @PostConstruct
    void init() {
        String name = HandlerSetting.CONNECTION_FACTORY.get();
        try {
            connectionFactory = (ConnectionFactory) new InitialContext().lookup(name);
            String app = (String) new InitialContext().lookup("java:app/AppName");
            String configured = HandlerSetting.SOURCE.get();
            source = configured.isBlank() ? "/solarwind/handler/" + app : configured;
        } catch (NamingException e) {
            throw new IllegalStateException("No JMS connection factory at " + name
                    + ": include liberty/handlers.xml in the server configuration (see the README)", e);
        }
        jsonb = JsonbBuilder.create();
    }

    /** Fires an event whose data is {@code data} as JSON; returns the event's id. */
    public String fire(String topic, Object data) {
        return fire(topic, UUID.randomUUID().toString(), data instanceof String s ? s : jsonb.toJson(data));
    }

    /** Fires an event with the given id and JSON text; the same id from this service is dispatched once. */
    public String fire(String topic, String id, String json) {
        try (JMSContext context = connectionFactory.createContext()) {
            TextMessage message = context.createTextMessage(json);
            message.setStringProperty("ce_specversion", "1.0");
            message.setStringProperty("ce_type", topic);
            message.setStringProperty("ce_id", id);
            message.setStringProperty("ce_source", source);
            message.setStringProperty("ce_time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
            message.setStringProperty("ce_datacontenttype", "application/json");
            context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT)
                    .send(context.createTopic(INBOUND), message);
            return id;
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException("Firing " + topic + " event " + id + " failed: " + e.getMessage(), e);
        }
    }
}
