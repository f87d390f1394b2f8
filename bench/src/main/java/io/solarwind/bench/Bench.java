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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Runs each scenario against Solar Wind, the same Artemis broker used directly, and RabbitMQ,
 * alternating the systems round by round (these machines are noisy: only ratios taken side by
 * side compare), and prints the median of the rounds with the ratios, last.
 *
 * <pre>java io.solarwind.bench.Bench --http URL --broker URL --rabbit HOST:PORT [--seconds 10] [--rounds 3] [--scenarios 1,2,3,5,6] [--systems "Solar Wind,raw Artemis,RabbitMQ"]</pre>
 */
public final class Bench {
    private static final byte[] KILOBYTE = new byte[1024];

    private final Map<String, Supplier<Rig>> systems = new LinkedHashMap<>();
    private final int seconds;
    private final int warmup;
    private final int rounds;

    private Bench(Map<String, String> args) {
        seconds = Integer.parseInt(args.getOrDefault("seconds", "10"));
        warmup = Integer.parseInt(args.getOrDefault("warmup", "3"));
        rounds = Integer.parseInt(args.getOrDefault("rounds", "3"));
        String broker = args.get("broker");
        String http = args.get("http");
        String[] rabbit = args.getOrDefault("rabbit", "localhost:5672").split(":");
        systems.put("Solar Wind", () -> JmsRig.solarWind(broker, http));
        systems.put("raw Artemis", () -> JmsRig.rawArtemis(broker));
        systems.put("RabbitMQ", () -> new RabbitRig(rabbit[0], Integer.parseInt(rabbit[1])));
        if (args.containsKey("systems")) {
            systems.keySet().retainAll(List.of(args.get("systems").split(",")));
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        ThreadLocalRandom.current().nextBytes(KILOBYTE);
        Bench bench = new Bench(args);
        List<String> chosen = List.of(args.getOrDefault("scenarios", "1,2,3,5,6").split(","));
        List<Row> rows = new ArrayList<>();
        Row first = null;
        if (chosen.contains("1") || chosen.contains("6")) {
            first = bench.compare(Scenario.oneDirect());
            rows.add(first);
        }
        if (chosen.contains("2")) {
            rows.add(bench.compare(Scenario.threePurposes()));
        }
        if (chosen.contains("3")) {
            for (int n : new int[] {1, 2, 8}) {
                rows.add(bench.compare(Scenario.fanout(n)));
            }
        }
        if (chosen.contains("5")) {
            rows.add(bench.compare(Scenario.overHttp(8)));
        }
        if (chosen.contains("6") && first != null) {
            double max = first.median.get("Solar Wind").eventsPerSecond();
            for (double share : new double[] {0.25, 0.5, 0.75}) {
                rows.add(bench.compare(Scenario.oneDirect().atRate((int) (max * share))));
            }
        }
        String table = table(rows);
        Path out = Path.of(args.getOrDefault("out", "bench/results"));
        Files.createDirectories(out);
        chart(rows, out.resolve("bench-" + LocalDate.now() + ".png").toFile());
        Files.writeString(out.resolve("bench-" + LocalDate.now() + ".md"), table);
        System.out.println();
        System.out.println(table);
    }

    /** The median result of each system over the rounds, systems alternating in order. */
    private Row compare(Scenario scenario) throws Exception {
        Map<String, List<Result>> all = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(systems.keySet());
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < names.size(); i++) {
                String system = names.get((i + round) % names.size());
                Result r = run(system, scenario);
                System.out.printf("  round %d %-12s %-34s %10.0f events/s  p50 %7.2f ms  p99 %7.2f ms%n",
                        round + 1, system, scenario.name(), r.eventsPerSecond(), r.p(50), r.p(99));
                all.computeIfAbsent(system, k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, Result> median = new LinkedHashMap<>();
        for (String system : names) {
            List<Result> results = new ArrayList<>(all.get(system));
            results.sort((a, b) -> Double.compare(a.eventsPerSecond(), b.eventsPerSecond()));
            median.put(system, results.get(results.size() / 2));
        }
        return new Row(scenario, median);
    }

    private Result run(String system, Scenario scenario) throws Exception {
        String run = system.replaceAll("[^A-Za-z]", "").toLowerCase() + UUID.randomUUID().toString().substring(0, 6);
        Meter meter = new Meter();
        try (Rig rig = systems.get(system).get()) {
            rig.start(scenario, run, meter);
            List<String> topics = scenario.topicNames(run);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> publishers = new ArrayList<>();
            for (int p = 0; p < scenario.publishers(); p++) {
                Rig.Publisher publisher = rig.publisher();
                int offset = p;
                Thread t = new Thread(() -> publish(publisher, topics, scenario.ratePerSecond() / (double) scenario.publishers(), offset, stop));
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
            return new Result(system, scenario.name(), perSecond, meter.histogram());
        }
    }

    private static void publish(Rig.Publisher publisher, List<String> topics, double rate, int offset, AtomicBoolean stop) {
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

    private record Row(Scenario scenario, Map<String, Result> median) {
    }

    private static String table(List<Row> rows) {
        StringBuilder t = new StringBuilder();
        t.append("| scenario | system | events/s | p50 ms | p99 ms | p99.9 ms | / raw Artemis | / RabbitMQ |\n");
        t.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row row : rows) {
            double raw = row.median.containsKey("raw Artemis") ? row.median.get("raw Artemis").eventsPerSecond() : Double.NaN;
            double rabbit = row.median.containsKey("RabbitMQ") ? row.median.get("RabbitMQ").eventsPerSecond() : Double.NaN;
            row.median.forEach((system, r) -> t.append(String.format("| %s | %s | %.0f | %.2f | %.2f | %.2f | %s | %s |%n",
                    row.scenario.name(), system, r.eventsPerSecond(), r.p(50), r.p(99), r.p(99.9),
                    system.equals("Solar Wind") ? String.format("%.2f", r.eventsPerSecond() / raw) : "",
                    system.equals("Solar Wind") ? String.format("%.2f", r.eventsPerSecond() / rabbit) : "")));
        }
        return t.toString();
    }

    private static void chart(List<Row> rows, File file) throws Exception {
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(600)
                .title("Solar Wind vs raw Artemis vs RabbitMQ (persistent 1 KB events, median of rounds)")
                .xAxisTitle("scenario").yAxisTitle("events/s").build();
        List<String> scenarios = rows.stream().map(r -> r.scenario.name()).toList();
        for (String system : rows.get(0).median.keySet()) {
            chart.addSeries(system, scenarios, rows.stream().map(r -> (Number) r.median.get(system).eventsPerSecond()).toList());
        }
        chart.getStyler().setXAxisLabelRotation(20);
        BitmapEncoder.saveBitmap(chart, file.getPath().replaceFirst("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
    }
}
