package io.solarwind.interfaces.rest;

import io.solarwind.dispatch.Dispatcher;
import io.solarwind.infrastructure.broker.EmbeddedBroker;
import io.solarwind.infrastructure.messaging.jms.BrokerConnection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the server runs on: the broker it uses, the journal type, and the dispatcher's counters. */
@Path("broker")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class BrokerResource {
    @Inject
    EmbeddedBroker embeddedBroker;
    @Inject
    BrokerConnection broker;
    @Inject
    Dispatcher dispatcher;

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    public JsonObject broker() {
        boolean embedded = embeddedBroker.enabled();
        return Json.createObjectBuilder()
                .add("embedded", embedded)
                .add("url", BrokerConnection.url())
                .add("connected", broker.isHealthy())
                .add("journal", embedded ? String.valueOf(embeddedBroker.journalType()) : "external")
                .add("dispatching", dispatcher.isConsuming())
                .add("dispatched", dispatcher.dispatchedCount())
                .add("deadLettered", dispatcher.deadLetteredCount())
                .build();
    }
}
