package io.solarwind.interfaces.rest;

/**
 * The roles of the HTTP API. Users get them through groups of the same names in the
 * server's registry (the development basic registry, a JWT's {@code groups} claim, LDAP).
 */
public final class Roles {
    /** Register, change and delete purposes, replay, dead letters; also read. */
    public static final String ADMIN = "solarwind-admin";
    /** Publish events. */
    public static final String PUBLISHER = "solarwind-publisher";
    /** Read registrations and the broker's state. */
    public static final String VIEWER = "solarwind-viewer";

    private Roles() {
    }
}
