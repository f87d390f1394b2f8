package io.solarwind.crash;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Every HTTP request and every JMS connection of the crash tests is made here, so that
 * credentials are added in one place. Optional system properties:
 * {@code solarwind.it.user} / {@code solarwind.it.password} (HTTP basic auth to Solar Wind's
 * API) and {@code solarwind.it.broker.user} / {@code solarwind.it.broker.password} (JMS
 * connections to the broker). Blank or absent means no credentials are sent.
 */
public final class Access {
    private Access() {
    }

    /** A request to Solar Wind, with basic auth when {@code solarwind.it.user} is set. */
    public static HttpRequest.Builder http(String url, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        String user = property("solarwind.it.user");
        if (user != null) {
            String password = property("solarwind.it.password");
            String token = user + ":" + (password == null ? "" : password);
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    /** A JMS connection factory for the broker; callers change its client settings as they need. */
    public static ActiveMQConnectionFactory jmsFactory(String brokerUrl) {
        return new ActiveMQConnectionFactory(brokerUrl);
    }

    /** A connection (not started) with the broker credentials when {@code solarwind.it.broker.user} is set. */
    public static Connection jms(ActiveMQConnectionFactory factory) throws JMSException {
        String user = property("solarwind.it.broker.user");
        return user == null ? factory.createConnection() : factory.createConnection(user, property("solarwind.it.broker.password"));
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? null : value;
    }
}
