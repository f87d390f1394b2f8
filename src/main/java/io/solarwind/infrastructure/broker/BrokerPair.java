package io.solarwind.infrastructure.broker;

import io.solarwind.config.Setting;
import java.util.List;
import java.util.Locale;
import org.apache.activemq.artemis.core.config.ClusterConnectionConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.ha.SharedStoreBackupPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.SharedStorePrimaryPolicyConfiguration;

/**
 * The embedded broker as one half of an Artemis high-availability pair with a shared store
 * ({@code solarwind.broker.ha} = {@code primary} or {@code backup}): two Solar Wind servers,
 * each embedding one broker, both with their journal in the same directory on a shared file
 * system. Artemis's file lock there decides which one is active; the other is passive and
 * takes over when the lock is free (the active one's process died or stopped), and the
 * primary takes its place back when it returns (fail-back). A cluster connection between the
 * two tells clients the backup's address, so they fail over.
 *
 * <p>Why a shared store rather than replication: the journal is the same files for both, so
 * everything Solar Wind keeps in the broker survives a failover as it is, journal retention
 * (replay) included, which Artemis does not replicate; and no lock manager (ZooKeeper) is
 * needed. The cost is a shared file system with working locks in production (NFSv4, GFS2, a SAN).
 */
public record BrokerPair(Role role, String self, String peer) {
    /** No pair: the broker alone. */
    public static final BrokerPair NONE = new BrokerPair(Role.NONE, null, null);
    private static final String CLUSTER_NAME = "solarwind-pair";

    /** The broker's part in the pair. */
    public enum Role {
        NONE, PRIMARY, BACKUP;

        static Role parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(Setting.BROKER_HA.key() + " is '" + value + "'; it must be none, primary or backup", e);
            }
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The pair the settings describe, for a broker whose own TCP acceptor is {@code selfUrl}. */
    static BrokerPair fromSettings(String selfUrl) {
        Role role = Role.parse(Setting.BROKER_HA.get());
        if (role == Role.NONE) {
            return NONE;
        }
        String peer = Setting.BROKER_HA_PEER.get().trim();
        if (peer.isEmpty()) {
            throw new IllegalStateException(Setting.BROKER_HA.key() + "=" + role.wireName() + " needs " + Setting.BROKER_HA_PEER.key()
                    + ": host:port of the other half's broker");
        }
        if (Setting.BROKER_CLUSTER_PASSWORD.get().isEmpty()) {
            throw new IllegalStateException(Setting.BROKER_HA.key() + "=" + role.wireName() + " needs " + Setting.BROKER_CLUSTER_PASSWORD.key()
                    + ", the same on both halves");
        }
        return new BrokerPair(role, selfUrl, peer.startsWith("tcp://") ? peer : "tcp://" + peer);
    }

    /** The server's internal broker password: in a pair, the cluster password (both halves know it); else null (made up). */
    static String internalPassword() {
        return Role.parse(Setting.BROKER_HA.get()) == Role.NONE ? null : Setting.BROKER_CLUSTER_PASSWORD.get();
    }

    public boolean inPair() {
        return role != Role.NONE;
    }

    /** The URL a client of the pair uses: both halves, failing over between them. */
    public String clientUrl() {
        return "(" + self + "," + peer + ")?ha=true&reconnectAttempts=-1&initialConnectAttempts=-1";
    }

    /** Adds the HA policy, the two connectors and the cluster connection to the broker's configuration. */
    void configure(Configuration config) throws Exception {
        if (!inPair()) {
            return;
        }
        config.addConnectorConfiguration("self", self);
        config.addConnectorConfiguration("peer", peer);
        config.setClusterUser(Setting.BROKER_CLUSTER_USER.get());
        config.setClusterPassword(Setting.BROKER_CLUSTER_PASSWORD.get());
        config.addClusterConfiguration(new ClusterConnectionConfiguration()
                .setName(CLUSTER_NAME)
                .setConnectorName("self")
                .setStaticConnectors(List.of("peer")));
        if (role == Role.PRIMARY) {
            // start() returns at once; the primary becomes active when it holds the lock (at once,
            // or once the backup has handed back after a failover)
            config.setHAPolicyConfiguration(new SharedStorePrimaryPolicyConfiguration()
                    .setFailoverOnServerShutdown(true)
                    .setWaitForActivation(false));
        } else {
            config.setHAPolicyConfiguration(new SharedStoreBackupPolicyConfiguration()
                    .setFailoverOnServerShutdown(true)
                    .setAllowFailBack(true)
                    .setRestartBackup(true));
        }
    }

    String describe(boolean active) {
        return inPair() ? role.wireName() + " of a shared-store pair with " + peer + ", " + (active ? "active" : "passive (standing by)")
                : "listening";
    }
}
