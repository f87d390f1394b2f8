package io.solarwind.infrastructure.messaging.jms;

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
 */
final class BrokerManagement {
    static final SimpleString MANAGEMENT_ADDRESS = SimpleString.of("activemq.management");

    private BrokerManagement() {
    }

    /** Invokes an operation of the broker control ({@code ActiveMQServerControl}) and returns its result. */
    static Object invoke(ClientSession session, String operation, Object... parameters) throws ActiveMQException {
        try (ClientRequestor requestor = new ClientRequestor(session, MANAGEMENT_ADDRESS)) {
            ClientMessage request = session.createMessage(false);
            ManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, operation, parameters);
            ClientMessage reply = requestor.request(request, 30_000);
            if (reply == null) {
                throw new ActiveMQException("no answer from the broker to " + operation + " within 30 s");
            }
            Object result = ManagementHelper.getResult(reply);
            if (!ManagementHelper.hasOperationSucceeded(reply)) {
                throw new ActiveMQException(operation + " was refused: " + result);
            }
            return result;
        } catch (ActiveMQException e) {
            throw e;
        } catch (Exception e) {
            throw new ActiveMQException(operation + " failed: " + e);
        }
    }
}
