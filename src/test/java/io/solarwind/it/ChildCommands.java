package io.solarwind.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command a test needs first (installing Debian packages, {@code npm ci}) with no standard input and its
 * output in {@code target/child-commands.log}. Not inherited: Surefire reads its commands from the test JVM's
 * standard input, and a child sharing it may make it non-blocking (Node does), after which the JVM's next read
 * fails with EAGAIN and Maven reports "[SUREFIRE] std/in stream corrupted" and fails the build though every
 * test passed; its standard output is Surefire's event channel.
 */
final class ChildCommands {
    static final Path LOG = Path.of("target", "child-commands.log");
    private static final File NO_INPUT = new File("/dev/null");

    private ChildCommands() {
    }

    /** The command's exit value; on a failure or timeout the end of its output goes to standard error. */
    static int run(List<String> command, File dir, int minutes) throws IOException {
        Files.createDirectories(LOG.getParent());
        long start = Files.exists(LOG) ? Files.size(LOG) : 0;
        Files.writeString(LOG, "$ " + String.join(" ", command) + " (in " + dir.getAbsolutePath() + ")\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command).directory(dir)
                .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()))
                .start();
        try {
            if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                System.err.println(String.join(" ", command) + " did not finish in " + minutes + " min:\n" + tail(start));
                return -1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (process.exitValue() != 0) {
            System.err.println(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + tail(start));
        }
        return process.exitValue();
    }

    /** The last 40 lines the log got since {@code from}. */
    private static String tail(long from) throws IOException {
        byte[] all = Files.readAllBytes(LOG);
        List<String> lines = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                StandardCharsets.UTF_8).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
