package io.solarwind.it;

import static io.solarwind.it.SolarWindServer.ADMIN;
import static io.solarwind.it.SolarWindServer.ADMIN_PASSWORD;
import static io.solarwind.it.SolarWindServer.BROKER;
import static io.solarwind.it.SolarWindServer.awaitReady;
import static io.solarwind.it.SolarWindServer.json;
import static io.solarwind.it.SolarWindServer.purposeUrl;
import static io.solarwind.it.SolarWindServer.put;
import static io.solarwind.it.SolarWindServer.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A direct purpose's queue from the layout before events were stored once per topic (the queue
 * on an address of its own) is moved to its topic's address when it is empty, and refused with
 * what to do while it holds events: never dropped with them.
 */
class LayoutUpgradeIT {
    @BeforeAll
    static void ready() {
        awaitReady(Duration.ofMinutes(2));
    }

    @Test
    void anEmptyOldQueueMovesAndOneHoldingEventsIsRefusedWithItsEventsKept() throws Exception {
        String topic = uniqueTopic("it.upgrade");
        String empty = "solarwind.direct." + topic + ".empty";
        String full = "solarwind.direct." + topic + ".full";
        try (ServerLocator locator = ActiveMQClient.createServerLocator(BROKER);
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession(ADMIN, ADMIN_PASSWORD, false, true, true, false, 0)) {
            for (String old : new String[] {empty, full}) {
                session.createQueue(QueueConfiguration.of(old).setAddress(old).setRoutingType(RoutingType.ANYCAST).setDurable(true));
            }
            try (ClientProducer producer = session.createProducer(full)) {
                producer.send(session.createMessage(true));
            }

            HttpResponse<String> moved = put(purposeUrl(topic, "empty"), "{\"exchange\":\"direct\"}");
            assertEquals(201, moved.statusCode(), moved.body());
            assertEquals("solarwind.topic." + topic, session.queueQuery(SimpleString.of(empty)).getAddress().toString(),
                    "the empty queue is on its topic's address now");

            HttpResponse<String> refused = put(purposeUrl(topic, "full"), "{\"exchange\":\"direct\"}");
            assertEquals(409, refused.statusCode(), refused.body());
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
            JsonObject problem = json(refused.body()).asJsonObject();
            assertTrue(problem.getString("type").endsWith("destination-conflict"), refused.body());
            assertTrue(problem.getString("detail").contains(full) && problem.getString("detail").contains("drain"), refused.body());
            ClientSession.QueueQuery kept = session.queueQuery(SimpleString.of(full));
            assertEquals(full, kept.getAddress().toString());
            assertEquals(1, kept.getMessageCount(), "its event is still there");
            assertEquals(404, SolarWindServer.get(purposeUrl(topic, "full")).statusCode(), "nothing registered");
        }
    }
}
