package io.solarwind.handler.internal;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The part of Solar Wind's admin API that handler services call (MicroProfile Rest Client). */
@Path("/api/v1/topics")
public interface AdminClient {
    @PUT
    @Path("/{topic}/purposes/{purpose}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response register(@HeaderParam("Authorization") String authorization,
                      @PathParam("topic") String topic, @PathParam("purpose") String purpose, String body);
}
