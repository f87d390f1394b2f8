package io.solarwind.infrastructure.broker;

import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.filter.impl.FilterImpl;
import org.apache.activemq.artemis.core.persistence.StorageManager;
import org.apache.activemq.artemis.core.persistence.impl.journal.LargeServerMessageImpl;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.ActivateCallback;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.RoutingContext;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.core.transaction.impl.TransactionImpl;

/**
 * Replay on Artemis journal retention, run inside the broker that holds the journal: Solar
 * Wind's broker plugin, in the embedded broker ({@link RetentionReplay#configure}) and in a
 * standalone one (the {@code solarwind-broker} jar in its {@code lib/}, this class in
 * {@code <broker-plugins>} of {@code artemis/broker.xml}). Each time the broker becomes active
 * (when it starts, and when a shared-store backup takes over after a failover) the plugin
 * registers the management resource {@value BrokerNames#REPLAY_RESOURCE}; any Solar Wind server
 * connected to the active broker invokes its {@link Resource#replay} with a management message.
 * Before that, once the journal is loaded, it copies to retention the journal file the previous
 * active broker was writing when Artemis leaves it out ({@link RetentionCatchUp}), and when the
 * broker stops it copies the files the journal has closed but not yet copied.
 * Management messages need the {@code manage} permission on {@code activemq.management}, which
 * only Solar Wind's server role and the admin role have.
 *
 * <p>A replay has two steps.
 *
 * <ol>
 * <li>Artemis's replay operation reads the retained journal files in order and routes every
 * message of {@code solarwind.inbound} that matches the topic and the window into a private
 * staging queue {@code solarwind.replay.<uuid>} (non-durable, on a temporary address, created
 * for this replay). This plugin sees each routing on the replaying thread, in the order the
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
 *
 * <p>The replay runs on a thread of its own, not on the broker's session thread that delivers
 * the management message: it waits on, and then clears, its thread's storage operation context,
 * which on a session thread is the session's.
 *
 * <p>It implements the whole {@link ActiveMQServerPlugin}, though it uses only message routing and
 * its registration: a {@code <broker-plugin>} of {@code broker.xml} must be one.
 */
