package io.solarwind.bench;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The bench's PNG: events/s of the saturated runs (the same throughput for every system says
 * nothing about a paced run), and below it p50 and p99 latency of the paced runs (the
 * {@code @N/s} rows) for the systems that kept the rate (at least 90 % of it; one that did not
 * measured its backlog, and is left out, the number of such runs in the title). Drawn at the end of a run, or
 * again from a run's table: {@code java -cp ... io.solarwind.bench.Chart bench/results/bench-<date>.md}.
 */
final class Chart {
    /** One row of the table: a system's median round in a scenario ({@code rate} 0 for a saturated run). */
    record Point(String scenario, int rate, String system, double eventsPerSecond, double p50, double p99) {
        boolean keptRate() {
            return eventsPerSecond >= 0.9 * rate;
        }
    }

    private static final Pattern RATE = Pattern.compile("@(\\d+)/s");

    private Chart() {
    }

    public static void main(String[] args) throws IOException {
        Path table = Path.of(args[0]);
        draw(fromTable(table), table.resolveSibling(table.getFileName().toString().replaceFirst("\\.md$", ".png")).toFile());
    }

    /** The rows of a table Bench wrote (scenario | system | durability | events/s | p50 | p99 | ...). */
    static List<Point> fromTable(Path table) throws IOException {
        List<Point> points = new ArrayList<>();
        for (String line : Files.readAllLines(table)) {
            String[] cells = line.split("\\|");
            if (cells.length < 7 || !line.startsWith("| ") || cells[1].trim().equals("scenario") || cells[1].contains("---")) {
                continue;
            }
            String scenario = cells[1].trim();
            Matcher rate = RATE.matcher(scenario);
            try {
                points.add(new Point(scenario, rate.find() ? Integer.parseInt(rate.group(1)) : 0, cells[2].trim(),
                        Double.parseDouble(cells[4].trim()), number(cells[5]), number(cells[6])));
            } catch (NumberFormatException notARow) {
                // a line of the notes
            }
        }
        return points;
    }

    private static double number(String cell) {
        String t = cell.trim();
        return t.isEmpty() || t.equals("NaN") ? Double.NaN : Double.parseDouble(t);
    }

    static void draw(List<Point> points, File file) throws IOException {
        Set<String> systems = new LinkedHashSet<>();
        points.forEach(p -> systems.add(p.system()));
        List<BufferedImage> images = new ArrayList<>();
        List<Point> saturated = points.stream().filter(p -> p.rate() == 0).toList();
        if (!saturated.isEmpty()) {
            List<String> scenarios = saturated.stream().map(Point::scenario).distinct().toList();
            CategoryChart chart = new CategoryChartBuilder().width(1400).height(700)
                    .title("Throughput, saturated (persistent 1 KB events, median of rounds)")
                    .xAxisTitle("scenario").yAxisTitle("events/s").build();
            for (String system : systems) {
                chart.addSeries(system, scenarios, scenarios.stream().map(s -> (Number) saturated.stream()
                        .filter(p -> p.scenario().equals(s) && p.system().equals(system))
                        .mapToDouble(Point::eventsPerSecond).findFirst().orElse(0)).toList());
            }
            chart.getStyler().setXAxisLabelRotation(20);
            images.add(BitmapEncoder.getBufferedImage(chart));
        }
        List<Point> paced = points.stream().filter(p -> p.rate() > 0).toList();
        List<String> scenarios = paced.stream().map(Point::scenario).distinct().toList();
        Set<String> kept = new LinkedHashSet<>();
        paced.stream().filter(Point::keptRate).forEach(p -> kept.add(p.system()));
        List<String> behind = paced.stream().filter(p -> !p.keptRate()).map(p -> p.system() + " " + p.scenario().replaceFirst(".*@", "@"))
                .distinct().toList();
        for (int percentile : new int[] {50, 99}) {
            if (paced.isEmpty() || kept.isEmpty()) {
                break;
            }
            CategoryChart chart = new CategoryChartBuilder().width(1400).height(450)
                    .title("Latency at a set rate: p" + percentile + ", publish to handler (ms, lower is better; median round"
                            + (behind.isEmpty() ? ")" : "; not shown, below 90 % of the rate: " + behind.size() + " runs)"))
                    .xAxisTitle("scenario").yAxisTitle("p" + percentile + " ms").build();
            for (String system : kept) {
                chart.addSeries(system, scenarios, scenarios.stream().map(s -> (Number) paced.stream()
                        .filter(p -> p.scenario().equals(s) && p.system().equals(system) && p.keptRate())
                        .mapToDouble(p -> percentile == 50 ? p.p50() : p.p99()).filter(v -> !Double.isNaN(v)).findFirst().orElse(0))
                        .toList());
            }
            images.add(BitmapEncoder.getBufferedImage(chart));
        }
        if (images.isEmpty()) {
            return;
        }
        int width = images.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int height = images.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        int y = 0;
        for (BufferedImage image : images) {
            g.drawImage(image, 0, y, null);
            y += image.getHeight();
        }
        g.dispose();
        javax.imageio.ImageIO.write(all, "png", file);
    }
}
