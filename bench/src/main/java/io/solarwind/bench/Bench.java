package io.solarwind.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs each scenario against Solar Wind, the same Artemis broker used directly, and RabbitMQ,
 * alternating the systems round by round (these machines are noisy: only ratios taken side by
 * side compare), and prints the median of the rounds with the ratios, last.
 *
 * <p>Scenario 4 runs last (its 30,000 purposes and their consumers should not weigh on the
 * others) and is set up once per system for all its rounds; its table row sits between 3 and 5.
 *
 * <pre>java io.solarwind.bench.Bench --http URL --broker URL --rabbit HOST:PORT [--seconds 10] [--rounds 3] [--scenarios 1,2,3,4,5,6] [--systems "Solar Wind,raw Artemis,RabbitMQ"] [--topics 10000] [--server-pid PID] [--delete-purposes false] [--rates 3000,6000] [--jit-warmup 30] [--out bench/results] [--pair-broker URL --pair-http URL] [--kafka HOST:PORT] [--nats URL] [--amqp URL] [--name SUFFIX]</pre>
 */
public final class Bench {
    private static final byte[] KILOBYTE = new byte[1024];
    /**
     * A naive dispatcher on raw Artemis, for scenarios 1 and 6 only: a transacted forwarder in the
     * bench's JVM moves events from one queue to another in batches, as Solar Wind's dispatcher
     * does (same window and batch size, but over TCP and without registry). Whether a two-hop
     * transacted path on this broker has Solar Wind's latency tail says where that tail comes from.
     */
    static final String FORWARDER = "Artemis forwarder";
    /**
     * Solar Wind on a shared-store broker pair, for what the pair costs against the single server
     * side by side: two more Liberty servers (bench/run.sh starts them when this is named in
     * {@code --systems}), each embedding one half; the servers reach their broker over TCP with HA
     * client settings instead of in-VM, and the halves keep a cluster connection. Both halves share
     * one journal, so no replication is measured. The same rig as Solar Wind, publishing and
     * consuming with the pair's failover URL ({@code --pair-broker}), registering on
     * {@code --pair-http} (the server whose dispatcher stands by: a registration crosses servers).
     */
    static final String PAIR = "Solar Wind pair";
    /** Kafka 4 (KRaft) at its defaults: a record is acknowledged once appended (page cache), flushed by the operating system. */
    static final String KAFKA = "Kafka (defaults)";
    /** Kafka 4 with {@code flush.messages=1} on its topics: the log is flushed to disk at every append, before the produce response. */
    static final String KAFKA_FSYNC = "Kafka (fsync each)";
    /**
     * Solar Wind with AMQP 1.0 publishers and instances (Apache Qpid JMS 2.7.0) on the same server
     * and broker port as "Solar Wind" (JMS over CORE): see {@link AmqpRig}. Scenarios 1, 2, 3, 6.
     */
    static final String AMQP = "Solar Wind (AMQP)";
    /**
     * Solar Wind's push delivery to a receiver in the bench's JVM: scenario 1's purpose registered
     * with {@code push}, measured at the receiver; see {@link PushRig}. Scenarios 1 and 6.
     */
    static final String PUSH = "Solar Wind push";
    /** Solar Wind with a filter on every purpose and an ordering key on every event ({@link JmsRig#filteredAndKeyed}). */
    static final String FILTERED = "Solar Wind (filter+keys)";
    /** Solar Wind with every direct purpose in two versions, the second not cut over to ({@link JmsRig#twoVersions}). */
    static final String VERSIONED = "Solar Wind (2 versions)";
    /** NATS JetStream (Debian's nats-server 2.9.10): acknowledged once written to the stream's file, synced on an interval (not configurable before 2.10). */
    static final String NATS = "NATS JetStream (defaults)";
    /**
     * What each system has stored when the publisher is told (the table's durability column).
     * Solar Wind and raw Artemis: the journal is synced (persistent sends, journal-sync-non-transactional);
     * RabbitMQ confirms a persistent message to a durable queue once written to disk (fsync, batched).
     */
    static final Map<String, String> DURABILITY = Map.ofEntries(
            Map.entry("Solar Wind", "fsync before ack"),
            Map.entry(PAIR, "fsync before ack"),
            Map.entry("raw Artemis", "fsync before ack"),
            Map.entry("RabbitMQ", "fsync before confirm"),
            Map.entry(FORWARDER, "fsync before ack"),
            Map.entry(KAFKA, "page cache (OS flushes)"),
            Map.entry(KAFKA_FSYNC, "fsync before ack"),
            Map.entry(NATS, "page cache (synced on interval)"),
            Map.entry(AMQP, "fsync before ack"),
            Map.entry(PUSH, "fsync before ack"),
            Map.entry(FILTERED, "fsync before ack"),
            Map.entry(VERSIONED, "fsync before ack"));
    /** Systems that run scenarios 1, 2, 3, 5 and 6 but not scenario 4 (not set up for 10,000 topics here). */
    private static final List<String> NOT_SHARED = List.of(KAFKA, KAFKA_FSYNC, NATS);

