package io.solarwind.infrastructure.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay against a real broker in this JVM, configured as the embedded one is (journal
 * retention, the inbound plugin, duplicate IDs persisted): the copies come in journal order,
 * survive a broker restart, and the staging queue is gone afterwards.
 */
class RetentionReplayTest {
    private static final String URL = "vm://4711";
    /** A direct purpose's queue on its topic's address, by its fully qualified name, and a sibling purpose's. */
    private static final String TOPIC_ADDRESS = "solarwind.topic.replay.test";
    private static final String TARGET_QUEUE = "solarwind.direct.replay.test.late";
    private static final String TARGET = TOPIC_ADDRESS + "::" + TARGET_QUEUE;
    private static final String SIBLING_QUEUE = "solarwind.direct.replay.test.early";

    @TempDir
    Path data;
    private EmbeddedActiveMQ broker;

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void copiesComeInJournalOrderOnceEachAndSurviveARestart() throws Exception {
        start();
        List<String> sent = publish("replay.test", 500, 3);
        publish("other.topic", 20, 1);
        createTarget();

        long copied = RetentionReplay.replay(server(), BrokerNames.INBOUND, TARGET, CloudEventProperties.TYPE + " = 'replay.test'");

        assertEquals(500, copied);
        assertEquals(sent, browse(TARGET_QUEUE), "the copies are the window's events in the order the broker stored them");
        assertEquals(List.of(), browse(SIBLING_QUEUE), "the topic's other direct purposes get no copy");
        assertTrue(server().getPostOffice().getAddresses().stream().noneMatch(a -> a.toString().startsWith(RetentionReplay.STAGING_PREFIX)),
                "no staging address is left: " + server().getPostOffice().getAddresses());

        broker.stop();
        start();
        assertEquals(sent, browse(TARGET_QUEUE), "the copies are in the journal: they survive a restart, still in order");
    }

    @Test
    void replayingAWindowTwiceDeliversItTwiceInOrder() throws Exception {
        start();
        List<String> sent = publish("replay.test", 50, 2);
        createTarget();

        String filter = CloudEventProperties.TYPE + " = 'replay.test'";
        assertEquals(50, RetentionReplay.replay(server(), BrokerNames.INBOUND, TARGET, filter));
        assertEquals(50, RetentionReplay.replay(server(), BrokerNames.INBOUND, TARGET, filter));

        List<String> twice = new ArrayList<>(sent);
        twice.addAll(sent);
        assertEquals(twice, browse(TARGET_QUEUE));
        assertEquals(0, RetentionReplay.replay(server(), BrokerNames.INBOUND, TARGET, CloudEventProperties.TYPE + " = 'nothing'"));
    }

    private ActiveMQServer server() {
        return broker.getActiveMQServer();
    }

    private void start() throws Exception {
        File dir = data.toFile();
        Configuration config = TestBrokers.persistent("replay-test", dir, URL)
                .setIDCacheSize(1000)
                .setPersistIDCache(true)
                .addAddressSetting("#", new AddressSettings()
                        .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                        .setAutoDeleteQueues(false)
                        .setAutoDeleteAddresses(false));
        config.registerBrokerPlugin(new InboundEventPlugin());
        RetentionReplay.configure(config);
        config.setJournalRetentionDirectory(new File(dir, "retention").getPath());
        config.setJournalRetentionPeriod(TimeUnit.DAYS, 1);
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
    }

    /** Publishes round robin from several sessions, one blocking send at a time: the send order is the store order. */
    private List<String> publish(String topic, int count, int publishers) throws Exception {
        List<String> ids = new ArrayList<>();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(URL);
             ClientSessionFactory factory = locator.createSessionFactory()) {
            List<ClientSession> sessions = new ArrayList<>();
            List<ClientProducer> producers = new ArrayList<>();
            try {
                for (int p = 0; p < publishers; p++) {
                    ClientSession session = factory.createSession();
                    sessions.add(session);
                    if (p == 0 && session.queueQuery(SimpleString.of(BrokerNames.DISPATCH_QUEUE)).isExists() == false) {
                        session.createQueue(QueueConfiguration.of(BrokerNames.DISPATCH_QUEUE).setAddress(BrokerNames.INBOUND)
                                .setRoutingType(RoutingType.MULTICAST).setDurable(true));
                    }
                    producers.add(session.createProducer(BrokerNames.INBOUND));
                }
                for (int i = 0; i < count; i++) {
                    int p = i % publishers;
                    ClientMessage m = sessions.get(p).createMessage(true);
                    String id = topic + "-" + i;
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

    private void createTarget() throws Exception {
        for (String queue : List.of(SIBLING_QUEUE, TARGET_QUEUE)) {
            server().createQueue(QueueConfiguration.of(queue).setAddress(TOPIC_ADDRESS).setRoutingType(RoutingType.MULTICAST)
                    .setDurable(true).setAutoCreateAddress(true), true);
        }
    }

    /** The ids in the queue, in queue order, without consuming them; fails if one has a duplicate-ID key. */
    private static List<String> browse(String queue) throws Exception {
        List<String> ids = new ArrayList<>();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(URL);
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
}
