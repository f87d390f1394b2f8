package io.solarwind.interfaces.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solarwind.interfaces.metrics.PurposeLabels.Figures;
import io.solarwind.interfaces.metrics.PurposeLabels.Key;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

class PurposeLabelsTest {

    @Test
    void theFirstPurposesByTopicThenPurposeKeepTheirLabels() {
        List<Key> registered = List.of(new Key("b", "x"), new Key("a", "z"), new Key("a", "y"), new Key("c", "a"));
        assertEquals(List.of(new Key("a", "y"), new Key("a", "z"), new Key("b", "x")),
                List.copyOf(PurposeLabels.labelled(registered, 3)));
        assertEquals(4, PurposeLabels.labelled(registered, 10).size());
        assertTrue(PurposeLabels.labelled(registered, 0).isEmpty());
        assertTrue(PurposeLabels.labelled(registered, -1).isEmpty());
    }

    @Test
    void theChoiceDoesNotDependOnTheOrderPurposesComeIn() {
        List<Key> registered = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            registered.add(new Key("topic" + (i % 37), "p" + i));
        }
        SortedSet<Key> first = PurposeLabels.labelled(registered, 50);
        Collections.shuffle(registered, new Random(7));
        assertEquals(first, PurposeLabels.labelled(registered, 50));
    }

    @Test
    void tenThousandTopicsMakeAtMostCapPlusOneSeriesAndLoseNoFigure() {
        Set<Key> registered = new HashSet<>();
        Map<Key, Figures> figures = new HashMap<>();
        for (int t = 0; t < 10_000; t++) {
            for (int p = 0; p < 2; p++) {
                Key key = new Key("topic" + t, "purpose" + p);
                registered.add(key);
                figures.put(key, new Figures(1, 2, 3, 4, 5));
            }
        }
        SortedSet<Key> labelled = PurposeLabels.labelled(registered, 1000);
        Map<Key, Figures> series = PurposeLabels.aggregate(labelled, registered, figures);
        assertEquals(1001, series.size());
        assertEquals(new Figures(1, 2, 3, 4, 5), series.get(labelled.first()));
        assertEquals(new Figures(19_000, 38_000, 57_000, 76_000, 95_000), series.get(PurposeLabels.OTHER_KEY));
        Figures total = series.values().stream().reduce(Figures.ZERO, Figures::plus);
        assertEquals(new Figures(20_000, 40_000, 60_000, 80_000, 100_000), total);
    }

    @Test
    void labelledPurposesWithoutFiguresShowZeroAndOtherAlwaysExists() {
        Key a = new Key("a", "p");
        Map<Key, Figures> series = PurposeLabels.aggregate(Set.of(a), Set.of(a), Map.of());
        assertEquals(Map.of(a, Figures.ZERO, PurposeLabels.OTHER_KEY, Figures.ZERO), series);
    }

    @Test
    void figuresOfNoRegisteredPurposeAreLeftOut() {
        Key a = new Key("a", "p");
        Key gone = new Key("a", "deleted");
        Map<Key, Figures> series = PurposeLabels.aggregate(Set.of(), Set.of(a),
                Map.of(a, new Figures(1, 0, 0, 0, 0), gone, new Figures(100, 0, 0, 0, 0)));
        assertEquals(Map.of(PurposeLabels.OTHER_KEY, new Figures(1, 0, 0, 0, 0)), series);
    }

    @Test
    void noRealTopicOrPurposeCanBeNamedLikeTheOtherSeries() {
        assertTrue(!io.solarwind.domain.Topic.isValid(PurposeLabels.OTHER));
        org.junit.jupiter.api.Assertions.assertThrows(io.solarwind.domain.InvalidInputException.class,
                () -> io.solarwind.domain.Purpose.of(PurposeLabels.OTHER));
    }
}