    private final Map<String, Supplier<Rig>> systems = new LinkedHashMap<>();
    private final int seconds;
    private final int warmup;
    private final int rounds;
    /** The Solar Wind server's JVM (Liberty with the embedded broker), for its heap; 0 when unknown. */
    private final long serverPid;
    /** What the run found besides the table: set-up times, heap, checks; printed before the table and stored after it. */
    private final List<String> notes = new ArrayList<>();
    private int round;

    private Bench(Map<String, String> args) {
        serverPid = Long.parseLong(args.getOrDefault("server-pid", "0"));
        seconds = Integer.parseInt(args.getOrDefault("seconds", "10"));
        warmup = Integer.parseInt(args.getOrDefault("warmup", "3"));
        rounds = Integer.parseInt(args.getOrDefault("rounds", "3"));
        String broker = args.get("broker");
        String http = args.get("http");
        String[] rabbit = args.getOrDefault("rabbit", "localhost:5672").split(":");
        boolean keep = !Boolean.parseBoolean(args.getOrDefault("delete-purposes", "false"));
        systems.put("Solar Wind", () -> JmsRig.solarWind(broker, http).keepPurposes(keep));
        String pairBroker = args.get("pair-broker");
        String pairHttp = args.get("pair-http");
        systems.put(PAIR, () -> JmsRig.solarWind(pairBroker, pairHttp).keepPurposes(keep)); // next to the single server in the table
        systems.put("raw Artemis", () -> JmsRig.rawArtemis(broker));
        systems.put("RabbitMQ", () -> new RabbitRig(rabbit[0], Integer.parseInt(rabbit[1])));
        systems.put(FORWARDER, () -> JmsRig.forwarder(broker));
        String kafka = args.getOrDefault("kafka", "localhost:9092");
        systems.put(KAFKA, () -> new KafkaRig(kafka, false));
        systems.put(KAFKA_FSYNC, () -> new KafkaRig(kafka, true));
        systems.put(NATS, () -> new NatsRig(args.getOrDefault("nats", "nats://localhost:4222")));
        // the broker's port speaks AMQP 1.0 beside CORE
        String amqp = args.getOrDefault("amqp", broker == null ? "amqp://localhost:61616" : broker.replaceFirst("^tcp:", "amqp:"));
        systems.put(AMQP, () -> new AmqpRig(amqp, http));
        systems.put(PUSH, () -> new PushRig(broker, http));
        systems.put(FILTERED, () -> JmsRig.solarWind(broker, http).keepPurposes(keep).filteredAndKeyed());
        systems.put(VERSIONED, () -> JmsRig.solarWind(broker, http).keepPurposes(keep).twoVersions());
        if (args.containsKey("systems")) {
            systems.keySet().retainAll(List.of(args.get("systems").split(",")));
        } else {
            // only when named: they answer a question about Artemis or the pair, they are no baseline of the issue;
            // Kafka and NATS need their brokers, which bench/run.sh starts only when named
            systems.remove(FORWARDER);
            systems.remove(PAIR);
            systems.keySet().removeAll(NOT_SHARED);
            systems.remove(AMQP);
            systems.remove(PUSH); // needs solarwind.push.allowed-hosts, which bench/run.sh sets only when named
            systems.remove(FILTERED);
            systems.remove(VERSIONED);
        }
        if (systems.containsKey(PAIR) && (pairBroker == null || pairHttp == null)) {
            throw new IllegalArgumentException(PAIR + " needs --pair-broker and --pair-http (bench/run.sh starts the pair when --systems names it)");
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        ThreadLocalRandom.current().nextBytes(KILOBYTE);
        Bench bench = new Bench(args);
        String journal = journalOf(args.get("http"));
        bench.notes.add("Solar Wind's broker journal: " + journal + (journal.equals("ASYNCIO") ? ""
                : " (not ASYNCIO: install libaio1; synced sends are about three times slower, for raw Artemis too)"));
        if (bench.systems.containsKey(PAIR)) {
            bench.notes.add("Solar Wind pair's broker journal: " + journalOf(args.get("pair-http")));
        }
        bench.notes.forEach(System.out::println);
        List<String> chosen = List.of(args.getOrDefault("scenarios", "1,2,3,4,5,6").split(","));
        List<Row> rows = new ArrayList<>();
        bench.warmUp(Integer.parseInt(args.getOrDefault("jit-warmup", "30")));
        Row first = null;
        List<Integer> rates = args.containsKey("rates") ? java.util.Arrays.stream(args.get("rates").split(",")).map(Integer::valueOf).toList() : List.of();
        if (chosen.contains("1") || (chosen.contains("6") && rates.isEmpty())) {
            first = bench.compare(Scenario.oneDirect());
            rows.add(first);
        }
        Row three = null;
        if (chosen.contains("2")) {
            three = bench.compare(Scenario.threePurposes());
            rows.add(three);
        }
        if (chosen.contains("3")) {
            for (int n : new int[] {1, 2, 8}) {
                rows.add(bench.compare(Scenario.fanout(n)));
            }
        }
        if (chosen.contains("5")) {
            rows.add(bench.compare(Scenario.overHttp(8)));
            rows.add(bench.compare(Scenario.overHttp(64)));
            rows.add(bench.compare(Scenario.overHttpInBatches(8, 100)));
        }
        if (chosen.contains("6") && !rates.isEmpty()) {
            for (int rate : rates) { // paced runs only, at the rates given (for latency experiments)
                rows.add(bench.compare(Scenario.oneDirect().atRate(rate)));
            }
        } else if (chosen.contains("6") && first != null) {
            double max = first.median.get(first.median.keySet().iterator().next()).eventsPerSecond();
            if (first.median.containsKey("Solar Wind")) {
                max = first.median.get("Solar Wind").eventsPerSecond();
            }
            for (double share : new double[] {0.25, 0.5, 0.75}) {
                rows.add(bench.compare(Scenario.oneDirect().atRate((int) (max * share))));
            }
        }
        if (chosen.contains("4")) {
            Row four = bench.compare(Scenario.manyTopics(Integer.parseInt(args.getOrDefault("topics", "10000"))));
            rows.add(four);
            bench.relate(four, first, three);
        }
        rows.sort(java.util.Comparator.comparingInt(r -> r.scenario.number()));
        String table = table(rows);
        String notes = String.join("\n", bench.notes);
        Path out = Path.of(args.getOrDefault("out", "bench/results"));
        Files.createDirectories(out);
        String base = "bench-" + LocalDate.now() + (args.containsKey("name") ? "-" + args.get("name") : "");
        chart(rows, out.resolve(base + ".png").toFile());
        Files.writeString(out.resolve(base + ".md"), table + (notes.isEmpty() ? "" : "\n" + notes + "\n"));
        System.out.println();
        if (!notes.isEmpty()) {
            System.out.println(notes);
            System.out.println();
        }
        System.out.println(table);
    }

    /** Scenario 4 against scenarios 1 and 2 of the same system (the target: Solar Wind's 4 within 10 % of its 1). */
    private void relate(Row four, Row first, Row three) {
        for (String system : four.median.keySet()) {
            double rate = four.median.get(system).eventsPerSecond();
            StringBuilder line = new StringBuilder(String.format("- scenario 4, %s: %.0f events/s", system, rate));
            if (first != null && first.median.containsKey(system)) {
                line.append(String.format("; / its scenario 1 (%.0f): %.2f", first.median.get(system).eventsPerSecond(),
                        rate / first.median.get(system).eventsPerSecond()));
            }
            if (three != null && three.median.containsKey(system)) {
                line.append(String.format("; / its scenario 2 (%.0f, also 3 purposes per event): %.2f", three.median.get(system).eventsPerSecond(),
                        rate / three.median.get(system).eventsPerSecond()));
            }
            notes.add(line.toString());
        }
    }

    /** A system set up for a scenario: for a shared scenario, kept for all its rounds. */
    private record Live(Rig rig, Meter meter, String run) {
    }

    /** The median result of each system over the rounds, systems alternating in order. */
    private Row compare(Scenario scenario) throws Exception {
        Map<String, List<Result>> all = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(systems.keySet());
        if (!JmsRig.forwards(scenario)) {
            names.remove(FORWARDER);
        }
        if (!AmqpRig.runs(scenario)) {
            names.remove(AMQP);
        }
        if (!PushRig.runs(scenario)) {
            names.remove(PUSH);
        }
        if (scenario.overHttp() || scenario.shared()) {
            names.remove(FILTERED); // a question about scenarios 1, 2, 3 and 6
            names.remove(VERSIONED);
        }
        if (scenario.shared()) {
            names.remove(PAIR); // scenario 4's set-up takes minutes per system, and its heap figures are the single server's
            names.removeAll(NOT_SHARED); // not set up for 10,000 topics (stated in bench/README.md)
        }
        Map<String, Live> kept = new LinkedHashMap<>();
        List<Result> reference = new ArrayList<>();
        try {
            for (round = 0; round < rounds; round++) {
                for (int i = 0; i < names.size(); i++) {
                    String system = names.get((i + round) % names.size());
                    Live live = scenario.shared() ? kept.get(system) : null;
                    if (scenario.shared() && live == null) {
                        live = setUp(system, scenario);
                        kept.put(system, live);
                    }
                    Result r = run(system, scenario, live);
                    all.computeIfAbsent(system, k -> new ArrayList<>()).add(r);
                }
                if (scenario.shared() && systems.containsKey("Solar Wind")) {
                    // Solar Wind's scenario 1 side by side with its scenario 4, round by round (the target is relative to it)
                    reference.add(run("Solar Wind", Scenario.oneDirect(), null));
                }
            }
        } finally {
            for (Map.Entry<String, Live> e : kept.entrySet()) {
                tearDown(e.getKey(), e.getValue());
            }
        }
        Map<String, Result> median = new LinkedHashMap<>();
        for (String system : names) {
            median.put(system, median(all.get(system)));
        }
        if (median.containsKey(PAIR) && median.containsKey("Solar Wind")) {
            Result pair = median.get(PAIR);
            Result single = median.get("Solar Wind");
            notes.add(String.format("- %s: Solar Wind pair / Solar Wind %.2f (%.0f / %.0f events/s); p50 %.2f / %.2f ms, p99 %.2f / %.2f ms",
                    scenario.name(), pair.eventsPerSecond() / single.eventsPerSecond(), pair.eventsPerSecond(), single.eventsPerSecond(),
                    pair.p(50), single.p(50), pair.p(99), single.p(99)));
        }
        if (!reference.isEmpty()) {
            Result ref = median(reference);
            double four = median.get("Solar Wind").eventsPerSecond();
            notes.add(String.format("- scenario 4, Solar Wind: %.0f events/s; its scenario 1 run in the same rounds (with scenario 4's purposes"
                    + " registered and consumed meanwhile): %.0f events/s; ratio %.2f (target: at least 0.90)", four, ref.eventsPerSecond(),
                    four / ref.eventsPerSecond()));
        }
        return new Row(scenario, median);
    }

    private static Result median(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Double.compare(a.eventsPerSecond(), b.eventsPerSecond()));
        return sorted.get(sorted.size() / 2);
    }

