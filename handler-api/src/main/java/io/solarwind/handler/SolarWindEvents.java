package io.solarwind.handler;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import io.solarwind.handler.internal.EventMessage;
import io.solarwind.handler.internal.IdempotentInterceptor;
import jakarta.jms.JMSContext;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Fires events from a handler service: {@code @Inject SolarWindEvents events;} then
 * {@code events.fire("video.encoded", new Encoded(...))}. The event goes to Solar Wind's
 * inbound topic through the resource adapter's connection factory; inside a handler's
 * {@code onMessage} it is sent in the same JTA transaction as the event being handled, so the
 * new event exists exactly when the handled one is acknowledged, and, with an XA data source
 * in that transaction, exactly when the handler's database work commits.
 *
 * <p>Inside an {@link Idempotent} handler the event is instead written to the outbox table of
 * the handler's data source, in the local transaction of its work, and published after that
 * commits (at least once, with the same {@code ce_id}, which Solar Wind dispatches once): it
 * exists iff the handler's work committed.
 */
@ApplicationScoped
public class SolarWindEvents {
    /** The inbound JMS topic of Solar Wind. */
    public static final String INBOUND = EventMessage.INBOUND;

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
        String time = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        Optional<IdempotentInterceptor.Scope> idempotent = IdempotentInterceptor.current();
        if (idempotent.isPresent()) {
            idempotent.get().fire(topic, id, source, time, json);
            return id;
        }
        try (JMSContext context = connectionFactory.createContext()) {
            EventMessage.send(context, context.createProducer(), topic, id, source, time, json);
            return id;
        }
    }
}
