package io.solarwind.infrastructure.messaging.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.solarwind.domain.PurposeVersions;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A purpose's versions survive the registry record, the one place every server reads them from. */
class RegistryRecordsVersionsTest {
    @Test
    void versionsAndCutoversRoundTrip() {
        Instant t = Instant.parse("2026-12-03T10:00:00Z");
        PurposeVersions versions = PurposeVersions.first("1", t).with("2.0.1", t.plusSeconds(5)).cutOver("2.0.1", t.plusSeconds(9))
                .cutOver("1", t.plusSeconds(20));
        assertEquals(versions, RegistryRecords.versionsFromJson(RegistryRecords.versionsToJson(versions)));
        assertThrows(IllegalArgumentException.class, () -> RegistryRecords.versionsFromJson("{\"known\":[],\"active\":\"1\",\"cutovers\":[]}"));
    }
}
