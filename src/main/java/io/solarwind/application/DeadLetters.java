package io.solarwind.application;

import io.solarwind.domain.Registration;
import java.util.List;

/** The events of a purpose that ended on the dead-letter address, and what to do with them. */
public interface DeadLetters {
    /** One dead-lettered event: its CloudEvents id, why it failed, after how many deliveries, and when. */
    record DeadLetter(String id, String reason, int attempts, long deadLetteredAt) {
    }

    /** The purpose's dead letters, oldest first, at most {@code limit}. */
    List<DeadLetter> list(Registration purpose, int limit);

    /** Moves one back to the purpose's destination, in one transaction; false when there is none with that id. */
    boolean retry(Registration purpose, String id);

    /** Drops one; false when there is none with that id. */
    boolean discard(Registration purpose, String id);
}
