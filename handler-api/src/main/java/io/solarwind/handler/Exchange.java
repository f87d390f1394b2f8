package io.solarwind.handler;

/** How the instances of one purpose share its events. */
public enum Exchange {
    /** One instance gets each event; events wait durably until an instance takes them. */
    DIRECT,
    /** Every instance connected at that moment gets a copy; with none connected, the copy is dropped. */
    FANOUT
}