public class ReplayService implements ActiveMQServerPlugin {
    private static final Logger LOG = Logger.getLogger(ReplayService.class.getName());
    /** Prefix of the staging queues (and their addresses): no purpose destination starts with it. */
    static final String STAGING_PREFIX = "solarwind.replay.";
    /** The operation of {@link Resource} a management message names. */
    public static final String OPERATION = "replay";
    /** Begins the failure message of a replay asked of a broker without journal retention. */
    public static final String RETENTION_OFF = "journal retention is off on this broker";
    /**
     * A topic name, as {@code io.solarwind.domain.Topic} checks it: also what keeps the replay
     * filter, which quotes the topic, from being broken out of.
     */
    static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    /** A purpose name, as {@code io.solarwind.domain.Purpose} checks it. */
    static final Pattern PURPOSE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}(~[A-Za-z0-9][A-Za-z0-9._-]{0,31})?");
    /** A version mark: the property naming a purpose's version, and the version (Registration.versionProperty). */
    static final Pattern MARK_PROPERTY = Pattern.compile("solarwind_pv_[A-Za-z0-9_$]{1,100}");
    static final Pattern MARK_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    /** Address and queue prefixes of a direct purpose, as {@code io.solarwind.domain.Registration} names them. */
    static final String TOPIC_ADDRESS_PREFIX = "solarwind.topic.";
    static final String DIRECT_QUEUE_PREFIX = "solarwind.direct.";
    private static final String FQQN_SEPARATOR = "::";
    private static final SimpleString DUPLICATE_ID = SimpleString.of(BrokerNames.DUPLICATE_ID_PROPERTY);
    private static final SimpleString PARTITION_KEY = SimpleString.of(CloudEventProperties.PARTITIONKEY);
    /** How long the journal may take to confirm the staging and the copies. */
    private static final long CONFIRM_MILLIS = TimeUnit.MINUTES.toMillis(4);
    /**
     * How long the management call waits for its replay: less than Solar Wind waits for the
     * answer, so that a replay still running is reported as such rather than as no answer.
     */
    static final long REPLAY_MILLIS = TimeUnit.MINUTES.toMillis(4);

    private final ThreadLocal<Capture> capture = new ThreadLocal<>();
    /** One callback however often the broker starts: the broker keeps its callbacks in a set. */
    private final ActivateCallback onActivation = new ActivateCallback() {
        @Override
        public void preActivate() {
            ActiveMQServer starting = server;
            if (starting != null) {
                StoppedAckManagers.release(starting); // before this start makes its own (ARTEMIS-5446)
            }
        }

        @Override
        public void activated() {
            catchUpRetention();
            registerResource();
        }

        @Override
        public void deActivate() {
            ActiveMQServer active = server;
            if (active != null) {
                try {
                    // the journal's stop drops the closed files it has not copied to retention yet
                    RetentionCatchUp.retainClosedFiles(active);
                } catch (RuntimeException | LinkageError e) { // never keeps the broker from stopping
                    LOG.severe("Closed journal files waiting for their retention copy were not copied before the broker"
                            + " stopped: " + e);
                }
            }
        }
    };
    private volatile ActiveMQServer server;

    /**
     * What a broker needs for replay when it is configured in code: this plugin, and the staging
     * addresses' settings (no duplicate-ID cache, no paging: everything a replay stages is in
     * memory until its copies are committed). {@code artemis/broker.xml} says the same in XML.
     */
    public static void configure(Configuration config) {
        config.registerBrokerPlugin(new ReplayService());
        config.addAddressSetting(STAGING_PREFIX + "#", new AddressSettings()
                .setIDCacheSize(0)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.BLOCK));
    }

    /** Called at every start of the broker (and a backup's): the resource comes with each activation. */
    @Override
    public void registered(ActiveMQServer activeMQServer) {
        server = activeMQServer;
        activeMQServer.registerActivateCallback(onActivation);
        if (activeMQServer.isActive()) { // registered on a running broker: no activation to wait for
            registerResource();
        }
    }

    @Override
    public void unregistered(ActiveMQServer activeMQServer) {
        activeMQServer.unregisterActivateCallback(onActivation);
        activeMQServer.getManagementService().unregisterFromRegistry(BrokerNames.REPLAY_RESOURCE);
        server = null;
    }

    /**
     * Copies to retention the journal file the previous active broker was writing, when Artemis
     * left it out ({@link RetentionCatchUp}): runs once the journal is loaded, before clients connect.
     */
    private void catchUpRetention() {
        ActiveMQServer active = server;
        if (active == null) {
            return;
        }
        try {
            RetentionCatchUp.retainMissedFiles(active);
        } catch (Exception | LinkageError e) { // never keeps the broker from becoming active
            LOG.severe("Journal retention could not be completed after the broker became active; replay may miss the"
                    + " events the previous broker stored last: " + e);
        }
    }

    private void registerResource() {
        ActiveMQServer active = server;
        if (active != null) {
            active.getManagementService().registerInRegistry(BrokerNames.REPLAY_RESOURCE, new Resource(active, this));
            LOG.fine(() -> "Solar Wind replay is available as management resource " + BrokerNames.REPLAY_RESOURCE);
        }
    }

    /**
     * Collects each message a replay on this thread routes into its staging queue. Artemis's
     * replay routes on the calling thread as it reads the journal, so the list is in journal
     * order whatever order the staging queue ends up in.
     */
    @Override
    public void afterMessageRoute(Message message, RoutingContext context, boolean direct, boolean rejectDuplicates,
                                  RoutingStatus result) {
        Capture current = capture.get();
        if (current != null && result == RoutingStatus.OK && current.staging.equals(message.getAddressSimpleString())) {
            current.messages.add(message);
        }
    }

    /**
     * Copies the retained messages of {@code source} that match {@code filter} to the queue
     * {@code destination} in journal order, in one transaction, and returns how many. Runs on the
     * calling thread, whose storage operation context it waits on and clears: not a session's.
     */
    long replay(ActiveMQServer activeMQServer, String source, String destination, String filter) throws Exception {
        return replay(activeMQServer, source, destination, filter, null, null);
    }

    /**
     * Copies as {@link #replay(ActiveMQServer, String, String, String)} does, each copy marked with
     * {@code markProperty = markVersion} when given: a version's queue takes only events marked with its version.
     */
    long replay(ActiveMQServer activeMQServer, String source, String destination, String filter, String markProperty,
                String markVersion) throws Exception {
        StorageManager storage = activeMQServer.getStorageManager();
        SimpleString staging = SimpleString.of(STAGING_PREFIX + UUID.randomUUID());
        activeMQServer.createQueue(QueueConfiguration.of(staging).setRoutingType(RoutingType.ANYCAST)
                .setDurable(false).setTemporary(true).setAutoCreateAddress(true));
        Capture staged = new Capture(staging);
        capture.set(staged);
        try {
            // no file-date bounds: a retention file's date is when it was closed, not when its events came
            activeMQServer.replay(null, null, source, staging.toString(), filter);
            capture.remove();
            return copyInOrder(activeMQServer, staged.messages, SimpleString.of(destination), markProperty, markVersion);
        } finally {
            capture.remove();
            try {
                // the staging routings (and anything they left pending) are done before the queue goes
                storage.waitOnOperations(CONFIRM_MILLIS);
                activeMQServer.destroyQueue(staging, null, false, true, true);
                if (activeMQServer.getAddressInfo(staging) != null) {
                    activeMQServer.removeAddressInfo(staging, null, true);
                }
            } catch (Exception e) {
                LOG.warning("Replay staging queue " + staging + " was not removed: " + e);
            } finally {
                storage.clearContext();
            }
        }
    }

    /** Routes a copy of each message, in list order, to {@code destination} in one transaction. */
    private static long copyInOrder(ActiveMQServer activeMQServer, List<Message> messages, SimpleString destination,
                                    String markProperty, String markVersion) throws Exception {
        StorageManager storage = activeMQServer.getStorageManager();
        Transaction tx = new TransactionImpl(storage);
        try {
            for (Message message : messages) {
                // as Artemis's own move does it (QueueImpl.makeCopy), without the original-queue headers
                Message copy = message.copy(storage.generateID());
                copy.removeProperty(DUPLICATE_ID); // wanted even if the purpose had the event
                Object key = copy.getObjectProperty(PARTITION_KEY);
                if (key != null && copy instanceof org.apache.activemq.artemis.api.core.ICoreMessage) {
                    copy.putStringProperty(Message.HDR_GROUP_ID, SimpleString.of(key.toString())); // an ordering key, as the dispatcher sets it
                }
                if (markProperty != null) {
                    copy.putStringProperty(SimpleString.of(markProperty), SimpleString.of(markVersion));
                }
                copy.setAddress(destination);
                copy.setRoutingType(null);
                copy.reencode();
                copy = LargeServerMessageImpl.checkLargeMessage(copy, storage);
                RoutingStatus status = activeMQServer.getPostOffice().route(copy, tx, false);
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
     * The management resource {@value BrokerNames#REPLAY_RESOURCE} of the active broker. Artemis
     * finds its operation by name and parameter count and converts the message's JSON parameters
     * to the parameter types (strings and numbers here), so it is public with plain parameters.
     */
    public static final class Resource {
        private final ActiveMQServer server;
        private final ReplayService plugin;

        Resource(ActiveMQServer server, ReplayService plugin) {
            this.server = server;
            this.plugin = plugin;
        }

        /**
         * Copies every retained event of {@code topic} the broker received in [fromMillis, toMillis]
         * (epoch milliseconds) into {@code destination}, the fully qualified name of a direct
         * purpose's queue of that topic ({@code solarwind.topic.<topic>::solarwind.direct.<topic>.<purpose>}),
         * in the order the broker stored them, and returns how many.
         *
         * @throws IllegalArgumentException for a bad topic, window or destination
         * @throws IllegalStateException when the broker keeps no retention (the message begins with
         *         {@value ReplayService#RETENTION_OFF}), or when the replay failed or is still running
         */
        public long replay(String topic, String destination, long fromMillis, long toMillis) throws InterruptedException {
            return replay(topic, destination, fromMillis, toMillis, null);
        }

        /**
         * Copies, as {@link #replay(String, String, long, long)} does, only the retained events that
         * match {@code selector} too: the message selector of the purpose's filter (null or blank: all).
         *
         * @throws IllegalArgumentException for a selector the broker cannot parse, as for the others
         */
        public long replay(String topic, String destination, long fromMillis, long toMillis, String selector)
                throws InterruptedException {
            return replay(topic, destination, fromMillis, toMillis, selector, null, null);
        }

        /**
         * Copies, as {@link #replay(String, String, long, long, String)} does, each copy marked with the version of
         * the purpose whose queue {@code destination} is ({@code markProperty = markVersion}, both null: none):
         * a direct purpose with several versions has a queue per version, each taking only its version's events.
         */
        public long replay(String topic, String destination, long fromMillis, long toMillis, String selector,
                           String markProperty, String markVersion) throws InterruptedException {
            if ((markProperty == null) != (markVersion == null) || markProperty != null
                    && (!MARK_PROPERTY.matcher(markProperty).matches() || !MARK_VERSION.matcher(markVersion).matches())) {
                throw new IllegalArgumentException("not a version mark: " + markProperty + " = " + markVersion);
            }
            if (topic == null || !TOPIC.matcher(topic).matches()) {
                throw new IllegalArgumentException("not a topic: " + topic);
            }
            if (server.getConfiguration().getJournalRetentionLocation() == null) {
                throw new IllegalStateException(RETENTION_OFF + " (its configuration has no journal-retention-directory),"
                        + " so it keeps no events to replay");
            }
            if (toMillis < fromMillis) {
                throw new IllegalArgumentException("the window ends (" + toMillis + ") before it begins (" + fromMillis + ")");
            }
            checkDirectQueueOf(topic, destination);
            // the topic is checked above: it holds no quote to break out of the filter with
            String filter = CloudEventProperties.TYPE + " = '" + topic + "' AND AMQTimestamp >= " + fromMillis
                    + " AND AMQTimestamp <= " + toMillis;
            if (selector != null && !selector.isBlank()) {
                try {
                    FilterImpl.createFilter(selector); // parsed alone: a selector closing the parenthesis would not be
                } catch (Exception e) {
                    throw new IllegalArgumentException("not a message selector: " + selector, e);
                }
                filter = filter + " AND (" + selector + ")";
            }
            return runOnOwnThread(topic, destination, filter, markProperty, markVersion);
        }

        private void checkDirectQueueOf(String topic, String destination) {
            String address = TOPIC_ADDRESS_PREFIX + topic;
            String queuePrefix = DIRECT_QUEUE_PREFIX + topic + ".";
            String fqqnPrefix = address + FQQN_SEPARATOR + queuePrefix;
            if (destination == null || !destination.startsWith(fqqnPrefix)
                    || !PURPOSE.matcher(destination.substring(fqqnPrefix.length())).matches()) {
                throw new IllegalArgumentException("not a direct purpose's queue of topic " + topic + ": " + destination
                        + " (expected " + fqqnPrefix + "<purpose> or " + fqqnPrefix + "<purpose>~<version>)");
            }
            String queueName = destination.substring(address.length() + FQQN_SEPARATOR.length());
            Queue queue = server.locateQueue(queueName);
            if (queue == null || !queue.getAddress().toString().equals(address)) {
                throw new IllegalArgumentException("the broker has no queue " + destination + " (was the purpose deleted?)");
            }
        }

        private long runOnOwnThread(String topic, String destination, String filter, String markProperty, String markVersion)
                throws InterruptedException {
            CompletableFuture<Long> done = new CompletableFuture<>();
            Thread worker = new Thread(() -> {
                try {
                    done.complete(plugin.replay(server, BrokerNames.INBOUND, destination, filter, markProperty, markVersion));
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            }, "solarwind-replay-" + topic);
            worker.setDaemon(true);
            worker.start();
            try {
                long copied = done.get(REPLAY_MILLIS, TimeUnit.MILLISECONDS);
                LOG.info(() -> "Replayed " + copied + " events of " + topic + " into " + destination);
                return copied;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw new IllegalStateException("replay of " + topic + " into " + destination + " failed: "
                        + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
            } catch (TimeoutException e) {
                done.whenComplete((copied, failure) -> {
                    if (failure == null) {
                        LOG.info("Replay of " + topic + " into " + destination + " completed late: " + copied + " events copied");
                    } else {
                        LOG.warning("Replay of " + topic + " into " + destination + " failed late: " + failure);
                    }
                });
                throw new IllegalStateException("replay of " + topic + " into " + destination + " is still running after "
                        + REPLAY_MILLIS / 1000 + " s; its copies arrive, all together, if it completes (the broker log says)");
            }
        }
    }
}
