package io.solarwind.infrastructure.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.domain.Exchange;
import io.solarwind.domain.Purpose;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.apache.activemq.artemis.core.io.nio.NIOSequentialFileFactory;
import org.apache.activemq.artemis.core.journal.RecordInfo;
import org.apache.activemq.artemis.core.journal.impl.JournalFile;
import org.apache.activemq.artemis.core.journal.impl.JournalImpl;
import org.apache.activemq.artemis.core.journal.impl.JournalReaderCallback;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.config.ha.SharedStoreBackupPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.SharedStorePrimaryPolicyConfiguration;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.NodeManager;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.core.server.impl.InVMNodeManager;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay against a real broker in this JVM, configured as the embedded one is (journal
 * retention, the inbound plugin, duplicate IDs persisted): the copies come in journal order,
 * survive a broker restart, and the staging queue is gone afterwards. A server asks for it with
 * a management message, in-VM or over TCP, of a broker configured in code or by a
 * {@code broker.xml}; a broker without retention or without the plugin gives the exception
 * the API answers 501 for; the broker's resource comes back after a restart and on a
 * shared-store backup that takes over.
 */
class RetentionReplayTest {
    private static final String URL = "vm://4711";
    /** A shared-store pair on one store: the primary's and the backup's in-VM acceptors. */
    private static final String PRIMARY_URL = "vm://4713";
    private static final String BACKUP_URL = "vm://4714";
    private static final String TOPIC = "replay.test";
    /** A direct purpose's queue on its topic's address, by its fully qualified name, and a sibling purpose's. */
    private static final String TOPIC_ADDRESS = "solarwind.topic.replay.test";
    private static final String TARGET_QUEUE = "solarwind.direct.replay.test.late";
    private static final String TARGET = TOPIC_ADDRESS + "::" + TARGET_QUEUE;
    private static final String SIBLING_QUEUE = "solarwind.direct.replay.test.early";
    private static final Registration LATE = registration(TOPIC, "late", Exchange.DIRECT);
    private static final String ALL_OF_THE_TOPIC = CloudEventProperties.TYPE + " = '" + TOPIC + "'";
    /** Longer than a clock tick: events before and after an instant taken between two pauses are on either side of it. */
    private static final long PAUSE_MILLIS = 20;
    private static final long FAILOVER_MILLIS = TimeUnit.SECONDS.toMillis(30);
    private static final AtomicInteger EVENTS = new AtomicInteger();

    /**
     * A standalone broker's configuration with what Solar Wind's replay needs in it (as
     * {@code artemis/broker.xml} has it): journal retention, the plugin, the staging addresses' settings.
     */
    private static final String STANDALONE_XML = """
            <configuration xmlns="urn:activemq" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                           xsi:schemaLocation="urn:activemq /schema/artemis-configuration.xsd">
              <core xmlns="urn:activemq:core">
                <name>replay-standalone</name>
                <persistence-enabled>true</persistence-enabled>
                <journal-type>NIO</journal-type>
                <paging-directory>data/paging</paging-directory>
                <bindings-directory>data/bindings</bindings-directory>
                <journal-directory>data/journal</journal-directory>
                <large-messages-directory>data/large-messages</large-messages-directory>
                <node-manager-lock-directory>data</node-manager-lock-directory>
                <journal-retention-directory period="7" unit="DAYS">data/retention</journal-retention-directory>
                <id-cache-size>1000</id-cache-size>
                <persist-id-cache>true</persist-id-cache>
                <security-enabled>false</security-enabled>
                <jmx-management-enabled>false</jmx-management-enabled>
                <acceptors>
                  <acceptor name="artemis">tcp://localhost:PORT?protocols=CORE</acceptor>
                </acceptors>
                <broker-plugins>
                  <broker-plugin class-name="io.solarwind.infrastructure.broker.InboundEventPlugin"/>
                  <broker-plugin class-name="io.solarwind.infrastructure.broker.ReplayService"/>
                </broker-plugins>
                <address-settings>
                  <address-setting match="#">
                    <address-full-policy>PAGE</address-full-policy>
                    <auto-delete-queues>false</auto-delete-queues>
                    <auto-delete-addresses>false</auto-delete-addresses>
                  </address-setting>
                  <address-setting match="solarwind.replay.#">
                    <id-cache-size>0</id-cache-size>
                    <address-full-policy>BLOCK</address-full-policy>
                  </address-setting>
                </address-settings>
              </core>
            </configuration>
            """;