    private static String runName(String system, Scenario scenario) {
        String prefix = system.replaceAll("[^A-Za-z]", "").toLowerCase();
        return scenario.shared() ? prefix + scenario.number() : prefix + UUID.randomUUID().toString().substring(0, 6);
    }

    /** A shared scenario's set-up, timed, with the server's heap (or RabbitMQ's memory) before and after. */
    private Live setUp(String system, Scenario scenario) throws Exception {
        String run = runName(system, scenario);
        Rig rig = systems.get(system).get();
        Meter meter = new Meter();
        int purposes = scenario.topics() * scenario.purposes().size();
        String what = system.equals("Solar Wind") ? String.format("registering %,d purposes over HTTP (%d requests at a time)", purposes, JmsRig.PARALLEL)
                : system.equals("raw Artemis") ? String.format("declaring %,d multicast addresses and %,d durable queues (%d core sessions)",
                        scenario.topics(), scenario.topics() * (int) scenario.purposes().stream().filter(g -> !g.fanout()).count(), JmsRig.PARALLEL)
                : String.format("declaring %,d durable queues bound to a topic exchange (%d channels)",
                        scenario.topics() * (int) scenario.purposes().stream().filter(g -> !g.fanout()).count(), JmsRig.PARALLEL);
        System.out.printf("  %s: %s%n", system, what);
        String before = memory(system);
        long t0 = System.nanoTime();
        rig.declare(scenario, run);
        double declared = (System.nanoTime() - t0) / 1e9;
        String afterDeclare = memory(system);
        long t1 = System.nanoTime();
        rig.start(scenario, run, meter);
        double started = (System.nanoTime() - t1) / 1e9;
        String afterConsumers = memory(system);
        double primed = prime(rig, meter, scenario, run);
        String line = String.format("- scenario 4, %s: %s took %.0f s (%.0f/s)%s; %,d consumers connected in %.0f s; %s %s before, %s after declaring, %s with the consumers",
                system, what, declared, purposes / declared, rig.declared(), scenario.topics() * scenario.purposes().stream().mapToInt(Scenario.Group::instances).sum(), started,
                system.equals("RabbitMQ") ? "RabbitMQ's memory (Erlang total)" : "server heap used after a full GC", before, afterDeclare, afterConsumers);
        line += String.format("; the first event to each topic (%,d copies) all delivered after %.0f s", scenario.topics() * scenario.copiesPerEvent(), primed);
        System.out.println("  " + line);
        notes.add(line);
        return new Live(rig, meter, run);
    }

