package io.solarwind.handler.internal;

import io.solarwind.handler.HandlerSetting;
import io.solarwind.handler.Purpose;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.util.Enumeration;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Wraps every {@link Purpose} handler's {@code onMessage}. A failure is rethrown, so the
 * container rolls back and the broker delivers the event again after the purpose's
 * redelivery delay (its registered policy); on the last attempt of that policy the
 * event is instead sent, in the same transaction, to the dead-letter address {@code DLA}
 * with the purpose, the attempt count and the failure, and then acknowledged. No event is
 * swallowed: it is either redelivered or dead-lettered with its reason.
 */
@Purpose(topic = "", name = "")
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public class FailedEventInterceptor {
    private static final Logger LOG = Logger.getLogger(FailedEventInterceptor.class.getName());
    public static final String DEAD_LETTER = "DLA";

    @AroundInvoke
    public Object handle(InvocationContext invocation) throws Exception {
        Object[] parameters = invocation.getParameters();
        if (parameters == null || parameters.length != 1 || !(parameters[0] instanceof Message message)) {
            return invocation.proceed();
        }
        try {
            return invocation.proceed();
        } catch (Exception failure) {
            Class<?> handler = invocation.getTarget().getClass();
            Purpose purpose = purposeOf(handler);
            int attempts = RegisteredPolicies.maxAttempts(handler, purpose);
            int delivery = message.propertyExists("JMSXDeliveryCount") ? message.getIntProperty("JMSXDeliveryCount") : 1;
            String what = describe(purpose, message);
            if (attempts <= 0 || delivery < attempts) {
                LOG.log(Level.WARNING, what + " failed on attempt " + delivery + (attempts > 0 ? " of " + attempts : "")
                        + "; the broker will deliver it again after the purpose's redelivery delay", failure);
                throw failure;
            }
            deadLetter(message, purpose, delivery, failure);
            LOG.log(Level.SEVERE, what + " failed on its last attempt (" + delivery + " of " + attempts + "); moved to " + DEAD_LETTER, failure);
            return null;
        }
    }

    private static void deadLetter(Message original, Purpose purpose, int attempts, Exception failure) throws JMSException, NamingException {
        ConnectionFactory factory = (ConnectionFactory) new InitialContext().lookup(HandlerSetting.CONNECTION_FACTORY.get());
        try (JMSContext context = factory.createContext()) {
            Message copy;
            if (original instanceof TextMessage text) {
                copy = context.createTextMessage(text.getText());
            } else if (original instanceof BytesMessage bytes) {
                bytes.reset();
                byte[] data = new byte[(int) bytes.getBodyLength()];
                bytes.readBytes(data);
                copy = context.createBytesMessage();
                ((BytesMessage) copy).writeBytes(data);
            } else {
                copy = context.createMessage();
            }
            Enumeration<?> names = original.getPropertyNames();
            while (names.hasMoreElements()) {
                String name = (String) names.nextElement();
                if (!name.startsWith("JMSX") && !name.startsWith("_AMQ")) {
                    copy.setObjectProperty(name, original.getObjectProperty(name));
                }
            }
            copy.setStringProperty("solarwind_reason", failure.toString());
            copy.setIntProperty("solarwind_attempts", attempts);
            if (purpose != null) {
                copy.setStringProperty("solarwind_purpose", purpose.name());
                copy.setStringProperty("solarwind_topic", purpose.topic());
            }
            if (original.getJMSDestination() != null) {
                copy.setStringProperty("solarwind_original_destination", original.getJMSDestination().toString());
            }
            context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).send(context.createQueue(DEAD_LETTER), copy);
        }
    }

    static Purpose purposeOf(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Purpose p = c.getAnnotation(Purpose.class);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static String describe(Purpose purpose, Message message) {
        String id;
        try {
            id = message.getStringProperty("ce_id");
        } catch (JMSException e) {
            id = "?";
        }
        return "Event " + id + (purpose == null ? "" : " for purpose '" + purpose.name() + "' on topic '" + purpose.topic() + "'");
    }
}
