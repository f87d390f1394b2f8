package io.solarwind.crash;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Publishes events over JMS to {@code solarwind.inbound}, as a handler service or any JMS
 * client would: persistent, blocking sends, so a send that returns means the broker has the
 * event in its journal. A failed send is sent again, with the same {@code ce_id} and
 * {@code ce_source}, on a new connection once the broker is back.
 */
final class JmsPublisher implements Runnable {
    static final String SOURCE = "/crash/jms";

    private final Ledger ledger;
    private final String brokerUrl;
    private final String topic;
    private ActiveMQConnectionFactory factory;
    private Connection connection;
    private Session session;
    private MessageProducer producer;

    JmsPublisher(Ledger ledger, String brokerUrl, String topic) {
        this.ledger = ledger;
        this.brokerUrl = brokerUrl;
        this.topic = topic;
    }

    @Override
    public void run() {
        try {
            for (int n = ledger.take(); n >= 0; n = ledger.take()) {
                for (int attempt = 1; !ledger.stopped(); attempt++) {
                    ledger.attempted(n);
                    try {
                        connect();
                        TextMessage message = session.createTextMessage(Ledger.body(n));
                        message.setStringProperty("ce_type", topic);
                        message.setStringProperty("ce_id", ledger.id(n));
                        message.setStringProperty("ce_source", SOURCE);
                        message.setStringProperty("ce_specversion", "1.0");
                        message.setStringProperty("ce_datacontenttype", "application/json");
                        producer.send(message);
                        ledger.acknowledged(n, false);
                        break;
                    } catch (JMSException | RuntimeException e) {
                        ledger.failed(n, attempt);
                        disconnect();
                        Processes.sleep(Math.min(100L * attempt, 1000));
                    }
                }
            }
        } finally {
            disconnect();
        }
    }

    private void connect() throws JMSException {
        if (producer != null) {
            return;
        }
        // no reconnection in the client: a failure surfaces on the send, and this class retries
        factory = Access.jmsFactory(brokerUrl);
        factory.setBlockOnDurableSend(true);
        factory.setCallTimeout(10_000);
        connection = Access.jms(factory);
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(session.createTopic("solarwind.inbound"));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    }

    private void disconnect() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (JMSException | RuntimeException ignored) {
            // gone either way
        }
        if (factory != null) {
            factory.close();
        }
        factory = null;
        connection = null;
        session = null;
        producer = null;
    }
}
