package io.solarwind.interfaces.metrics;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which purposes get series of their own in {@code /metrics}, and the sums of the others: the
 * first {@code cap} registered purposes by topic, then purpose name, keep their labels; every
 * other registered purpose's figures are added to the one series labelled {@value #OTHER} (no
 * topic or purpose name starts with '_', so it meets no real one). Figures of destinations that
 * are no registered purpose's are left out. The number of series is so at most {@code cap + 1}
 * per metric, whatever the number of topics.
 */
public final class PurposeLabels {
    /** The topic and purpose label of the series that sums the purposes without series of their own. */
    public static final String OTHER = "_other";
    public static final Key OTHER_KEY = new Key(OTHER, OTHER);

    private PurposeLabels() {
    }

    /** A purpose's labels. */
    public record Key(String topic, String purpose) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int byTopic = topic.compareTo(o.topic);
            return byTopic != 0 ? byTopic : purpose.compareTo(o.purpose);
        }
    }

    /**
     * What the broker says of one purpose: events waiting (in its queue, or its fanout
     * subscribers' queues), consumers, events delivered and acknowledged, events waiting for
     * a redelivery, and its dead letters on {@code DLA}.
     */
    public record Figures(long pending, long consumers, long delivered, long redelivering, long deadLetters) {
        public static final Figures ZERO = new Figures(0, 0, 0, 0, 0);

        public Figures plus(Figures o) {
            return new Figures(pending + o.pending, consumers + o.consumers, delivered + o.delivered,
                    redelivering + o.redelivering, deadLetters + o.deadLetters);
        }
    }

    /** The purposes that keep their labels: the first {@code cap} of {@code registered} by topic, then purpose. */
    public static SortedSet<Key> labelled(Collection<Key> registered, int cap) {
        TreeSet<Key> labelled = new TreeSet<>();
        if (cap <= 0) {
            return labelled;
        }
        for (Key key : registered) {
            labelled.add(key);
            if (labelled.size() > cap) {
                labelled.pollLast();
            }
        }
        return labelled;
    }

    /**
     * One entry per labelled purpose (zero when the broker said nothing of it) and one for
     * {@link #OTHER_KEY}, summing the registered purposes that are not labelled.
     */
    public static Map<Key, Figures> aggregate(Set<Key> labelled, Set<Key> registered, Map<Key, Figures> figures) {
        Map<Key, Figures> series = new HashMap<>();
        for (Key key : labelled) {
            series.put(key, Figures.ZERO);
        }
        series.put(OTHER_KEY, Figures.ZERO);
        figures.forEach((key, f) -> {
            if (labelled.contains(key)) {
                series.put(key, f);
            } else if (registered.contains(key)) {
                series.merge(OTHER_KEY, f, Figures::plus);
            }
        });
        return series;
    }
}
