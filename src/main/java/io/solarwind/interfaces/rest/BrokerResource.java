package io.solarwind.interfaces.rest;

import io.solarwind.dispatch.Dispatcher;
import io.solarwind.infrastructure.broker.EmbeddedBroker;
import io.solarwind.infrastructure.messaging.jms.BrokerConnection;
import io.solarwind.infrastructure.messaging.jms.BrokerHa;
import io.solarwind.infrastructure.messaging.jms.BrokerUnavailableException;
import io.solarwind.infrastructure.messaging.jms.JmsRegistrationStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.StringReader;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the server runs on: the broker it uses and that broker's HA state, the journal type,
 * this server's dispatcher role (active or standing by) and its counters.
 */
@Path("broker")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class BrokerResource {
    @Inject
    EmbeddedBroker embeddedBroker;
    @Inject
    BrokerConnection broker;
    @Inject
    BrokerHa brokerHa;
    @Inject
    Dispatcher dispatcher;
    @Inject
    JmsRegistrationStore registry;

    @Tag(name = "broker")
    @Operation(summary = "The broker in use, its HA state and this server's dispatcher")
    @APIResponse(responseCode = "200", ref = "BrokerStatus")
    @GET
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    public JsonObject broker() {
        boolean embedded = embeddedBroker.enabled();
        return Json.createObjectBuilder()
                .add("embedded", embedded)
                .add("url", BrokerConnection.url())
                .add("connected", broker.isHealthy())
                .add("connectedTo", broker.connectedTo())
                .add("journal", embedded ? String.valueOf(embeddedBroker.journalType()) : "external")
                .add("dispatcher", dispatcher.role())
                .add("dispatching", dispatcher.isConsuming())
                .add("takeovers", dispatcher.takeoverCount())
                .add("dispatched", dispatcher.dispatchedCount())
                .add("deadLettered", dispatcher.deadLetteredCount())
                .add("ha", ha(embedded))
                .add("registry", registryStatus(registry.unreadable()))
                .build();
    }

    /**
     * Whether this server could read every registration record, and the records it could not
     * (while there are any it does not dispatch; docs/high-availability.md says how to remove them).
     */
    public static JsonObject registryStatus(List<JmsRegistrationStore.UnreadableRecord> records) {
        JsonArrayBuilder unreadable = Json.createArrayBuilder();
        for (JmsRegistrationStore.UnreadableRecord record : records) {
            unreadable.add(Json.createObjectBuilder().add("queue", record.queue())
                    .add("messageId", String.valueOf(record.messageId())).add("reason", record.reason()));
        }
        JsonArray all = unreadable.build();
        return Json.createObjectBuilder().add("readable", all.isEmpty()).add("unreadable", all).build();
    }

    /**
     * The HA part: this server's embedded half (its role, and whether it is the active one) and
     * what the broker in use reports (its policy, and the pair as its cluster connection sees it).
     */
    private JsonObjectBuilder ha(boolean embedded) {
        JsonObjectBuilder ha = Json.createObjectBuilder();
        if (embedded) {
            ha.add("embeddedRole", embeddedBroker.pair().role().wireName())
                    .add("embeddedActive", embeddedBroker.isActive());
        }
        try {
            BrokerHa.State state = brokerHa.state();
            ha.add("policy", state.policy());
            try (JsonReader topology = Json.createReader(new StringReader(state.topology()))) {
                ha.add("topology", topology.readArray());
            }
        } catch (BrokerUnavailableException e) {
            ha.add("policy", "unknown").add("error", e.getMessage());
        }
        return ha;
    }
}
