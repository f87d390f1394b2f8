package io.solarwind.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RedeliveryTest {
    @Test
    void delaysGrowByTheMultiplierUpToTheCap() {
        Redelivery r = new Redelivery(6, 1000, 2.0, 5000);
        assertEquals(0, r.delayBefore(1));
        assertEquals(1000, r.delayBefore(2));
        assertEquals(2000, r.delayBefore(3));
        assertEquals(4000, r.delayBefore(4));
        assertEquals(5000, r.delayBefore(5));
    }

    @Test
    void badValuesNameTheirField() {
        assertEquals("redelivery.maxAttempts", assertThrows(InvalidInputException.class, () -> new Redelivery(0, 0, 1, 0)).field());
        assertEquals("redelivery.delayMillis", assertThrows(InvalidInputException.class, () -> new Redelivery(1, -1, 1, 0)).field());
        assertEquals("redelivery.multiplier", assertThrows(InvalidInputException.class, () -> new Redelivery(1, 0, 0.5, 0)).field());
        assertEquals("redelivery.multiplier", assertThrows(InvalidInputException.class, () -> new Redelivery(1, 0, Double.NaN, 0)).field());
        assertEquals("redelivery.maxDelayMillis", assertThrows(InvalidInputException.class, () -> new Redelivery(1, 100, 1, 50)).field());
    }
}
