package io.solarwind.infrastructure.broker;

import io.solarwind.application.EventReplay;
import io.solarwind.config.Setting;
import io.solarwind.domain.Registration;
import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.jms.BrokerConnection;
import io.solarwind.infrastructure.messaging.jms.BrokerManagement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.core.config.Configuration;

/**
 * Replay on Artemis journal retention, run by Solar Wind's broker plugin ({@link ReplayService})
 * inside whichever broker is active, embedded or standalone, so that every Solar Wind server
 * sharing a broker (or an HA pair of brokers) can answer it: this server asks for it with a
 * management message on its admin session and waits for the count. The admin session's user needs
 * the {@code manage} permission (Solar Wind's server role has it). A broker without retention or
 * without the plugin cannot replay: {@link UnsupportedOperationException}.
 */
@ApplicationScoped
public class RetentionReplay implements EventReplay {
    /** How long this server waits for the broker's answer: longer than the broker lets a replay run. */
    static final long ANSWER_MILLIS = TimeUnit.MINUTES.toMillis(5);
    /** Artemis's message id for a management message naming a resource the broker does not have. */
    private static final String NO_SUCH_RESOURCE = "AMQ229067";
    /** Artemis's message id for an operation the resource does not have (another version of the plugin). */
    private static final String NO_SUCH_OPERATION = "AMQ229069";

    private BrokerConnection broker;

    protected RetentionReplay() {
    }

    @Inject
    public RetentionReplay(BrokerConnection broker) {
        this.broker = broker;
    }

    /** What the embedded broker needs for replay: Solar Wind's replay plugin and its staging addresses' settings. */
    public static void configure(Configuration config) {
        ReplayService.configure(config);
    }

    @Override
    public long replay(Registration registration, Instant from, Instant to) {
        String destination = registration.destination();
        String selector = registration.filter() == null ? null : registration.filter().selector();
        // a purpose with several versions: into the active version's queue, which takes only the events marked with its version
        String markProperty = registration.routesByVersion() ? registration.versionProperty() : null;
        String markVersion = registration.routesByVersion() ? registration.versions().active() : null;
        return broker.admin("Replay into " + destination, session -> replay(session, registration.topic().name(),
                destination, from.toEpochMilli(), to.toEpochMilli(), selector, markProperty, markVersion));
    }

    static long replay(ClientSession session, String topic, String destination, long fromMillis, long toMillis)
            throws ActiveMQException {
        return replay(session, topic, destination, fromMillis, toMillis, null);
    }

    /**
     * Has the broker copy the retained events of {@code topic} received in [fromMillis, toMillis]
     * (and matching {@code selector}, the purpose's filter, unless null) into {@code destination}
     * and returns how many it copied.
     *
     * @throws UnsupportedOperationException when the broker keeps no retention or runs without the plugin
     * @throws IllegalStateException when the broker's replay failed (the message says why)
     * @throws ActiveMQException when the broker did not answer
     */
    static long replay(ClientSession session, String topic, String destination, long fromMillis, long toMillis,
                       String selector) throws ActiveMQException {
        return replay(session, topic, destination, fromMillis, toMillis, selector, null, null);
    }

    /** As {@link #replay(ClientSession, String, String, long, long, String)}, each copy marked {@code markProperty = markVersion} unless null. */
    static long replay(ClientSession session, String topic, String destination, long fromMillis, long toMillis,
                       String selector, String markProperty, String markVersion) throws ActiveMQException {
        Object copied;
        try {
            // a filtered purpose's replay names its selector (the five-parameter operation), a version's its mark
            // too (the seven-parameter one); others keep the four (a broker plugin of an earlier version has those)
            copied = markProperty != null
                    ? BrokerManagement.call(session, BrokerNames.REPLAY_RESOURCE, ReplayService.OPERATION, ANSWER_MILLIS,
                            topic, destination, fromMillis, toMillis, selector == null ? "" : selector, markProperty, markVersion)
                    : selector == null
                    ? BrokerManagement.call(session, BrokerNames.REPLAY_RESOURCE, ReplayService.OPERATION, ANSWER_MILLIS,
                            topic, destination, fromMillis, toMillis)
                    : BrokerManagement.call(session, BrokerNames.REPLAY_RESOURCE, ReplayService.OPERATION, ANSWER_MILLIS,
                            topic, destination, fromMillis, toMillis, selector);
        } catch (BrokerManagement.RefusedException e) {
            String reason = e.reason();
            if (reason.contains(NO_SUCH_RESOURCE) || reason.contains(NO_SUCH_OPERATION)) {
                throw new UnsupportedOperationException("replay runs in the broker, and this one runs without Solar Wind's"
                        + " broker plugin " + ReplayService.class.getName() + " (solarwind-broker.jar in its lib/, the class in"
                        + " its broker-plugins): " + reason);
            }
            if (reason.contains(ReplayService.RETENTION_OFF)) {
                throw new UnsupportedOperationException("replay needs journal retention, which is off at the broker (for the"
                        + " embedded broker " + Setting.RETENTION_DAYS.key() + " = 0): " + reason);
            }
            throw new IllegalStateException("Replay into " + destination + " failed at the broker: " + reason, e);
        }
        if (!(copied instanceof Number count)) {
            throw new IllegalStateException("Replay into " + destination + ": the broker answered " + copied + ", not a count");
        }
        return count.longValue();
    }
}
