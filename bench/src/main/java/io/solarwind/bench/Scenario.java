package io.solarwind.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What one run exercises: the purposes of one topic (each direct with its consumers, or
 * fanout with its subscribers), how many topics the events spread over, and the pace.
 */
public record Scenario(String name, List<Group> purposes, int topics, int ratePerSecond, int publishers, boolean overHttp,
                       int httpBatch) {
    public Scenario(String name, List<Group> purposes, int topics, int ratePerSecond) {
        this(name, purposes, topics, ratePerSecond, 2, false, 1);
    }

    /** One purpose: its exchange and how many instances consume it. */
    public record Group(String purpose, boolean fanout, int instances) {
    }

    public static Scenario oneDirect() {
        return new Scenario("1: direct, 2 consumers", List.of(new Group("work", false, 2)), 1, 0);
    }

    public static Scenario threePurposes() {
        return new Scenario("2: direct+direct+fanout(2)", List.of(new Group("encode", false, 2),
                new Group("thumbnail", false, 2), new Group("audit", true, 2)), 1, 0);
    }

    public static Scenario fanout(int subscribers) {
        return new Scenario("3: fanout to " + subscribers, List.of(new Group("watch", true, subscribers)), 1, 0);
    }

    /**
     * Events spread round-robin over many topics, each with two direct purposes and one fanout
     * purpose, one instance each: every purpose is consumed (see {@link #shared()}).
     */
    public static Scenario manyTopics(int topics) {
        return new Scenario("4: " + String.format("%,d", topics) + " topics x 3 purposes", List.of(new Group("a", false, 1),
                new Group("b", false, 1), new Group("c", true, 1)), topics, 0);
    }

    /** Scenario 1 with Solar Wind's events published over HTTP (binary mode, keep-alive) by several threads. */
    public static Scenario overHttp(int connections) {
        return new Scenario("5: scenario 1, HTTP x" + connections, List.of(new Group("work", false, 2)), 1, 0, connections, true, 1);
    }

    /**
     * Scenario 1 with Solar Wind's events published over HTTP in CloudEvents batch mode, {@code batch}
     * events per request (structured events, data in base64), by several threads.
     */
    public static Scenario overHttpInBatches(int connections, int batch) {
        return new Scenario("5: scenario 1, HTTP x" + connections + ", batches of " + batch, List.of(new Group("work", false, 2)), 1, 0,
                connections, true, batch);
    }

    public Scenario atRate(int rate) {
        return new Scenario(name + " @" + rate + "/s", purposes, topics, rate, publishers, overHttp, httpBatch);
    }

    /** The scenario's number in the benchmark issue (the name starts with it). */
    public int number() {
        return Integer.parseInt(name.substring(0, name.indexOf(':')));
    }

    /**
     * Whether the runs share one set-up per system (scenario 4: registering 30,000 purposes or
     * declaring 30,000 queues takes minutes, so it is done once, kept for every round, and its
     * consumers stay connected between rounds) and consume through a few sessions or channels
     * with many consumers each, instead of a connection and a thread per consumer.
     */
    public boolean shared() {
        return topics > 1;
    }

    /** Copies of one event that the consumers get: one per direct purpose, one per subscriber of a fanout purpose. */
    public int copiesPerEvent() {
        return purposes.stream().mapToInt(g -> g.fanout() ? g.instances() : 1).sum();
    }

    /** The first purpose: its deliveries are the events counted (per instance for fanout). */
    public Group counted() {
        return purposes.get(0);
    }

    public List<String> topicNames(String run) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < topics; i++) {
            names.add("bench." + run + ".t" + i);
        }
        return names;
    }
}
