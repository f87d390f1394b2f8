package io.solarwind.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PurposeVersionsTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void versionsAreAddedInOrderAndCutOverWithHistory() {
        PurposeVersions one = PurposeVersions.first("1", T);
        assertFalse(one.several());
        PurposeVersions two = one.with("2", T.plusSeconds(1));
        assertEquals(List.of("1", "2"), two.names());
        assertEquals("1", two.active());
        assertEquals("1", two.base());
        assertSame(two, two.with("2", T), "a known version again changes nothing");
        PurposeVersions cut = two.cutOver("2", T.plusSeconds(2));
        assertEquals("2", cut.active());
        assertEquals(List.of(new PurposeVersions.Cutover("1", "2", T.plusSeconds(2))), cut.cutovers());
        assertSame(cut, cut.cutOver("2", T), "to the active version: no cut-over");
        assertThrows(IllegalArgumentException.class, () -> cut.cutOver("3", T));
    }

    @Test
    void historyKeepsTheLatestCutovers() {
        PurposeVersions v = PurposeVersions.first("1", T).with("2", T);
        for (int i = 0; i < 50; i++) {
            v = v.cutOver(i % 2 == 0 ? "2" : "1", T.plusSeconds(i));
        }
        assertEquals(PurposeVersions.KEPT_CUTOVERS, v.cutovers().size());
        assertEquals(T.plusSeconds(49), v.cutovers().get(v.cutovers().size() - 1).at());
    }

    @Test
    void versionNamesAreCheckedAndBounded() {
        for (String bad : new String[] {"", " 1", "1 ", "-1", ".1", "1'", "a/b", "1~2", "x".repeat(33)}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> PurposeVersions.check(bad), bad);
            assertEquals("purposeVersion", e.field());
        }
        for (String good : new String[] {"1", "2.1.0", "v3-beta_1", "2026.12"}) {
            assertEquals(good, PurposeVersions.check(good));
        }
        PurposeVersions many = PurposeVersions.first("0", T);
        for (int i = 1; i < PurposeVersions.MAX_VERSIONS; i++) {
            many = many.with("v" + i, T);
        }
        PurposeVersions full = many;
        assertThrows(IllegalStateException.class, () -> full.with("one-more", T));
    }

    @Test
    void aRegistrationsQueuesFollowItsVersions() {
        Registration r = new Registration(Topic.of("orders.placed"), Purpose.of("bill-eu"), Exchange.DIRECT, new Redelivery(1, 0, 1, 0), T,
                null, PurposeFilter.parse("{\"exact\":{\"subject\":\"eu\"}}"), PurposeVersions.first("1", T).with("2", T).cutOver("2", T));
        assertEquals(List.of("solarwind.direct.orders.placed.bill-eu", "solarwind.direct.orders.placed.bill-eu~2"), r.queues());
        assertEquals("solarwind.direct.orders.placed.bill-eu~2", r.queue(), "the active version's");
        assertEquals("solarwind_pv_bill$eu", r.versionProperty(), "a selector identifier: '-' as '$'");
        assertTrue(r.queueSelector("2").startsWith("(" + r.filter().selector() + ") AND "), r.queueSelector("2"));
        assertTrue(r.queueSelector("2").endsWith("solarwind_pv_bill$eu = '2'"), r.queueSelector("2"));
        assertThrows(InvalidInputException.class, () -> new Registration(r.topic(), r.purpose(), Exchange.DIRECT, r.redelivery(), T,
                new Push(Push.parseUrl("https://hooks.example.com/x"), 1, "s".repeat(Push.SHORTEST_SECRET)), null, r.versions()), "a pushed purpose has one version");
    }
}
