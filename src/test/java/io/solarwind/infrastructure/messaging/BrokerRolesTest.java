package io.solarwind.infrastructure.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.domain.Exchange;
import io.solarwind.domain.Purpose;
import io.solarwind.domain.Redelivery;
import io.solarwind.domain.Registration;
import io.solarwind.domain.Topic;
import io.solarwind.infrastructure.messaging.BrokerRoles.Permission;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerRolesTest {
    private static Registration registration(Exchange exchange) {
        return new Registration(Topic.of("video.uploaded"), Purpose.of("encode"), exchange, new Redelivery(1, 0, 1, 0), Instant.EPOCH);
    }

    @Test
    void onlyTheServerSendsToAPurposeAndOnlyItsOwnHandlerRoleConsumesIt() {
        Registration direct = registration(Exchange.DIRECT);
        Map<Permission, List<String>> roles = BrokerRoles.purpose(direct);
        assertEquals(List.of(BrokerRoles.SERVER), roles.get(Permission.SEND));
        assertEquals("solarwind-handler.video.uploaded.encode", BrokerRoles.handlerOf(direct));
        assertTrue(roles.get(Permission.CONSUME).contains("solarwind-handler.video.uploaded.encode"));
        assertTrue(roles.get(Permission.CONSUME).contains(BrokerRoles.HANDLER_ALL));
        assertFalse(roles.get(Permission.CONSUME).contains(BrokerRoles.PUBLISHER));
        assertFalse(roles.get(Permission.CONSUME).contains(BrokerRoles.HANDLER), "the generic handler role consumes nothing");
        assertFalse(roles.get(Permission.CREATE_NON_DURABLE_QUEUE).contains(BrokerRoles.handlerOf(direct)));
        Map<Permission, List<String>> fanout = BrokerRoles.purpose(registration(Exchange.FANOUT));
        assertTrue(fanout.get(Permission.CREATE_NON_DURABLE_QUEUE).contains("solarwind-handler.video.uploaded.encode"),
                "fanout instances create their subscription queues");
        assertEquals("solarwind-server,solarwind-admin", BrokerRoles.joined(roles, Permission.MANAGE));
    }

    @Test
    void publishersAndHandlersSendToTheInboundTopicOnly() {
        Map<String, Map<Permission, List<String>>> fixed = BrokerRoles.fixed();
        assertTrue(fixed.get(BrokerNames.INBOUND).get(Permission.SEND).containsAll(List.of(BrokerRoles.PUBLISHER, BrokerRoles.HANDLER)));
        assertTrue(fixed.get(BrokerNames.DEAD_LETTER).get(Permission.SEND).contains(BrokerRoles.HANDLER));
        assertFalse(fixed.get(BrokerNames.DEAD_LETTER).get(Permission.SEND).contains(BrokerRoles.PUBLISHER));
        for (Map<Permission, List<String>> table : fixed.values()) {
            assertFalse(table.get(Permission.CONSUME).contains(BrokerRoles.PUBLISHER));
            assertFalse(table.get(Permission.CONSUME).contains(BrokerRoles.HANDLER));
        }
        assertFalse(fixed.get("#").get(Permission.SEND).contains(BrokerRoles.PUBLISHER));
    }
}
