package org.apache.activemq.artemis.protocol.amqp.connect.mirror;

import org.apache.activemq.artemis.core.server.ActiveMQComponent;

/**
 * Stands in for Artemis's AMQP mirror AckManager (artemis-amqp-protocol is not on this module's
 * class path) in StoppedAckManagersTest: same class name, started or stopped as the test says.
 */
public class AckManager implements ActiveMQComponent {
    private volatile boolean started;

    public AckManager(boolean started) {
        this.started = started;
    }

    @Override
    public void start() {
        started = true;
    }

    @Override
    public void stop() {
        started = false;
    }

    @Override
    public boolean isStarted() {
        return started;
    }
}
