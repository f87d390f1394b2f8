package io.solarwind.infrastructure.messaging.jms;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What the broker the server uses says of its high availability: its HA policy
 * ({@code SHARED_STORE_PRIMARY}, {@code SHARED_STORE_BACKUP}, {@code PRIMARY_ONLY}, ...) and the
 * pair's topology as the cluster connection knows it (each active broker with its backup, if one
 * is announced), from Artemis's management operations, the same for the embedded broker and an
 * external one.
 */
@ApplicationScoped
public class BrokerHa {
    /** @param topology Artemis's {@code listNetworkTopology}: a JSON array of {nodeID, primary, backup} */
    public record State(String policy, String topology) {
    }

    private BrokerConnection broker;

    protected BrokerHa() {
    }

    @Inject
    public BrokerHa(BrokerConnection broker) {
        this.broker = broker;
    }

    public State state() {
        return broker.admin("Asking the broker for its HA state", session -> new State(
                String.valueOf(BrokerManagement.attribute(session, "HAPolicy")),
                String.valueOf(BrokerManagement.invoke(session, "listNetworkTopology"))));
    }
}
