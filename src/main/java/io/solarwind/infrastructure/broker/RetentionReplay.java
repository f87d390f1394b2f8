package io.solarwind.infrastructure.broker;

import io.solarwind.config.Setting;
import io.solarwind.application.EventReplay;
import io.solarwind.domain.Registration;
import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.persistence.StorageManager;
import org.apache.activemq.artemis.core.persistence.impl.journal.LargeServerMessageImpl;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.RoutingContext;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.core.transaction.impl.TransactionImpl;

/**
 * Replay on Artemis journal retention, in two steps.
 *
 * <ol>
 * <li>Artemis's replay operation reads the retained journal files in order and routes every
 * message of {@code solarwind.inbound} that matches the topic and the window into a private
 * staging queue {@code solarwind.replay.<uuid>} (non-durable, on a temporary address, created
 * for this replay). A broker plugin sees each routing on the calling thread, in the order the
 * replay reads the journal, which is the order the broker stored the events, and keeps them
 * in that order.</li>
 * <li>Copies of those messages are routed to the purpose's queue in one broker transaction,
 * in that order; the answer waits until the journal has the commit and the copies are in the
 * queue. Then the staging queue goes.</li>
 * </ol>
 *
 * <p>Why not replay straight into the purpose's queue: in Artemis 2.40 the replay routes every
 * message with one shared routing context and no transaction. A message with a duplicate
 * detection key (every Solar Wind event has one) makes the post office open a transaction on
 * that context; it is committed after the first message but stays on the context, so every
 * later message is stored as part of an already committed transaction. Those copies go into the
 * queue at once while the first waits for its commit to reach the disk (so it lands a few places
 * late), and the journal has no commit record for them: they are gone after a broker restart.
 * The staging step needs neither order nor durability from that routing: it is in memory only
 * (a crash mid-replay leaves nothing behind), its address keeps no duplicate IDs (so it writes
 * nothing to the journal) and never pages.
 */
@ApplicationScoped
public class RetentionReplay implements EventReplay {
    private static final Logger LOG = Logger.getLogger(RetentionReplay.class.getName());
    /** Prefix of the staging queues (and their addresses): no purpose destination starts with it. */
    static final String STAGING_PREFIX = "solarwind.replay.";
    private static final SimpleString DUPLICATE_ID = SimpleString.of(BrokerNames.DUPLICATE_ID_PROPERTY);
    /** How long the answer waits for the journal to confirm the copies. */
    private static final long CONFIRM_MILLIS = TimeUnit.MINUTES.toMillis(5);
    private static final ThreadLocal<Capture> CAPTURE = new ThreadLocal<>();

    private EmbeddedBroker broker;

    protected RetentionReplay() {
    }

    @Inject
    public RetentionReplay(EmbeddedBroker broker) {
        this.broker = broker;
    }

