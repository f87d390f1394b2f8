package io.solarwind.application;

import io.solarwind.domain.Registration;
import java.time.Instant;

/** Copies retained events of a topic into a direct purpose: the seed design's replay. */
public interface EventReplay {
    /**
     * Copies every retained event of the registration's topic received in [from, to] into the
     * purpose's destination, in the order they were received.
     *
     * @return how many events were copied
     * @throws UnsupportedOperationException when the broker keeps no retention, or runs without Solar Wind's
     *         broker plugin that replays
     */
    long replay(Registration registration, Instant from, Instant to);
}
