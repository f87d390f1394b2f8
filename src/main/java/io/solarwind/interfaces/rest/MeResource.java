package io.solarwind.interfaces.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Who the caller is and which of Solar Wind's roles it has: the console shows or hides its
 * controls by it (the server checks every call anyway).
 */
@Path("me")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {
    @Context
    SecurityContext security;

    @Tag(name = "caller")
    @Operation(summary = "The caller's user name and Solar Wind roles")
    @APIResponse(responseCode = "200", ref = "Caller")
    @GET
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN, Roles.PUBLISHER})
    public JsonObject me() {
        JsonArrayBuilder roles = Json.createArrayBuilder();
        for (String role : new String[] {Roles.ADMIN, Roles.PUBLISHER, Roles.VIEWER}) {
            if (security.isUserInRole(role)) {
                roles.add(role);
            }
        }
        return Json.createObjectBuilder()
                .add("user", security.getUserPrincipal() == null ? "" : security.getUserPrincipal().getName())
                .add("roles", roles)
                .build();
    }
}