    /**
     * What the embedded broker needs for replay: the plugin that collects what a replay routes,
     * and the staging addresses' settings (no duplicate-ID cache, no paging: everything a replay
     * stages is in memory until its copies are committed).
     */
    public static void configure(Configuration config) {
        config.registerBrokerPlugin(new Capturer());
        config.addAddressSetting(STAGING_PREFIX + "#", new AddressSettings()
                .setIDCacheSize(0)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.BLOCK));
    }

    @Override
    public long replay(Registration registration, Instant from, Instant to) {
        if (!broker.isActive()) {
            throw new UnsupportedOperationException("replay needs the embedded broker's journal retention; "
                    + "with an external broker use Artemis's replay operation (see the README)");
        }
        if (broker.server().getConfiguration().getJournalRetentionLocation() == null) {
            throw new UnsupportedOperationException("replay needs journal retention, which is off here ("
                    + Setting.RETENTION_DAYS.key() + " = 0)");
        }
        // topic names hold no quotes (they are validated), so the filter cannot be broken out of
        String filter = CloudEventProperties.TYPE + " = '" + registration.topic().name() + "' AND AMQTimestamp >= "
                + from.toEpochMilli() + " AND AMQTimestamp <= " + to.toEpochMilli();
        try {
            return replay(broker.server(), BrokerNames.INBOUND, registration.destination(), filter);
        } catch (Exception e) {
            throw new IllegalStateException("Replay into " + registration.destination() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Copies the retained messages of {@code source} that match {@code filter} to the queue
     * {@code destination} in journal order, in one transaction, and returns how many. The
     * broker must have been configured with {@link #configure}.
     */
    static long replay(ActiveMQServer server, String source, String destination, String filter) throws Exception {
        StorageManager storage = server.getStorageManager();
        SimpleString staging = SimpleString.of(STAGING_PREFIX + UUID.randomUUID());
        server.createQueue(QueueConfiguration.of(staging).setRoutingType(RoutingType.ANYCAST)
                .setDurable(false).setTemporary(true).setAutoCreateAddress(true));
        Capture capture = new Capture(staging);
        CAPTURE.set(capture);
        try {
            // no file-date bounds: a retention file's date is when it was closed, not when its events came
            server.replay(null, null, source, staging.toString(), filter);
            CAPTURE.remove();
            return copyInOrder(server, capture.messages, SimpleString.of(destination));
        } finally {
            CAPTURE.remove();
            try {
                // the staging routings (and anything they left pending) are done before the queue goes
                storage.waitOnOperations(CONFIRM_MILLIS);
                server.destroyQueue(staging, null, false, true, true);
                if (server.getAddressInfo(staging) != null) {
                    server.removeAddressInfo(staging, null, true);
                }
            } catch (Exception e) {
                LOG.warning("Replay staging queue " + staging + " was not removed: " + e);
            } finally {
                storage.clearContext();
            }
        }
    }

    /** Routes a copy of each message, in list order, to {@code destination} in one transaction. */
    private static long copyInOrder(ActiveMQServer server, List<Message> messages, SimpleString destination)
            throws Exception {
        StorageManager storage = server.getStorageManager();
        Transaction tx = new TransactionImpl(storage);
        try {
            for (Message message : messages) {
                // as Artemis's own move does it (QueueImpl.makeCopy), without the original-queue headers
                Message copy = message.copy(storage.generateID());
                copy.removeProperty(DUPLICATE_ID); // wanted even if the purpose had the event
                copy.setAddress(destination);
                copy.setRoutingType(null);
                copy.reencode();
                copy = LargeServerMessageImpl.checkLargeMessage(copy, storage);
                RoutingStatus status = server.getPostOffice().route(copy, tx, false);
                if (status != RoutingStatus.OK) {
                    throw new IllegalStateException(destination + " has no queue (was the purpose deleted?): " + status);
                }
            }
            tx.commit();
        } catch (Exception e) {
            try {
                tx.rollback();
            } catch (Exception rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        // the copies are in the queue once the journal has the commit (same operation context)
        if (!storage.waitOnOperations(CONFIRM_MILLIS)) {
            throw new IllegalStateException("the journal did not confirm the " + messages.size() + " copies into "
                    + destination + " within " + CONFIRM_MILLIS / 1000 + " s; they arrive when it does");
        }
        return messages.size();
    }

    /** What one replay, on its thread, has routed into its staging queue, in routing order. */
    private static final class Capture {
        final SimpleString staging;
        final List<Message> messages = new ArrayList<>();

        Capture(SimpleString staging) {
            this.staging = staging;
        }
    }

    /**
     * Collects each message a replay on this thread routes into its staging queue. Artemis's
     * replay routes on the calling thread as it reads the journal, so the list is in journal
     * order whatever order the staging queue ends up in.
     */
    public static final class Capturer implements ActiveMQServerPlugin {
        @Override
        public void afterMessageRoute(Message message, RoutingContext context, boolean direct, boolean rejectDuplicates,
                                      RoutingStatus result) {
            Capture capture = CAPTURE.get();
            if (capture != null && result == RoutingStatus.OK && capture.staging.equals(message.getAddressSimpleString())) {
                capture.messages.add(message);
            }
        }
    }
}
