package io.solarwind.infrastructure.messaging.jms;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;

/**
 * Artemis broker operations over management messages ({@code activemq.management}), the
 * same for the embedded broker and an external one: what they change the broker keeps in
 * its journal (address and security settings survive a restart). The operations of other
 * management resources, such as the replay of Solar Wind's broker plugin, go the same way.
 *
 * <p>Each session keeps one requestor (one temporary reply queue) for all its calls: making a
 * reply queue per call cost a queue and an address created and deleted at the broker each time.
 * Callers run one call per session at a time ({@link BrokerConnection#admin}).
 */
public final class BrokerManagement {
    static final SimpleString MANAGEMENT_ADDRESS = SimpleString.of("activemq.management");
    /** How long a broker operation may take before the call gives up. */
    private static final long CALL_MILLIS = TimeUnit.SECONDS.toMillis(30);

    private static final Map<ClientSession, ClientRequestor> REQUESTORS = new WeakHashMap<>();

    private BrokerManagement() {
    }

    /** Invokes an operation of the broker control ({@code ActiveMQServerControl}) and returns its result. */
    static Object invoke(ClientSession session, String operation, Object... parameters) throws ActiveMQException {
        return call(session, ResourceNames.BROKER, operation, CALL_MILLIS, parameters);
    }

    /**
     * Invokes an operation of the broker's management resource {@code resource} (such as a broker
     * plugin's), waiting at most {@code timeoutMillis} for the answer, and returns its result.
     *
     * @throws RefusedException when the broker answers that the operation failed (or that it has no such resource)
     * @throws ActiveMQException when there is no answer in time, or the call cannot be made
     */
    public static Object call(ClientSession session, String resource, String operation, long timeoutMillis,
                              Object... parameters) throws ActiveMQException {
        ClientRequestor requestor = requestor(session);
        try {
            ClientMessage request = session.createMessage(false);
            ManagementHelper.putOperationInvocation(request, resource, operation, parameters);
            ClientMessage reply = requestor.request(request, timeoutMillis);
            if (reply == null) {
                forget(session); // a late answer must not be taken for the next call's
                throw new ActiveMQException("no answer from the broker to " + operation + " within "
                        + TimeUnit.MILLISECONDS.toSeconds(timeoutMillis) + " s");
            }
            reply.acknowledge(); // else the reply stays at the broker, delivered but never acknowledged
            Object result = ManagementHelper.getResult(reply);
            if (!ManagementHelper.hasOperationSucceeded(reply)) {
                throw new RefusedException(operation, String.valueOf(result));
            }
            return result;
        } catch (ActiveMQException e) {
            throw e;
        } catch (Exception e) {
            forget(session);
            throw new ActiveMQException(operation + " failed: " + e);
        }
    }

    /** Reads an attribute of the broker control ({@code HAPolicy}, {@code Backup}, ...). */
    static Object attribute(ClientSession session, String attribute) throws ActiveMQException {
        ClientRequestor requestor = requestor(session);
        try {
            ClientMessage request = session.createMessage(false);
            ManagementHelper.putAttribute(request, ResourceNames.BROKER, attribute);
            ClientMessage reply = requestor.request(request, CALL_MILLIS);
            if (reply == null) {
                forget(session);
                throw new ActiveMQException("no answer from the broker about " + attribute + " within " + CALL_MILLIS / 1000 + " s");
            }
            reply.acknowledge();
            Object result = ManagementHelper.getResult(reply);
            if (!ManagementHelper.hasOperationSucceeded(reply)) {
                throw new ActiveMQException("reading " + attribute + " was refused: " + result);
            }
            return result;
        } catch (ActiveMQException e) {
            throw e;
        } catch (Exception e) {
            forget(session);
            throw new ActiveMQException("reading " + attribute + " failed: " + e);
        }
    }

    private static ClientRequestor requestor(ClientSession session) throws ActiveMQException {
        synchronized (REQUESTORS) {
            ClientRequestor requestor = REQUESTORS.get(session);
            if (requestor == null) {
                try {
                    requestor = new ClientRequestor(session, MANAGEMENT_ADDRESS);
                } catch (ActiveMQException e) {
                    throw e;
                } catch (Exception e) {
                    throw new ActiveMQException("cannot open a management requestor: " + e);
                }
                REQUESTORS.put(session, requestor);
            }
            return requestor;
        }
    }

    private static void forget(ClientSession session) {
        ClientRequestor requestor;
        synchronized (REQUESTORS) {
            requestor = REQUESTORS.remove(session);
        }
        if (requestor != null) {
            try {
                requestor.close();
            } catch (Exception e) {
                // its session may be gone already
            }
        }
    }

    /** The broker answered that an operation failed; {@link #reason} is the broker's message. */
    public static final class RefusedException extends ActiveMQException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        RefusedException(String operation, String reason) {
            super(operation + " was refused: " + reason);
            this.reason = reason;
        }

        /** Why the broker refused, as it said it. */
        public String reason() {
            return reason;
        }
    }
}