    /**
     * Before the rounds: one event to every topic, then waiting until every copy is delivered
     * and the consumers are idle. The first send to each of 30,000 destinations costs a broker
     * round trip (the JMS client checks a destination once: for Solar Wind in the dispatcher,
     * for raw Artemis in the bench's publishers), so without this the rounds would measure that
     * once-only pass, not the steady state; its time is reported.
     */
    private static double prime(Rig rig, Meter meter, Scenario scenario, String run) throws Exception {
        long start = System.nanoTime();
        long before = meter.all();
        try (Rig.Publisher publisher = rig.publisher()) {
            for (String topic : scenario.topicNames(run)) {
                publisher.publish(topic, KILOBYTE);
            }
            publisher.flush();
        }
        long expected = (long) scenario.topics() * scenario.copiesPerEvent();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        long report = System.nanoTime();
        while (meter.all() - before < expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
            if (System.nanoTime() - report > TimeUnit.SECONDS.toNanos(30)) {
                report = System.nanoTime();
                System.out.printf("    first events: %,d of %,d copies delivered after %.0f s%n", meter.all() - before, expected, (report - start) / 1e9);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        drain(meter);
        return seconds;
    }

    private void tearDown(String system, Live live) throws Exception {
        long t0 = System.nanoTime();
        live.rig().close();
        String line = String.format("- scenario 4, %s: stopping the consumers and deleting the set-up took %.0f s; then %s",
                system, (System.nanoTime() - t0) / 1e9, memory(system));
        System.out.println("  " + line);
        notes.add(line);
    }

    /** The Solar Wind server's used heap after a full GC (jcmd), or RabbitMQ's memory. */
    private String memory(String system) {
        try {
            if (system.equals("RabbitMQ")) {
                Matcher m = Pattern.compile("\"total\"\\s*:\\s*\\{[^}]*\"erlang\"\\s*:\\s*(\\d+)")
                        .matcher(command("rabbitmqctl", "status", "--formatter", "json"));
                return m.find() ? String.format("%,d MiB", Long.parseLong(m.group(1)) >> 20) : "?";
            }
            if (serverPid == 0) {
                return "? (no --server-pid)";
            }
            command("jcmd", Long.toString(serverPid), "GC.run");
            Matcher m = Pattern.compile("used (\\d+)K").matcher(command("jcmd", Long.toString(serverPid), "GC.heap_info"));
            return m.find() ? String.format("%,d MiB", Long.parseLong(m.group(1)) >> 10) : "?";
        } catch (Exception e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    private static String command(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** One run: a fresh set-up (or the shared one), warm-up, the measured window, then a drain until the consumers are idle. */
    private Result run(String system, Scenario scenario, Live shared) throws Exception {
        return run(system, scenario, shared, "round " + (round + 1), warmup, seconds);
    }

    /**
     * Before the first round: each system runs scenario 1 at full speed, unmeasured, for
     * {@code --jit-warmup} seconds, so that no first round measures a JVM still compiling its
     * hot paths or a broker still creating its first journal files (an emptied journal has two;
     * until reclaimed files can be recycled every rollover creates and fills one). Solar Wind's
     * server needed about two rounds of 11 s to reach its steady state, and paced runs of
     * scenario 6 alone started cold.
     */
    private void warmUp(int jitSeconds) throws Exception {
        if (jitSeconds <= 0) {
            return;
        }
        for (String system : systems.keySet()) {
            run(system, Scenario.oneDirect(), null, "warm-up", jitSeconds, 1);
        }
    }

    private Result run(String system, Scenario scenario, Live shared, String label, int warmup, int seconds) throws Exception {
        Live live = shared;
        if (live == null) {
            String run = runName(system, scenario);
            Rig rig = systems.get(system).get();
            Meter meter = new Meter();
            try {
                rig.start(scenario, run, meter);
            } catch (Exception e) {
                rig.close();
                throw e;
            }
            live = new Live(rig, meter, run);
        }
        Meter meter = live.meter();
        try {
            long allBefore = meter.all();
            AtomicLong sent = new AtomicLong();
            List<String> topics = scenario.topicNames(live.run());
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> publishers = new ArrayList<>();
            for (int p = 0; p < scenario.publishers(); p++) {
                Rig.Publisher publisher = live.rig().publisher();
                int offset = p;
                Thread t = new Thread(() -> publish(publisher, topics, scenario.ratePerSecond() / (double) scenario.publishers(), offset, stop, sent));
                t.start();
                publishers.add(t);
            }
            Thread.sleep(warmup * 1000L);
            meter.open();
            Thread.sleep(seconds * 1000L);
            long counted = meter.close();
            stop.set(true);
            for (Thread t : publishers) {
                t.join();
            }
            drain(meter);
            Scenario.Group group = scenario.counted();
            double perSecond = counted / (double) seconds / (group.fanout() ? group.instances() : 1);
            Result r = new Result(system, scenario.name(), perSecond, meter.histogram());
            long delivered = meter.all() - allBefore;
            long expected = sent.get() * scenario.copiesPerEvent();
            System.out.printf("  %-7s %-15s %-34s %10.0f events/s  p50 %7.2f ms  p99 %7.2f ms  copies %d of %d%s%n",
                    label, system, scenario.name(), r.eventsPerSecond(), r.p(50), r.p(99), delivered, expected,
                    delivered < expected ? "  MISSING " + (expected - delivered) : "");
            if (delivered < expected) {
                notes.add(String.format("- %s, %s: %d of %d copies delivered in one run (%d missing after the drain)",
                        scenario.name(), system, delivered, expected, expected - delivered));
            }
            return r;
        } finally {
            if (shared == null) {
                live.rig().close();
            }
        }
    }

    private static void publish(Rig.Publisher publisher, List<String> topics, double rate, int offset, AtomicBoolean stop, AtomicLong sent) {
        try (publisher) {
            long interval = rate > 0 ? (long) (1_000_000_000L / rate) : 0;
            long next = System.nanoTime();
            for (long i = offset; !stop.get(); i++) {
                if (interval > 0) {
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                publisher.publish(topics.get((int) (i % topics.size())), KILOBYTE);
                sent.incrementAndGet();
            }
            publisher.flush();
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    /** Lets consumers take what is still queued, so the next run starts on an idle broker. */
    private static void drain(Meter meter) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 120 && meter.all() != last; i++) {
            last = meter.all();
            Thread.sleep(500);
        }
    }

    /** The journal type the Solar Wind server's health check reports (ASYNCIO, NIO, ...). */
    private static String journalOf(String http) {
        try {
            String body = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(http + "/health/ready")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("\"journal\"\\s*:\\s*\"(\\w+)\"").matcher(body);
            return m.find() ? m.group(1) : "unknown";
        } catch (Exception e) {
            return "unknown (" + e + ")";
        }
    }

    private record Row(Scenario scenario, Map<String, Result> median) {
    }

    /**
     * One row per scenario and system, with its durability, and a ratio column (Solar Wind's rows
     * / the other system) for each system measured that is not Solar Wind.
     */
    private static String table(List<Row> rows) {
        List<String> others = rows.stream().flatMap(r -> r.median.keySet().stream()).distinct()
                .filter(s -> !s.startsWith("Solar Wind")).toList();
        StringBuilder t = new StringBuilder("| scenario | system | durability | events/s | p50 ms | p99 ms | p99.9 ms |");
        StringBuilder align = new StringBuilder("| --- | --- | --- | ---: | ---: | ---: | ---: |");
        for (String other : others) {
            t.append(" / ").append(other).append(" |");
            align.append(" ---: |");
        }
        t.append('\n').append(align).append('\n');
        for (Row row : rows) {
            row.median.forEach((system, r) -> {
                t.append(String.format("| %s | %s | %s | %.0f | %.2f | %.2f | %.2f |", row.scenario.name(), system,
                        DURABILITY.getOrDefault(system, ""), r.eventsPerSecond(), r.p(50), r.p(99), r.p(99.9)));
                for (String other : others) {
                    t.append(' ').append(system.startsWith("Solar Wind") && row.median.containsKey(other)
                            ? ratio(r.eventsPerSecond(), row.median.get(other).eventsPerSecond()) : "").append(" |");
                }
                t.append('\n');
            });
        }
        return t.toString();
    }

    /** Blank when the other system was not measured in this run. */
    private static String ratio(double solarWind, double other) {
        return Double.isNaN(other) ? "" : String.format("%.2f", solarWind / other);
    }

    /** The run's PNG ({@link Chart}): throughput of the saturated runs, latency of the paced ones. */
    private static void chart(List<Row> rows, File file) throws Exception {
        List<Chart.Point> points = new ArrayList<>();
        for (Row row : rows) {
            row.median.forEach((system, r) -> points.add(new Chart.Point(row.scenario.name(), Math.max(0, row.scenario.ratePerSecond()),
                    system, r.eventsPerSecond(), r.p(50), r.p(99))));
        }
        Chart.draw(points, file);
    }
}
