package io.solarwind.crash;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A crash test's body run against a deadline, so that a hang anywhere (a JMS call waiting for a
 * failover that never comes, a process that never answers) becomes a failure that says where it
 * hung, never a build that runs until CI stops it. On expiry, this JVM's threads are printed (to
 * standard output, which CI keeps, and into the failure), {@code onExpiry} runs (the test dumps
 * its servers' threads and kills its processes), and the body's thread is interrupted and left.
 */
final class Deadline {
    /** A test body. */
    interface Body {
        void run() throws Exception;
    }

    private Deadline() {
    }

    static void run(String what, Duration limit, Runnable onExpiry, Body body) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, what);
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> running = thread.submit(() -> {
                body.run();
                return null;
            });
            try {
                running.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception failure) {
                    throw failure;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            } catch (TimeoutException e) {
                String stacks = stacks();
                System.out.println("[deadline] " + what + " did not finish in " + limit.toMinutes() + " min; threads:\n" + stacks);
                try {
                    onExpiry.run();
                } finally {
                    running.cancel(true);
                }
                throw new AssertionError(what + " did not finish in " + limit.toMinutes() + " min (a hang); this JVM's threads:\n" + stacks);
            }
        } finally {
            thread.shutdownNow();
        }
    }

    /** Every thread of this JVM with its stack, the way jstack shows them. */
    static String stacks() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            Thread t = entry.getKey();
            out.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement frame : entry.getValue()) {
                out.append("    at ").append(frame).append('\n');
            }
        }
        return out.toString();
    }
}