    @TempDir
    Path data;
    private EmbeddedActiveMQ broker;
    private final List<ActiveMQServer> servers = new ArrayList<>();
    private final List<TestBrokers.AdminConnection> connections = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (TestBrokers.AdminConnection connection : connections) {
            connection.close();
        }
        if (broker != null) {
            broker.stop();
        }
        for (ActiveMQServer server : servers) {
            server.stop();
        }
    }

    @Test
    void copiesComeInJournalOrderOnceEachAndSurviveARestart() throws Exception {
        start(true, true);
        List<String> sent = publish(URL, TOPIC, 500, 3);
        publish(URL, "other.topic", 20, 1);
        createTarget(server());

        long copied = plugin(server()).replay(server(), BrokerNames.INBOUND, TARGET, ALL_OF_THE_TOPIC);

        assertEquals(500, copied);
        assertEquals(sent, browse(URL, TARGET_QUEUE), "the copies are the window's events in the order the broker stored them");
        assertEquals(List.of(), browse(URL, SIBLING_QUEUE), "the topic's other direct purposes get no copy");
        assertTrue(server().getPostOffice().getAddresses().stream().noneMatch(a -> a.toString().startsWith(ReplayService.STAGING_PREFIX)),
                "no staging address is left: " + server().getPostOffice().getAddresses());

        broker.stop();
        start(true, true);
        assertEquals(sent, browse(URL, TARGET_QUEUE), "the copies are in the journal: they survive a restart, still in order");
    }

    @Test
    void replayingAWindowTwiceDeliversItTwiceInOrder() throws Exception {
        start(true, true);
        List<String> sent = publish(URL, TOPIC, 50, 2);
        createTarget(server());

        assertEquals(50, plugin(server()).replay(server(), BrokerNames.INBOUND, TARGET, ALL_OF_THE_TOPIC));
        assertEquals(50, plugin(server()).replay(server(), BrokerNames.INBOUND, TARGET, ALL_OF_THE_TOPIC));

        List<String> twice = new ArrayList<>(sent);
        twice.addAll(sent);
        assertEquals(twice, browse(URL, TARGET_QUEUE));
        assertEquals(0, plugin(server()).replay(server(), BrokerNames.INBOUND, TARGET, CloudEventProperties.TYPE + " = 'nothing'"));
    }

    @Test
    void aServerReplaysTheWindowThroughTheBrokersManagementResource() throws Exception {
        start(true, true);
        publish(URL, TOPIC, 100, 2);
        Thread.sleep(PAUSE_MILLIS);
        Instant from = Instant.now();
        Thread.sleep(PAUSE_MILLIS);
        List<String> window = publish(URL, TOPIC, 300, 3);
        publish(URL, "other.topic", 20, 1);
        Thread.sleep(PAUSE_MILLIS);
        Instant to = Instant.now();
        Thread.sleep(PAUSE_MILLIS);
        publish(URL, TOPIC, 100, 2);
        createTarget(server());
        assertEquals(TARGET, LATE.destination(), "the test's queue is the one Solar Wind names for the purpose");

        long copied = new RetentionReplay(connect(URL)).replay(LATE, from, to);

        assertEquals(300, copied);
        assertEquals(window, browse(URL, TARGET_QUEUE), "exactly the window's events of the topic, in the order the broker stored them");
        assertEquals(List.of(), browse(URL, SIBLING_QUEUE), "the topic's other direct purposes get no copy");
        assertTrue(server().getPostOffice().getAddresses().stream().noneMatch(a -> a.toString().startsWith(ReplayService.STAGING_PREFIX)),
                "no staging address is left: " + server().getPostOffice().getAddresses());
    }

    @Test
    void aBrokerWithoutRetentionCannotReplay() throws Exception {
        start(true, false);
        createTarget(server());
        RetentionReplay replay = new RetentionReplay(connect(URL));

        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> replay.replay(LATE, Instant.EPOCH, Instant.now()));
        assertTrue(e.getMessage().contains("retention"), e.getMessage());
    }

    @Test
    void aBrokerWithoutThePluginCannotReplay() throws Exception {
        start(false, true);
        createTarget(server());
        RetentionReplay replay = new RetentionReplay(connect(URL));

        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> replay.replay(LATE, Instant.EPOCH, Instant.now()));
        assertTrue(e.getMessage().contains(ReplayService.class.getName()), e.getMessage());
    }

    @Test
    void theBrokerRefusesWhatIsNotADirectPurposeOfTheTopic() throws Exception {
        start(true, true);
        createTarget(server());
        RetentionReplay replay = new RetentionReplay(connect(URL));
        Instant now = Instant.now();

        IllegalStateException fanout = assertThrows(IllegalStateException.class,
                () -> replay.replay(registration(TOPIC, "late", Exchange.FANOUT), Instant.EPOCH, now));
        assertTrue(fanout.getMessage().contains("not a direct purpose's queue"), fanout.getMessage());
        IllegalStateException deleted = assertThrows(IllegalStateException.class,
                () -> replay.replay(registration(TOPIC, "gone", Exchange.DIRECT), Instant.EPOCH, now));
        assertTrue(deleted.getMessage().contains("has no queue"), deleted.getMessage());
        try (ServerLocator locator = ActiveMQClient.createServerLocator(URL);
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession()) {
            session.start(); // the answer comes to a consumer of this session
            IllegalStateException otherTopic = assertThrows(IllegalStateException.class,
                    () -> RetentionReplay.replay(session, "other.topic", TARGET, 0, now.toEpochMilli()));
            assertTrue(otherTopic.getMessage().contains("not a direct purpose's queue of topic other.topic"), otherTopic.getMessage());
            IllegalStateException quote = assertThrows(IllegalStateException.class,
                    () -> RetentionReplay.replay(session, "x' OR '1' = '1", TARGET, 0, now.toEpochMilli()));
            assertTrue(quote.getMessage().contains("not a topic"), quote.getMessage());
            IllegalStateException window = assertThrows(IllegalStateException.class,
                    () -> RetentionReplay.replay(session, TOPIC, TARGET, now.toEpochMilli(), 0));
            assertTrue(window.getMessage().contains("before it begins"), window.getMessage());
            IllegalStateException breakOut = assertThrows(IllegalStateException.class,
                    () -> RetentionReplay.replay(session, TOPIC, TARGET, 0, now.toEpochMilli(), "1 = 0) OR (1 = 1"));
            assertTrue(breakOut.getMessage().contains("not a message selector"), breakOut.getMessage());
        }
        assertEquals(List.of(), browse(URL, TARGET_QUEUE));
    }

    @Test
    void theResourceIsThereAgainAfterARestart() throws Exception {
        start(true, true);
        List<String> sent = publish(URL, TOPIC, 30, 1);
        createTarget(server());
        assertNotNull(server().getManagementService().getResource(BrokerNames.REPLAY_RESOURCE));

        // the same broker stopped and started again, as a primary is when it fails back
        broker.stop();
        assertNull(server().getManagementService().getResource(BrokerNames.REPLAY_RESOURCE), "gone with the broker");
        broker.start();
        assertEquals(30, new RetentionReplay(connect(URL)).replay(LATE, Instant.EPOCH, Instant.now()));

        // a new broker on the same store, as after a process restart
        closeConnections();
        broker.stop();
        start(true, true);
        assertEquals(30, new RetentionReplay(connect(URL)).replay(LATE, Instant.EPOCH, Instant.now()));

        List<String> twice = new ArrayList<>(sent);
        twice.addAll(sent);
        assertEquals(twice, browse(URL, TARGET_QUEUE));
    }

    @Test
    void theBackupThatTakesOverReplays() throws Exception {
        File dir = data.toFile();
        NodeManager store = new InVMNodeManager(false, dir);
        ActiveMQServer primary = sharedStore(store, configure(TestBrokers.persistent("replay-primary", dir, PRIMARY_URL), true, true)
                .setHAPolicyConfiguration(new SharedStorePrimaryPolicyConfiguration().setFailoverOnServerShutdown(true)));
        ActiveMQServer backup = sharedStore(store, configure(TestBrokers.persistent("replay-backup", dir, BACKUP_URL), true, true)
                .setHAPolicyConfiguration(new SharedStoreBackupPolicyConfiguration().setAllowFailBack(false)));
        primary.start();
        assertTrue(primary.waitForActivation(FAILOVER_MILLIS, TimeUnit.MILLISECONDS), "the primary is active");
        backup.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FAILOVER_MILLIS);
        while (!backup.isStarted() && System.nanoTime() < deadline) {
            Thread.sleep(PAUSE_MILLIS);
        }
        assertTrue(backup.isStarted(), "the backup waits for the store");
        assertNull(backup.getManagementService().getResource(BrokerNames.REPLAY_RESOURCE), "a waiting backup offers no replay");
        List<String> sent = publish(PRIMARY_URL, TOPIC, 200, 2);
        createTarget(primary);

        primary.stop();
        assertTrue(backup.waitForActivation(FAILOVER_MILLIS, TimeUnit.MILLISECONDS), "the backup took over");

        assertEquals(200, new RetentionReplay(connect(BACKUP_URL)).replay(LATE, Instant.EPOCH, Instant.now()));
        assertEquals(sent, browse(BACKUP_URL, TARGET_QUEUE), "the backup replays what the primary stored, in order");
    }

    /**
     * The file the active broker was writing when it went is copied to retention by the broker that
     * takes over, even when Artemis's loader makes another file the current one: a free file with a
     * higher id whose stale bytes look like a broken record of its own (what lost whole runs of
     * events from replay in the long HA run).
     */
    @Test
    void theBackupThatTakesOverRetainsTheFileThePrimaryWasWriting() throws Exception {
        File dir = data.toFile();
        NodeManager store = new InVMNodeManager(false, dir);
        ActiveMQServer primary = sharedStore(store, smallFiles(configure(TestBrokers.persistent("replay-primary", dir, PRIMARY_URL), true, true))
                .setHAPolicyConfiguration(new SharedStorePrimaryPolicyConfiguration().setFailoverOnServerShutdown(true)));
        ActiveMQServer backup = sharedStore(store, smallFiles(configure(TestBrokers.persistent("replay-backup", dir, BACKUP_URL), true, true))
                .setHAPolicyConfiguration(new SharedStoreBackupPolicyConfiguration().setAllowFailBack(false)));
        primary.start();
        assertTrue(primary.waitForActivation(FAILOVER_MILLIS, TimeUnit.MILLISECONDS), "the primary is active");
        List<String> sent = publish(PRIMARY_URL, TOPIC, 600, 2);
        createTarget(primary);
        primary.stop();

        JournalFiles before = JournalFiles.read(new File(dir, "journal"));
        assertTrue(before.lastWritten() > 1, "the primary switched files: " + before);
        before.makeFreeFileAboveLookLikeData(before.lastWritten());

        backup.start();
        assertTrue(backup.waitForActivation(FAILOVER_MILLIS, TimeUnit.MILLISECONDS), "the backup took over");
        assertEquals(600, new RetentionReplay(connect(BACKUP_URL)).replay(LATE, Instant.EPOCH, Instant.now()));
        assertEquals(sent, browse(BACKUP_URL, TARGET_QUEUE), "every event the primary stored, in order, none twice");
    }

    /**
     * Files the primary closed but had not copied to retention yet when it stopped (Artemis copies
     * them on the journal's compactor thread, later when it is compacting) are copied before its
     * journal stops: a stopping journal forgets them, and the backup, which has listed the journal's
     * leftovers before it took the lock, neither loads nor copies them.
     */
    @Test
    void filesWaitingForTheirCopyAreCopiedBeforeTheBrokerStops() throws Exception {
        File dir = data.toFile();
        NodeManager store = new InVMNodeManager(false, dir);
        ActiveMQServer primary = sharedStore(store, smallFiles(configure(TestBrokers.persistent("replay-primary", dir, PRIMARY_URL), true, true))
                .setHAPolicyConfiguration(new SharedStorePrimaryPolicyConfiguration().setFailoverOnServerShutdown(true)));
        ActiveMQServer backup = sharedStore(store, smallFiles(configure(TestBrokers.persistent("replay-backup", dir, BACKUP_URL), true, true))
                .setHAPolicyConfiguration(new SharedStoreBackupPolicyConfiguration().setAllowFailBack(false)));
        primary.start();
        assertTrue(primary.waitForActivation(FAILOVER_MILLIS, TimeUnit.MILLISECONDS), "the primary is active");
        backup.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FAILOVER_MILLIS);
        while (!backup.isStarted() && System.nanoTime() < deadline) {
            Thread.sleep(PAUSE_MILLIS);
        }
        createTarget(primary);
        // as when the compactor is busy: closed files wait for their copy (the journal schedules none)
        ((JournalImpl) primary.getStorageManager().getMessageJournal()).setAutoReclaim(false);
        List<String> sent = publish(PRIMARY_URL, TOPIC, 600, 2);
        String[] waiting = new File(dir, "journal").list((d, name) -> name.endsWith(".bkp"));
        assertTrue(waiting != null && waiting.length > 0, "closed files wait for their copy");

        primary.stop();
        assertTrue(backup.waitForActivation(FAILOVER_MILLIS, TimeUnit.MILLISECONDS), "the backup took over");

        // the files are back in the journal too: their events are still there to dispatch
        assertEquals(600, backup.locateQueue(BrokerNames.DISPATCH_QUEUE).getMessageCount(), "the events to dispatch");
        assertEquals(600, new RetentionReplay(connect(BACKUP_URL)).replay(LATE, Instant.EPOCH, Instant.now()));
        assertEquals(sent, browse(BACKUP_URL, TARGET_QUEUE));
    }

    /**
     * A file the primary closed and had not copied when it was killed stays {@code .bkp}: the backup
     * listed the leftovers when it started, before the lock, and does not load it. The backup copies
     * it to retention when it takes over.
     */
    @Test
    void theBackupThatTakesOverRetainsAFileTheKilledPrimaryHadNotCopied() throws Exception {
        File dir = data.toFile();
        NodeManager store = new InVMNodeManager(false, dir);
        ActiveMQServer primary = sharedStore(store, smallFiles(configure(TestBrokers.persistent("replay-primary", dir, PRIMARY_URL), true, true))
                .setHAPolicyConfiguration(new SharedStorePrimaryPolicyConfiguration().setFailoverOnServerShutdown(true)));
        ActiveMQServer backup = sharedStore(store, smallFiles(configure(TestBrokers.persistent("replay-backup", dir, BACKUP_URL), true, true))
                .setHAPolicyConfiguration(new SharedStoreBackupPolicyConfiguration().setAllowFailBack(false)));
        primary.start();
        assertTrue(primary.waitForActivation(FAILOVER_MILLIS, TimeUnit.MILLISECONDS), "the primary is active");
        backup.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FAILOVER_MILLIS);
        while (!backup.isStarted() && System.nanoTime() < deadline) {
            Thread.sleep(PAUSE_MILLIS);
        }
        createTarget(primary);
        List<String> sent = publish(PRIMARY_URL, TOPIC, 600, 2);
        // what a kill between a file's close and its copy leaves: the file renamed .bkp, no copy in retention
        File retention = new File(dir, "retention");
        long id = RetentionCatchUp.highestRetainedId(retention);
        File[] copies = retention.listFiles((d, name) -> name.endsWith("-" + id + ".amq"));
        assertEquals(1, copies.length, "one copy of file " + id);
        File journalFile = null;
        for (JournalFile file : JournalFiles.read(new File(dir, "journal")).files()) {
            if (file.getFileID() == id) {
                journalFile = new File(new File(dir, "journal"), file.getFile().getFileName());
            }
        }
        assertNotNull(journalFile, "file " + id + " is in the journal");
        Files.delete(copies[0].toPath());
        Files.move(journalFile.toPath(), new File(journalFile.getPath() + ".bkp").toPath());

        primary.stop();
        assertTrue(backup.waitForActivation(FAILOVER_MILLIS, TimeUnit.MILLISECONDS), "the backup took over");

        assertEquals(600, new RetentionReplay(connect(BACKUP_URL)).replay(LATE, Instant.EPOCH, Instant.now()));
        assertEquals(sent, browse(BACKUP_URL, TARGET_QUEUE));
        assertTrue(journalFile.exists(), "renamed back, as Artemis does once it has copied a file");
    }

    /** The same on one broker's restart: the journal load is the same. */
    @Test
    void aRestartedBrokerRetainsTheFileItWasWriting() throws Exception {
        start(true, true, true);
        List<String> sent = publish(URL, TOPIC, 600, 2);
        createTarget(server());
        broker.stop();
        JournalFiles before = JournalFiles.read(new File(data.toFile(), "journal"));
        before.makeFreeFileAboveLookLikeData(before.lastWritten());

        start(true, true, true);
        assertEquals(600, plugin(server()).replay(server(), BrokerNames.INBOUND, TARGET, ALL_OF_THE_TOPIC));
        assertEquals(sent, browse(URL, TARGET_QUEUE));

        // once retained, a file is not copied again at the next activation: no event twice
        broker.stop();
        start(true, true, true);
        assertEquals(600, plugin(server()).replay(server(), BrokerNames.INBOUND, TARGET, ALL_OF_THE_TOPIC));
    }

    @Test
    void aStandaloneBrokerRunsThePluginFromItsXmlAndReplaysOverTcp() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path xml = data.resolve("broker.xml");
        Files.writeString(xml, STANDALONE_XML.replace("PORT", String.valueOf(port)));
        FileConfiguration config = new FileConfiguration();
        new FileDeploymentManager(xml.toUri().toString()).addDeployable(config).readConfiguration();
        config.setBrokerInstance(data.toFile());
        ActiveMQServer standalone = new ActiveMQServerImpl(config);
        servers.add(standalone);
        standalone.start();
        String url = "tcp://localhost:" + port;
        List<String> sent = publish(url, TOPIC, 100, 2);
        createTarget(standalone);

        assertEquals(100, new RetentionReplay(connect(url)).replay(LATE, Instant.EPOCH, Instant.now()));
        assertEquals(sent, browse(url, TARGET_QUEUE));
    }

    @Test
    void theBrokerChecksTopicsAsTheServerDoes() {
        for (String name : List.of("a", "video.uploaded", "a_b-c.9", "x".repeat(Topic.MAX_LENGTH), "x".repeat(Topic.MAX_LENGTH + 1),
                "", ".a", "-a", "a b", "a/b", "a#", "a*", "a::b", "x'", "é")) {
            assertEquals(Topic.isValid(name), ReplayService.TOPIC.matcher(name).matches(), name);
        }
    }

    private static Registration registration(String topic, String purpose, Exchange exchange) {
        return new Registration(Topic.of(topic), Purpose.of(purpose), exchange, new Redelivery(1, 0, 1, 0), Instant.EPOCH);
    }

    private ActiveMQServer server() {
        return broker.getActiveMQServer();
    }

    private static ReplayService plugin(ActiveMQServer server) {
        return server.getBrokerPlugins().stream().filter(ReplayService.class::isInstance).map(ReplayService.class::cast)
                .findFirst().orElseThrow();
    }

    private TestBrokers.AdminConnection connect(String url) throws Exception {
        TestBrokers.AdminConnection connection = new TestBrokers.AdminConnection(url);
        connections.add(connection);
        return connection;
    }

    private void closeConnections() {
        connections.forEach(TestBrokers.AdminConnection::close);
        connections.clear();
    }

    private void start(boolean withPlugin, boolean withRetention) throws Exception {
        start(withPlugin, withRetention, false);
    }

    private void start(boolean withPlugin, boolean withRetention, boolean smallFiles) throws Exception {
        Configuration config = configure(TestBrokers.persistent("replay-test", data.toFile(), URL), withPlugin, withRetention);
        if (smallFiles) {
            smallFiles(config);
        }
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
    }

    /** Journal files small enough for a few hundred events to fill several. */
    private static Configuration smallFiles(Configuration config) {
        return config.setJournalFileSize(JournalFiles.FILE_SIZE).setJournalMinFiles(2).setJournalPoolFiles(10);
    }

    /** A member of a shared-store pair: both take turns on one store, which the node manager guards. */
    private ActiveMQServer sharedStore(NodeManager store, Configuration config) {
        ActiveMQServer server = new ActiveMQServerImpl(config) {
            @Override
            protected NodeManager createNodeManager(File directory, boolean replicatingBackup) {
                return store;
            }
        };
        servers.add(server);
        return server;
    }

    /** As the embedded broker is configured, with or without the replay plugin and retention. */
    private Configuration configure(Configuration config, boolean withPlugin, boolean withRetention) {
        config.setIDCacheSize(1000)
                .setPersistIDCache(true)
                .addAddressSetting("#", new AddressSettings()
                        .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                        .setAutoDeleteQueues(false)
                        .setAutoDeleteAddresses(false));
        config.registerBrokerPlugin(new InboundEventPlugin());
        if (withPlugin) {
            RetentionReplay.configure(config);
        }
        if (withRetention) {
            config.setJournalRetentionDirectory(new File(data.toFile(), "retention").getPath());
            config.setJournalRetentionPeriod(TimeUnit.DAYS, 1);
        }
        return config;
    }

    /** Publishes round robin from several sessions, one blocking send at a time: the send order is the store order. */
    private static List<String> publish(String url, String topic, int count, int publishers) throws Exception {
        List<String> ids = new ArrayList<>();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url);
             ClientSessionFactory factory = locator.createSessionFactory()) {
            List<ClientSession> sessions = new ArrayList<>();
            List<ClientProducer> producers = new ArrayList<>();
            try {
                for (int p = 0; p < publishers; p++) {
                    ClientSession session = factory.createSession();
                    sessions.add(session);
                    if (p == 0 && !session.queueQuery(SimpleString.of(BrokerNames.DISPATCH_QUEUE)).isExists()) {
                        session.createQueue(QueueConfiguration.of(BrokerNames.DISPATCH_QUEUE).setAddress(BrokerNames.INBOUND)
                                .setRoutingType(RoutingType.MULTICAST).setDurable(true));
                    }
                    producers.add(session.createProducer(BrokerNames.INBOUND));
                }
                for (int i = 0; i < count; i++) {
                    int p = i % publishers;
                    ClientMessage m = sessions.get(p).createMessage(true);
                    String id = topic + "-" + EVENTS.incrementAndGet(); // unique: the broker drops a repeated id
                    m.putStringProperty(CloudEventProperties.TYPE, topic);
                    m.putStringProperty(CloudEventProperties.ID, id);
                    m.putStringProperty(CloudEventProperties.SOURCE, "/test");
                    m.getBodyBuffer().writeString("{\"n\":" + i + "}");
                    producers.get(p).send(m);
                    ids.add(id);
                }
            } finally {
                for (ClientSession session : sessions) {
                    session.close();
                }
            }
        }
        return ids;
    }

    private static void createTarget(ActiveMQServer server) throws Exception {
        for (String queue : List.of(SIBLING_QUEUE, TARGET_QUEUE)) {
            server.createQueue(QueueConfiguration.of(queue).setAddress(TOPIC_ADDRESS).setRoutingType(RoutingType.MULTICAST)
                    .setDurable(true).setAutoCreateAddress(true), true);
        }
    }

    /** The ids in the queue, in queue order, without consuming them; fails if one has a duplicate-ID key. */
    private static List<String> browse(String url, String queue) throws Exception {
        List<String> ids = new ArrayList<>();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url);
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession()) {
            session.start();
            ClientConsumer consumer = session.createConsumer(queue, true);
            ClientMessage m;
            while ((m = consumer.receive(1000)) != null) {
                assertNull(m.getStringProperty(BrokerNames.DUPLICATE_ID_PROPERTY), "a copy carries no duplicate-ID key");
                ids.add(m.getStringProperty(CloudEventProperties.ID));
            }
        }
        return ids;
    }

    /** A stopped broker's message journal files, read as Artemis's loader reads them. */
    private record JournalFiles(File dir, List<JournalFile> files, List<Integer> records) {
        static final int FILE_SIZE = 100 * 1024;

        static JournalFiles read(File dir) throws Exception {
            NIOSequentialFileFactory factory = new NIOSequentialFileFactory(dir, null, 1);
            List<JournalFile> files = new JournalImpl(FILE_SIZE, 2, 10, 0, 0, factory, "activemq-data", "amq", 1).orderFiles();
            List<Integer> records = new ArrayList<>();
            for (JournalFile file : files) {
                AtomicInteger count = new AtomicInteger();
                JournalImpl.readJournalFile(factory, file, new JournalReaderCallback() {
                    @Override
                    public void onReadAddRecord(RecordInfo info) {
                        count.incrementAndGet();
                    }

                    @Override
                    public void onReadAddRecordTX(long transactionID, RecordInfo info) {
                        count.incrementAndGet();
                    }

                    @Override
                    public void onReadCommitRecord(long transactionID, int numberOfRecords) {
                        count.incrementAndGet();
                    }

                    @Override
                    public void onReadDeleteRecord(long recordID) {
                        count.incrementAndGet();
                    }
                }, null);
                records.add(count.get());
            }
            return new JournalFiles(dir, files, records);
        }

        /** The id of the last file written to. */
        long lastWritten() {
            long last = -1;
            for (int i = 0; i < files.size(); i++) {
                if (records.get(i) > 0) {
                    last = Math.max(last, files.get(i).getFileID());
                }
            }
            return last;
        }

        /**
         * Writes into the free file with the highest id above {@code id} what a reused file's stale
         * content holds now and then: a byte of a record type followed by the file's own id, and a
         * record size that does not check. Artemis's loader then classes the file as a data file
         * with nothing in it ({@code markAsDataFile}) and, its id being the highest, makes it the
         * current file.
         */
        void makeFreeFileAboveLookLikeData(long id) throws Exception {
            JournalFile free = null;
            for (int i = 0; i < files.size(); i++) {
                JournalFile file = files.get(i);
                if (records.get(i) == 0 && file.getFileID() > id && (free == null || file.getFileID() > free.getFileID())) {
                    free = file;
                }
            }
            assertNotNull(free, "a free file above " + id + ": " + this);
            ByteBuffer stale = ByteBuffer.allocate(64);
            stale.put(JournalImpl.ADD_RECORD).putInt((int) free.getFileID()).put((byte) 0).putLong(1).putInt(4).put((byte) 45)
                    .putInt(0);
            while (stale.hasRemaining()) {
                stale.put((byte) 0x7A); // where the record's size is checked: not its size
            }
            stale.flip();
            try (FileChannel channel = FileChannel.open(new File(dir, free.getFile().getFileName()).toPath(), StandardOpenOption.WRITE)) {
                channel.write(stale, 4096);
            }
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < files.size(); i++) {
                s.append(files.get(i).getFile().getFileName()).append(" id ").append(files.get(i).getFileID()).append(": ")
                        .append(records.get(i)).append(" records; ");
            }
            return s.toString();
        }
    }
}
