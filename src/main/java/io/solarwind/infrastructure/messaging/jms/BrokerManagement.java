package io.solarwind.infrastructure.messaging.jms;

import java.util.Map;
import java.util.WeakHashMap;
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
 * its journal (address and security settings survive a restart).
 *
 * <p>Each session keeps one requestor (one temporary reply queue) for all its calls: making a
 * reply queue per call cost a queue and an address created and deleted at the broker each time.
 * Callers run one call per session at a time ({@link BrokerConnection#admin}).
 */
final class BrokerManagement {
    static final SimpleString MANAGEMENT_ADDRESS = SimpleString.of("activemq.management");

    /** How long a management call waits for the broker's answer. */
    private static final long CALL_TIMEOUT_MILLIS = 30_000;
    private static final Map<ClientSession, ClientRequestor> REQUESTORS = new WeakHashMap<>();

    private BrokerManagement() {
    }

    /** Invokes an operation of the broker control ({@code ActiveMQServerControl}) and returns its result. */
    static Object invoke(ClientSession session, String operation, Object... parameters) throws ActiveMQException {
        ClientRequestor requestor = requestor(session);
        try {
            ClientMessage request = session.createMessage(false);
            ManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, operation, parameters);
            ClientMessage reply = requestor.request(request, CALL_TIMEOUT_MILLIS);
            if (reply == null) {
                forget(session); // a late answer must not be taken for the next call's
                throw new ActiveMQException("no answer from the broker to " + operation + " within " + CALL_TIMEOUT_MILLIS / 1000 + " s");
            }
            reply.acknowledge(); // else the reply stays at the broker, delivered but never acknowledged
            Object result = ManagementHelper.getResult(reply);
            if (!ManagementHelper.hasOperationSucceeded(reply)) {
                throw new ActiveMQException(operation + " was refused: " + result);
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
            ClientMessage reply = requestor.request(request, CALL_TIMEOUT_MILLIS);
            if (reply == null) {
                forget(session);
                throw new ActiveMQException("no answer from the broker about " + attribute + " within " + CALL_TIMEOUT_MILLIS / 1000 + " s");
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
}
