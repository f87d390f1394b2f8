package io.solarwind.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.solarwind.handler.PurposeDestination;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server names destinations and the handler side (the resource adapter) consumes them: both must agree. */
class DestinationContractTest {
    @ParameterizedTest
    @CsvSource({"video.uploaded,encode-mp4", "a,b", "a.b.c,d_e"})
    void serverAndHandlerApiNameDestinationsAlike(String topic, String purpose) {
        for (Exchange exchange : Exchange.values()) {
            Registration r = new Registration(Topic.of(topic), Purpose.of(purpose), exchange, new Redelivery(1, 0, 1, 0), java.time.Instant.EPOCH);
            assertEquals(r.destination(), PurposeDestination.name(topic, purpose,
                    io.solarwind.handler.Exchange.valueOf(exchange.name())));
            for (String version : new String[] {"1", "2", "2.1.0", "v3-beta_1"}) {
                assertEquals(r.versionDestination(version), PurposeDestination.name(topic, purpose,
                        io.solarwind.handler.Exchange.valueOf(exchange.name()), version), "version " + version);
            }
        }
    }
}
