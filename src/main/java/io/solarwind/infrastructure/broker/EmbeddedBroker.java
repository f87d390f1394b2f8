package io.solarwind.infrastructure.broker;

import io.solarwind.config.Setting;
import io.solarwind.infrastructure.messaging.BrokerNames;
import io.solarwind.infrastructure.messaging.BrokerRoles;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.util.List;
import java.util.logging.Level;
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
 * TCP acceptor (CORE and AMQP 1.0) for handler services, instances and publishers in other
 * processes. Every connection
 * authenticates ({@link BrokerLogin}) and every address checks its roles ({@link BrokerRoles}).
 */
@ApplicationScoped
public class EmbeddedBroker {
    private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class.getName());
    /**
     * The protocols of the TCP and TLS acceptors: CORE (JMS, the handler API) and AMQP 1.0 (Python,
     * Node and other non-Java instances and publishers, docs/amqp.md), with the same users and roles.
     */
    static final String PROTOCOLS = "CORE,AMQP";
    /** The in-VM URL of the embedded broker. */
    public static final String IN_VM_URL = "vm://0";
    /**
     * Artemis's audit loggers (through SLF4J to java.util.logging, so at Liberty's default INFO they
     * would write a line per message sent, delivered and acknowledged). Held here so that the level
     * set on them stays: java.util.logging keeps its loggers only weakly.
     */
    private static final List<Logger> AUDIT = List.of(Logger.getLogger("org.apache.activemq.audit"),
            Logger.getLogger("org.apache.activemq.audit.base"), Logger.getLogger("org.apache.activemq.audit.message"),
            Logger.getLogger("org.apache.activemq.audit.resource"));

    private EmbeddedActiveMQ broker;
    private JournalType journalType;
    private BrokerLogin login;
    private BrokerPair pair = BrokerPair.NONE;

    /**
     * The URL the server reaches its embedded broker with: in-VM when it is alone; both halves over
     * TCP in a pair, since a passive broker accepts no connections and either may be the active one.
     */
    public static String ownUrl() {
        BrokerPair pair = BrokerPair.fromSettings(tcpUrl());
        return pair.inPair() ? pair.clientUrl() : IN_VM_URL;
    }

    private static String tcpUrl() {
        return "tcp://" + Setting.BROKER_HOST.get() + ":" + Setting.BROKER_PORT.getInt();
    }

    public boolean enabled() {
        return Setting.BROKER_EMBEDDED.getBoolean();
    }

    public synchronized void start() throws Exception {
        if (broker != null) {
            return;
        }
        auditLog(Setting.BROKER_AUDIT_LOG.getBoolean());
        File dataDir = dataDirectory();
        String tcp = tcpUrl();
        File journalDir = new File(dataDir, "journal");
        journalDir.mkdirs();
        journalType = NativeJournal.prepare() && AIOSequentialFileFactory.isSupported(journalDir)
                ? JournalType.ASYNCIO : JournalType.NIO;

        Configuration config = new ConfigurationImpl()
                .setName("solarwind")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(Setting.BROKER_SECURITY.getBoolean())
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
                .addAcceptorConfiguration("tcp", tcp + "?protocols=" + PROTOCOLS)
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
        String keystore = Setting.BROKER_TLS_KEYSTORE.getPath().trim();
        String tls = null;
        if (!keystore.isEmpty()) {
            if (!new File(keystore).isFile()) {
                throw new IllegalStateException("The broker's TLS key store " + keystore + " (" + Setting.BROKER_TLS_KEYSTORE.key()
                        + ") does not exist");
            }
            tls = "tcp://" + Setting.BROKER_HOST.get() + ":" + Setting.BROKER_TLS_PORT.getInt();
            config.addAcceptorConfiguration("tls", tls + "?protocols=" + PROTOCOLS + ";sslEnabled=true;keyStoreType=PKCS12;keyStorePath="
                    + keystore + ";keyStorePassword=" + Setting.BROKER_TLS_KEYSTORE_PASSWORD.get());
        }
        String tlsUrl = tls;
        BrokerRoles.fixed().forEach((match, table) -> config.putSecurityRoles(match, BrokerLogin.roles(table)));
        BrokerLogin brokerLogin = new BrokerLogin(new File(Setting.BROKER_USERS_FILE.getPath()), new File(Setting.BROKER_ROLES_FILE.getPath()),
                BrokerPair.internalPassword());
        config.registerBrokerPlugin(new InboundEventPlugin());
        RetentionReplay.configure(config);
        BrokerPair pair = BrokerPair.fromSettings(tcp);
        pair.configure(config);
        if (Setting.RETENTION_DAYS.getInt() > 0) { // 0: no retention, no copies of journal files, no replay
            config.setJournalRetentionDirectory(new File(dataDir, "retention").getPath());
            config.setJournalRetentionPeriod(java.util.concurrent.TimeUnit.DAYS, Setting.RETENTION_DAYS.getInt());
        }

        EmbeddedActiveMQ embedded = new EmbeddedActiveMQ();
        embedded.setConfiguration(config);
        embedded.setSecurityManager(brokerLogin.securityManager());
        try {
            embedded.start();
        } catch (Exception e) {
            throw new IllegalStateException("The embedded Artemis broker did not start on " + tcp
                    + " with its journal in " + dataDir + ": " + e.getMessage()
                    + " (set " + Setting.BROKER_PORT.key() + " to a free port, or "
                    + Setting.BROKER_EMBEDDED.key() + "=false to use an external broker)", e);
        }
        if (!pair.inPair() && !embedded.getActiveMQServer().isActive()) {
            embedded.stop();
            throw new IllegalStateException("The embedded Artemis broker did not become active on " + tcp
                    + "; is another broker using the journal in " + dataDir + "?");
        }
        broker = embedded;
        this.pair = pair;
        login = brokerLogin;
        LOG.info(() -> "Solar Wind embedded broker " + pair.describe(embedded.getActiveMQServer().isActive())
                + " on " + tcp + ", journal " + journalType
                + " in " + dataDir + (tlsUrl == null ? "" : ", TLS on " + tlsUrl) + (config.isSecurityEnabled() ? ", users from " + Setting.BROKER_USERS_FILE.getPath()
                + (new File(Setting.BROKER_USERS_FILE.getPath()).isFile() ? "" : " (missing: only the server itself can connect)")
                : ", security OFF (" + Setting.BROKER_SECURITY.key() + "=false)"));
    }

    /** Turns Artemis's audit log on (INFO) or off; off, the broker does not even format its lines. */
    static void auditLog(boolean on) {
        for (Logger audit : AUDIT) {
            audit.setLevel(on ? Level.INFO : Level.OFF);
        }
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

    /** This broker's part in an HA pair: none, primary or backup. */
    public synchronized BrokerPair pair() {
        return pair;
    }

    /** Whether this embedded broker is one half of a pair and waits, passive, to take over. */
    public synchronized boolean isPassive() {
        return broker != null && !broker.getActiveMQServer().isActive();
    }

    /** The running broker, for operations the client API does not offer (replay). */
    synchronized org.apache.activemq.artemis.core.server.ActiveMQServer server() {
        if (broker == null) {
            throw new IllegalStateException("the embedded broker is not running");
        }
        return broker.getActiveMQServer();
    }

    /** The server's own broker user and its password (made up at start); null when the broker is not running. */
    public synchronized String[] internalCredentials() {
        return broker == null ? null : new String[] {BrokerLogin.INTERNAL_USER, login.internalPassword()};
    }

    /** The journal type in use, or null when the embedded broker is not running. */
    public synchronized JournalType journalType() {
        return broker == null ? null : journalType;
    }

    static File dataDirectory() {
        return new File(Setting.BROKER_DATA_DIR.getPath());
    }
}
