package io.solarwind.application;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where registrations are kept so that they survive a restart and reach every server. Each key
 * (topic + purpose) has versions; a write names the version it makes, and of two servers
 * writing the same version of a key only the first succeeds.
 */
public interface RegistrationStore {
    /** The newest change of every key ever written, deletions included, in no particular order. */
    List<RegistryChange> loadAll();

    /**
     * Stores a change durably before returning, announces it to every server listening, and puts
     * it into the dispatch stream, in order with the events published after this call returns.
     *
     * @throws ConcurrentRegistryChangeException when that version of the key was written already
     */
    void write(RegistryChange change);

    /** Hears every change written through any server from now on, until the broker connection closes. */
    void listen(Consumer<RegistryChange> listener);
}
