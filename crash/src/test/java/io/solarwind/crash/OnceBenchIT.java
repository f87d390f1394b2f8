package io.solarwind.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cost of "once" on handler throughput, the three ways side by side in one run on the same
 * processes (see {@link OnceSetup}): the account-balances handlers, each with 4 sessions, each
 * booking a payment in PostgreSQL and firing {@code balance.changed}. After a warm-up of 500
 * events, the three purpose queues are paused, {@code once.bench.events} events published
 * (dispatched into all three), and each queue resumed alone in turn: plain, XA, idempotent. A
 * way's rate is its events over the time between its first and last booking (the ledger's
 * {@code clock_timestamp()}), so each way has the server to itself.
 *
 * <p>Run: {@code mvn -o verify -pl crash -Dit.test=OnceBenchIT -Donce.bench.events=2000
 * -Dfailsafe.failIfNoSpecifiedTests=false -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false};
 * the table is in {@code crash/target/once-bench/once-bench.txt}. It is not part of {@code mvn verify}.
 */
class OnceBenchIT {
    private static final String[] ORDER = {"plain", "xa", "idempotent"};
    private OnceSetup setup;

    @Test
    void throughputOfEachWay() throws Exception {
        Deadline.run("OnceBenchIT", Duration.ofMinutes(40), () -> {
            if (setup != null) {
                setup.close();
            }
        }, this::run);
    }

    private void run() throws Exception {
        int events = Integer.parseInt(System.getProperty("once.bench.events", "2000").trim());
        int warmup = 500;
        setup = new OnceSetup(Path.of(System.getProperty("once.work", "target/once")).resolveSibling("once-bench"), "once-bench.txt");
        setup.report.line("Once bench " + Instant.now() + ": " + events + " events per way after " + warmup + " of warm-up; "
                + Runtime.getRuntime().availableProcessors() + " cores");
        setup.start();
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        setup.publish(OnceSetup.Payments.of(run + "-warmup", warmup, 1));
        awaitBooked(warmup);
        for (String way : ORDER) {
            setup.queueOperation(setup.queues.get(way), "pause");
        }
        setup.publish(OnceSetup.Payments.of(run, events, 2));
        assertTrue(Processes.await(Duration.ofMinutes(5), () -> {
            for (String way : ORDER) {
                if (setup.count(setup.queues.get(way)) < events) {
                    return false;
                }
            }
            return true;
        }), "the events were not dispatched into the three purpose queues within 5 minutes");
        StringBuilder table = new StringBuilder("| way | events | seconds | events/s | / plain |\n| --- | ---: | ---: | ---: | ---: |\n");
        double plain = 0;
        for (String way : ORDER) {
            setup.queueOperation(setup.queues.get(way), "resume");
            assertTrue(Processes.await(Duration.ofMinutes(15), () -> setup.booked(way) >= warmup + events),
                    way + " did not book " + events + " events within 15 minutes");
            double seconds = Double.parseDouble(setup.query(
                    "SELECT EXTRACT(EPOCH FROM max(handled_at) - min(handled_at)) FROM ledger_entry WHERE way = ? AND event_id LIKE ?",
                    way, run + "-%"));
            double rate = events / seconds;
            if (way.equals("plain")) {
                plain = rate;
            }
            table.append(String.format("| %s | %d | %.1f | %.0f | %.2f |%n", way, events, seconds, rate, rate / plain));
            setup.report.line(String.format("%s: %d events in %.1f s, %.0f events/s", way, events, seconds, rate));
        }
        setup.report.line("\n" + table);
        setup.handlers.stop();
        setup.server.stop();
    }

    private void awaitBooked(long count) {
        assertTrue(Processes.await(Duration.ofMinutes(10), () -> {
            for (String way : ORDER) {
                if (setup.booked(way) < count) {
                    return false;
                }
            }
            return true;
        }), "the warm-up events were not booked by every way within 10 minutes");
    }

    @AfterEach
    void cleanUp() {
        if (setup != null) {
            setup.close();
        }
    }
}
