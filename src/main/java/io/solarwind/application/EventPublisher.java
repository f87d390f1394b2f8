package io.solarwind.application;

import io.solarwind.domain.Event;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Hands events to the dispatcher's inbound destination. Publishing the same {@code source} +
 * {@code id} again is accepted and dispatched once, whichever way it comes.
 */
public interface EventPublisher {
    /**
     * Completes once the broker has stored the event durably (in its journal), exceptionally when
     * it did not (then the event may or may not be stored: publishing it again is safe). Many
     * publishes in flight at once share the broker's journal writes.
     */
    CompletionStage<Void> publishAsync(Event event);

    /**
     * Returns only once the broker has stored every event durably. Events with the same
     * {@code source} + {@code id} as an earlier one of the list are dropped, as are those the
     * broker already has. New events are stored in one transaction: if it throws, none of them was
     * stored by this call. Only a list holding an event the broker already had (a list sent again)
     * is stored event by event, so a failure can leave part of it stored; sending it again then
     * stores the rest, once each.
     */
    void publishAll(List<Event> events);
}
