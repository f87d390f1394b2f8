package io.solarwind.handler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.handler.Exchange;
import io.solarwind.handler.HandlerSetting;
import io.solarwind.handler.PurposeDestination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerApiTest {
    @Test
    void destinationsFollowTheContract() {
        assertEquals("solarwind.topic.video.uploaded::solarwind.direct.video.uploaded.encode-mp4", PurposeDestination.name("video.uploaded", "encode-mp4", Exchange.DIRECT));
        assertEquals("solarwind.fanout.video.uploaded.audit-log", PurposeDestination.name("video.uploaded", "audit-log", Exchange.FANOUT));
        assertEquals("solarwind.topic.video.uploaded::solarwind.direct.video.uploaded.encode-mp4",
                PurposeDestination.name("video.uploaded", "encode-mp4", Exchange.DIRECT, "1"), "version 1: the purpose's queue");
        assertEquals("solarwind.topic.video.uploaded::solarwind.direct.video.uploaded.encode-mp4~2.1",
                PurposeDestination.name("video.uploaded", "encode-mp4", Exchange.DIRECT, "2.1"));
        assertEquals("solarwind.fanout.video.uploaded.audit-log", PurposeDestination.name("video.uploaded", "audit-log", Exchange.FANOUT, "3"),
                "a fanout purpose's versions share its topic");
    }

    @Test
    void bindingsPointEveryBeanAtTheSharedActivationSpec() {
        Map<String, String> beans = new LinkedHashMap<>();
        beans.put("Encoder", "com.example.Encoder");
        beans.put("Auditor", "com.example.Auditor");
        String xml = HandlerBindings.xml(beans);
        assertTrue(xml.contains("<message-driven name=\"Encoder\">\n    <jca-adapter activation-spec-binding-name=\"solarwind/handlers\"/>"), xml);
        assertTrue(xml.contains("<message-driven name=\"Auditor\">"), xml);
        assertTrue(xml.startsWith("<?xml") && xml.trim().endsWith("</ejb-jar-bnd>"));
    }

    @Test
    void problemDetailIsReadFromTheProblemDocument() {
        String body = "{\"type\":\"urn:solarwind:problem:exchange-conflict\",\"title\":\"x\",\"status\":409,"
                + "\"detail\":\"purpose 'a' on topic 't' is registered with exchange direct\",\"field\":\"exchange\"}";
        assertEquals("purpose 'a' on topic 't' is registered with exchange direct", PurposeRegistrar.detail(body));
        assertEquals("plain", PurposeRegistrar.detail("plain"));
    }

    @Test
    void readmeListsEveryHandlerSettingAsDeclared() throws Exception {
        String readme = Files.readString(Path.of("../docs/handlers.md"));
        String table = HandlerSetting.markdownTable();
        assertTrue(readme.contains(table), "docs/handlers.md must contain the handler settings table:\n\n" + table);
    }

    @io.solarwind.handler.Purpose(topic = "t", name = "patient", maxAttempts = 7, redeliveryMultiplier = 1.5)
    static final class Patient {
    }

    @io.solarwind.handler.Purpose(topic = "t", name = "plain", exchange = Exchange.FANOUT)
    static final class Plain {
    }

    @io.solarwind.handler.Purpose(topic = "t", name = "patient", version = "2")
    static final class PatientV2 {
    }

    @Test
    void registrationSendsOnlyTheRedeliveryValuesTheAnnotationSets() {
        assertEquals("{\"exchange\":\"direct\",\"purposeVersion\":\"1\",\"redelivery\":{\"maxAttempts\":7,\"multiplier\":1.5}}",
                PurposeRegistrar.registrationBody(Patient.class.getAnnotation(io.solarwind.handler.Purpose.class)));
        assertEquals("{\"exchange\":\"fanout\",\"purposeVersion\":\"1\"}",
                PurposeRegistrar.registrationBody(Plain.class.getAnnotation(io.solarwind.handler.Purpose.class)));
        assertEquals("{\"exchange\":\"direct\",\"purposeVersion\":\"2\"}",
                PurposeRegistrar.registrationBody(PatientV2.class.getAnnotation(io.solarwind.handler.Purpose.class)));
    }

    @Test
    void theRegisteredAttemptsDecideTheLastAttempt() {
        assertEquals(4, PurposeRegistrar.registeredAttempts("{\"topic\":\"t\",\"redelivery\":{\"maxAttempts\":4,\"delayMillis\":10}}"));
        assertEquals(0, PurposeRegistrar.registeredAttempts("not json"));
        assertEquals(7, RegisteredPolicies.maxAttempts(Patient.class, Patient.class.getAnnotation(io.solarwind.handler.Purpose.class)),
                "before registration: the annotation");
        RegisteredPolicies.registered(Patient.class, 9);
        assertEquals(9, RegisteredPolicies.maxAttempts(Patient.class, Patient.class.getAnnotation(io.solarwind.handler.Purpose.class)));
        assertEquals(0, RegisteredPolicies.maxAttempts(Plain.class, Plain.class.getAnnotation(io.solarwind.handler.Purpose.class)),
                "unknown: the broker's count decides");
    }
}
