package io.solarwind.it;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;

/** The broker's queues as its management address reports them (the connection's user needs manage). */
final class BrokerQueues {
    static final String DISPATCH = "solarwind.dispatch";

    private BrokerQueues() {
    }

    /** An attribute of a broker resource ({@code queue.<name>}, {@code address.<name>}). */
    static Object attribute(Connection c, String resource, String attribute) throws Exception {
        try (QueueSession s = ((QueueConnection) c).createQueueSession(false, Session.AUTO_ACKNOWLEDGE)) {
            c.start();
            QueueRequestor requestor = new QueueRequestor(s, s.createQueue("activemq.management"));
            Message request = s.createMessage();
            JMSManagementHelper.putAttribute(request, resource, attribute);
            Message reply = requestor.request(request);
            if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                throw new IllegalStateException(resource + " " + attribute + ": " + JMSManagementHelper.getResult(reply));
            }
            return JMSManagementHelper.getResult(reply);
        }
    }

    /**
     * The queues behind a purpose destination: a direct purpose's queue (the part of its fully
     * qualified name after {@code ::}), or every subscription queue on a fanout purpose's address.
     */
    static List<String> queuesOf(Connection c, String destination) throws Exception {
        int fqqn = destination.indexOf("::");
        if (fqqn >= 0) {
            return List.of(destination.substring(fqqn + 2));
        }
        List<String> queues = new ArrayList<>();
        Object names = attribute(c, "address." + destination, "queueNames");
        if (names instanceof Object[] array) {
            for (Object name : array) {
                queues.add(String.valueOf(name));
            }
        }
        return queues;
    }
}
