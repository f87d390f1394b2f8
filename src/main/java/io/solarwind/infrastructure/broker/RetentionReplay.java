package io.solarwind.infrastructure.broker;

import io.solarwind.application.EventReplay;
import io.solarwind.domain.Registration;
import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.RoutingContext;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;

/**
 * Replay on Artemis journal retention: the embedded broker keeps every journal file for
 * {@code solarwind.retention.days}, and Artemis's replay operation routes the retained
 * messages of {@code solarwind.inbound} that match the topic and the window into the
 * purpose's destination, in journal order. The count comes from a broker plugin that sees
 * each replayed message routed (the replay routes on the calling thread).
 */
@ApplicationScoped
public class RetentionReplay implements EventReplay {
    private static final ThreadLocal<long[]> ROUTED = new ThreadLocal<>();

    private EmbeddedBroker broker;

    protected RetentionReplay() {
    }

    @Inject
    public RetentionReplay(EmbeddedBroker broker) {
        this.broker = broker;
    }

    @Override
    public long replay(Registration registration, Instant from, Instant to) {
        if (!broker.isActive()) {
            throw new UnsupportedOperationException("replay needs the embedded broker's journal retention; "
                    + "with an external broker use Artemis's replay operation (see the README)");
        }
        // topic names hold no quotes (they are validated), so the filter cannot be broken out of
        String filter = CloudEventProperties.TYPE + " = '" + registration.topic().name() + "' AND AMQTimestamp >= "
                + from.toEpochMilli() + " AND AMQTimestamp <= " + to.toEpochMilli();
        long[] routed = {0};
        ROUTED.set(routed);
        try {
            // no file-date bounds: a retention file's date is when it was closed, not when its events came
            broker.server().replay(null, null, BrokerNames.INBOUND, registration.destination(), filter);
        } catch (Exception e) {
            throw new IllegalStateException("Replay into " + registration.destination() + " failed: " + e.getMessage(), e);
        } finally {
            ROUTED.remove();
        }
        return routed[0];
    }

    /**
     * Counts the messages a replay on this thread routes, and takes their duplicate-detection
     * key off first: a replayed copy is wanted even if the purpose had the event, and without the
     * key each copy is stored plainly, in journal order.
     */
    public static final class Counter implements ActiveMQServerPlugin {
        private static final SimpleString DUPLICATE_ID = SimpleString.of(BrokerNames.DUPLICATE_ID_PROPERTY);

        @Override
        public void beforeMessageRoute(Message message, RoutingContext context, boolean direct, boolean rejectDuplicates) {
            if (ROUTED.get() != null) {
                message.removeProperty(DUPLICATE_ID);
            }
        }

        @Override
        public void afterMessageRoute(Message message, RoutingContext context, boolean direct, boolean rejectDuplicates,
                                      RoutingStatus result) {
            long[] routed = ROUTED.get();
            if (routed != null && result == RoutingStatus.OK) {
                routed[0]++;
            }
        }
    }
}
