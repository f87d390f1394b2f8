package io.solarwind.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a run prints and writes, line by line, to its report file, with figures summed up as min, median, mean, max. */
final class Report {
    private final Path file;
    private final String prefix;
    private final Map<String, List<Long>> figures = new LinkedHashMap<>();

    Report(Path file, String prefix) throws IOException {
        this.file = file;
        this.prefix = prefix;
        Files.writeString(file, "");
    }

    void line(String line) {
        System.out.println("[" + prefix + "] " + line);
        try {
            Files.writeString(file, line + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void add(String figure, long value) {
        figures.computeIfAbsent(figure, k -> new ArrayList<>()).add(value);
    }

    void figures() {
        figures.forEach((name, values) -> {
            List<Long> sorted = values.stream().sorted().toList();
            line(name + ": min " + sorted.get(0) + ", median " + sorted.get(sorted.size() / 2)
                    + ", mean " + Math.round(sorted.stream().mapToLong(v -> v).average().orElse(0))
                    + ", max " + sorted.get(sorted.size() - 1) + " (" + sorted.size() + ")");
        });
    }
}
