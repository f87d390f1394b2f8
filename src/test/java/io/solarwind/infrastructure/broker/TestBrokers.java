package io.solarwind.infrastructure.broker;

import java.io.File;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;

/** Brokers for tests that run one in their own JVM: persistent, on a test's directory, reached in-VM. */
public final class TestBrokers {
    private TestBrokers() {
    }

    /** A persistent broker without security or JMX, its journal and other stores under {@code dir}, with an in-VM acceptor at {@code url}. */
    public static Configuration persistent(String name, File dir, String url) throws Exception {
        return new ConfigurationImpl()
                .setName(name)
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(new File(dir, "journal").getPath())
                .setBindingsDirectory(new File(dir, "bindings").getPath())
                .setPagingDirectory(new File(dir, "paging").getPath())
                .setLargeMessagesDirectory(new File(dir, "large-messages").getPath())
                .setNodeManagerLockDirectory(dir.getPath())
                .addAcceptorConfiguration("invm", url);
    }
}
