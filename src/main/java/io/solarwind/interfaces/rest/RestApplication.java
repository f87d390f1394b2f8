package io.solarwind.interfaces.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The Solar Wind HTTP API, version 1. */
@ApplicationPath("/api/v1")
public class RestApplication extends Application {
}
