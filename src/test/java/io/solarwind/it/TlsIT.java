package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.basic;
import static io.solarwind.it.SolarWindServer.register;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS, tested once end to end: the admin API over HTTPS (Liberty's transportSecurity with its
 * generated key store) and an event published and consumed over the broker's TLS acceptor.
 */
class TlsIT {
    private static final String HTTPS = System.getProperty("solarwind.it.https", "https://localhost:9443");
    private static final String BROKER_TLS = System.getProperty("solarwind.it.broker.tls", "tcp://localhost:61617");
    private static final String BROKER_KEYSTORE = System.getProperty("solarwind.it.tls.keystore", "target/it-tls/broker.p12");

    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(3));
    }

    @Test
    void theAdminApiAnswersOverHttpsWithTheServersCertificate() throws Exception {
        Path server = SolarWindServer.wlp().resolve("usr/servers/" + SolarWindServer.serverName());
        String password = Files.readAllLines(server.resolve("server.env")).stream()
                .filter(l -> l.startsWith("keystore_password=")).map(l -> l.substring("keystore_password=".length()))
                .findFirst().orElseThrow(() -> new AssertionError("Liberty wrote no keystore_password to server.env"));
        HttpClient client = HttpClient.newBuilder()
                .sslContext(trusting(server.resolve("resources/security/key.p12"), password))
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> broker = client.send(HttpRequest.newBuilder(URI.create(HTTPS + "/api/v1/broker"))
                .header("Authorization", basic(SolarWindServer.ADMIN, SolarWindServer.ADMIN_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, broker.statusCode(), broker.body());
        assertTrue(broker.body().contains("journal"), broker.body());
        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create(HTTPS + "/api/v1/topics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), "authentication is the same over HTTPS");
    }

    @Test
    void anEventTravelsOverTheBrokersTlsAcceptor() throws Exception {
        String topic = uniqueTopic("it.tls");
        String queue = register(topic, "secure", "direct").getString("destination");
        try (Connection publisher = tls("publisher", "publisher-dev-only");
             Connection consumer = tls(SolarWindServer.ADMIN, SolarWindServer.ADMIN_PASSWORD)) {
            Session p = publisher.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer inbound = p.createProducer(p.createTopic("solarwind.inbound"));
            inbound.setDeliveryMode(DeliveryMode.PERSISTENT);
            Message event = p.createTextMessage("{\"over\":\"tls\"}");
            event.setStringProperty("ce_type", topic);
            event.setStringProperty("ce_id", topic + "-tls");
            inbound.send(event);

            Session c = consumer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message received = c.createConsumer(c.createQueue(queue)).receive(30_000);
            assertNotNull(received, "dispatched and delivered over TLS");
            assertEquals(topic + "-tls", received.getStringProperty("ce_id"));
        }
        // the TLS port speaks only TLS
        ActiveMQConnectionFactory plain = new ActiveMQConnectionFactory(BROKER_TLS + "?callTimeout=5000&initialConnectAttempts=1");
        assertThrows(JMSException.class, () -> plain.createConnection("publisher", "publisher-dev-only").close());
    }

    private static Connection tls(String user, String password) throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(BROKER_TLS + "?sslEnabled=true&trustStoreType=PKCS12"
                + "&trustStorePath=" + BROKER_KEYSTORE + "&trustStorePassword=it-tls-only&verifyHost=true");
        Connection connection = factory.createConnection(user, password);
        connection.start();
        return connection;
    }

    /** A TLS context that trusts the certificates of {@code keystore} (the server's development keystore). */
    static SSLContext trusting(Path keystore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
