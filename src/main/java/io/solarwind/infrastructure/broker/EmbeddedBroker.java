package io.solarwind.infrastructure.broker;

import io.solarwind.config.Setting;
import io.solarwind.infrastructure.messaging.BrokerNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.io.aio.AIOSequentialFileFactory;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * The Artemis broker inside the Solar Wind server (the default): persistent journal
 * under the server's output directory, an in-VM acceptor for the server itself and a
 * TCP acceptor for handler services and publishers in other JVMs.
 */
@ApplicationScoped
public class EmbeddedBroker {
    private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class.getName());
    /** The in-VM URL of the embedded broker. */
    public static final String IN_VM_URL = "vm://0";

    private EmbeddedActiveMQ broker;
    private JournalType journalType;

    public boolean enabled() {
        return Setting.BROKER_EMBEDDED.getBoolean();
    }

    public synchronized void start() throws Exception {
        if (broker != null) {
            return;
        }
        File dataDir = dataDirectory();
        String tcp = "tcp://" + Setting.BROKER_HOST.get() + ":" + Setting.BROKER_PORT.getInt();
        File journalDir = new File(dataDir, "journal");
        journalDir.mkdirs();
        journalType = NativeJournal.prepare() && AIOSequentialFileFactory.isSupported(journalDir)
                ? JournalType.ASYNCIO : JournalType.NIO;

        Configuration config = new ConfigurationImpl()
                .setName("solarwind")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setJournalType(journalType)
                .setJournalDirectory(journalDir.getPath())
                .setBindingsDirectory(new File(dataDir, "bindings").getPath())
                .setPagingDirectory(new File(dataDir, "paging").getPath())
                .setLargeMessagesDirectory(new File(dataDir, "large-messages").getPath())
                .setNodeManagerLockDirectory(dataDir.getPath())
                .setIDCacheSize(Setting.DEDUP_WINDOW.getInt())
                .setPersistIDCache(true)
                .addAcceptorConfiguration("invm", IN_VM_URL)
                .addAcceptorConfiguration("tcp", tcp + "?protocols=CORE")
                .addAddressSetting("#", new AddressSettings()
                        .setDeadLetterAddress(SimpleString.of(BrokerNames.DEAD_LETTER))
                        .setExpiryAddress(SimpleString.of(BrokerNames.EXPIRY))
                        .setMaxDeliveryAttempts(Setting.MAX_DELIVERY_ATTEMPTS.getInt())
                        .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                        .setAutoDeleteQueues(false)
                        .setAutoDeleteAddresses(false));
        int bufferMicros = Setting.JOURNAL_BUFFER_TIMEOUT.getInt();
        if (bufferMicros > 0) {
            config.setJournalBufferTimeout_NIO(bufferMicros * 1000);
            config.setJournalBufferTimeout_AIO(bufferMicros * 1000);
        }
        config.registerBrokerPlugin(new InboundEventPlugin());
        RetentionReplay.configure(config);
        config.setJournalRetentionDirectory(new File(dataDir, "retention").getPath());
        config.setJournalRetentionPeriod(java.util.concurrent.TimeUnit.DAYS, Setting.RETENTION_DAYS.getInt());

        EmbeddedActiveMQ embedded = new EmbeddedActiveMQ();
        embedded.setConfiguration(config);
        try {
            embedded.start();
        } catch (Exception e) {
            throw new IllegalStateException("The embedded Artemis broker did not start on " + tcp
                    + " with its journal in " + dataDir + ": " + e.getMessage()
                    + " (set " + Setting.BROKER_PORT.key() + " to a free port, or "
                    + Setting.BROKER_EMBEDDED.key() + "=false to use an external broker)", e);
        }
        if (!embedded.getActiveMQServer().isActive()) {
            embedded.stop();
            throw new IllegalStateException("The embedded Artemis broker did not become active on " + tcp
                    + "; is another broker using the journal in " + dataDir + "?");
        }
        broker = embedded;
        LOG.info(() -> "Solar Wind embedded broker is listening on " + tcp + ", journal " + journalType
                + " in " + dataDir);
    }

    public synchronized void stop() {
        if (broker == null) {
            return;
        }
        try {
            broker.stop();
        } catch (Exception e) {
            LOG.warning("Embedded broker did not stop cleanly: " + e);
        } finally {
            broker = null;
        }
    }

    public synchronized boolean isActive() {
        return broker != null && broker.getActiveMQServer().isActive();
    }

    /** The running broker, for operations the client API does not offer (replay). */
    synchronized org.apache.activemq.artemis.core.server.ActiveMQServer server() {
        if (broker == null) {
            throw new IllegalStateException("the embedded broker is not running");
        }
        return broker.getActiveMQServer();
    }

    /** The journal type in use, or null when the embedded broker is not running. */
    public synchronized JournalType journalType() {
        return broker == null ? null : journalType;
    }

    static File dataDirectory() {
        String configured = Setting.BROKER_DATA_DIR.get();
        String outputDir = System.getProperty("server.output.dir", System.getProperty("user.dir"));
        return new File(configured.replace("${server.output.dir}", outputDir));
    }
}
