package io.solarwind.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "Once, where it counts": the account-balances example's handler server is killed with SIGKILL
 * again and again while {@code payment.booked} events flow, and afterwards each way's books are
 * compared with what was published (see {@link OnceSetup} for the processes):
 *
 * <ul>
 * <li>XA ({@code balances-xa}) and idempotent ({@code balances-idempotent}): every event has
 * exactly one ledger entry, every account's balance is the sum of its payments, and the
 * {@code balance.changed} events fired are exactly one per committed entry (none for a change
 * that rolled back, none missing), each with the balance that entry committed; no PostgreSQL
 * transaction is left prepared (Liberty's recovery resolved those the kills left in doubt);
 * nothing went to the dead-letter address.</li>
 * <li>plain ({@code balances-plain}, at least once): no event missing; its duplicates are counted
 * and reported, not asserted (they are what the two other ways prevent).</li>
 * </ul>
 *
 * <p>Events are published at the handlers' pace (at most 300 ahead of the slower of the XA and
 * idempotent handlers), so that every way has events in flight at each kill. The kills are spread
 * over the run: kill k happens when the slower of the XA and idempotent handlers has booked
 * k/(kills+1) of the events, after a random pause of up to half a second.
 * Settings: {@code once.events} (1,000), {@code once.kills} (1), {@code crash.seed}; the long run
 * is {@code -Donce.events=10000 -Donce.kills=10}.
 */
class OnceIT {
    private static final Pattern BALANCE = Pattern.compile("\"balance\"\\s*:\\s*(-?\\d+)");
    private OnceSetup setup;

    @Test
    void eachEventChangesTheDatabaseOnceAcrossKillsOfTheHandlerServer() throws Exception {
        Duration limit = Duration.ofMinutes(Integer.parseInt(System.getProperty("once.deadline.minutes", "25")));
        Deadline.run("OnceIT", limit, () -> {
            if (setup != null) {
                setup.handlers.dumpThreads("deadline");
                setup.close();
            }
        }, this::run);
    }

    private void run() throws Exception {
        int events = intProperty("once.events", 1000);
        int kills = intProperty("once.kills", 1);
        String seedText = System.getProperty("crash.seed", "");
        long seed = seedText.isBlank() ? System.nanoTime() : Long.parseLong(seedText.trim());
        Random random = new Random(seed);
        setup = new OnceSetup(Path.of(System.getProperty("once.work", "target/once")), "once-report.txt");
        OnceSetup.Payments payments = OnceSetup.Payments.of("pay-" + UUID.randomUUID().toString().substring(0, 8), events, seed);
        setup.report.line("Once test " + Instant.now() + ": " + events + " payment.booked events, " + kills
                + " SIGKILLs of the handler server, seed " + seed);
        long began = System.nanoTime();
        setup.start();

        Thread publisher = new Thread(() -> {
            try {
                // at most 300 events ahead of the slower of the XA and idempotent handlers, so that every way is busy at each kill
                setup.publish(payments, () -> {
                    long booked = Math.min(setup.booked("xa"), setup.booked("idempotent"));
                    return booked < 0 ? 0 : booked + 300;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "once-publisher");
        long publishing = System.nanoTime();
        publisher.start();

        long preparedAfterKills = 0;
        for (int k = 1; k <= kills; k++) {
            long target = (long) events * k / (kills + 1);
            boolean reached = Processes.await(Duration.ofMinutes(10), () -> Math.min(setup.booked("xa"), setup.booked("idempotent")) >= target);
            assertTrue(reached, "the handlers did not book " + target + " events within 10 minutes (xa " + setup.booked("xa")
                    + ", idempotent " + setup.booked("idempotent") + ")");
            Processes.sleep(random.nextInt(500));
            long xa = setup.booked("xa");
            long idempotent = setup.booked("idempotent");
            assertTrue(setup.handlers.kill(), "there was a handler server to kill");
            long prepared = setup.number("SELECT count(*) FROM pg_prepared_xacts");
            preparedAfterKills += prepared;
            long restart = setup.startHandlers();
            setup.report.line(String.format("kill %d: handler server at xa %d / idempotent %d / plain %d booked; %d PostgreSQL transactions "
                            + "left prepared; restarted and consuming in %d ms",
                    k, xa, idempotent, setup.booked("plain"), prepared, restart));
            setup.report.add("kill to consuming ms", restart);
        }
        publisher.join(Duration.ofMinutes(5).toMillis());
        setup.report.line("published " + events + " events; all booked by every way "
                + (awaitAllBooked(events) ? "" : "NOT ") + "within 10 minutes; "
                + Processes.millisSince(publishing) / 1000 + " s after publishing began");
        // what the idempotent handler fired is published from its outbox after the commit: wait until it is empty
        Processes.await(Duration.ofMinutes(2), () -> setup.number("SELECT count(*) FROM solarwind_outbox") == 0);
        // and until the audit purpose holds what Solar Wind dispatched of the three ways' events (the plain way fires too,
        // at least once, and Solar Wind dispatches a fired event once), with no handler transaction left in doubt on the
        // broker: a kill between the two phases of an XA commit leaves the fired event prepared there until Liberty's
        // recovery commits it, which may be a minute after the restart (no activation runs yet at the first attempt).
        // Counting two ways' worth once ended this wait early, the last XA event still in doubt (CI, 2026-12-03).
        long auditWait = System.nanoTime();
        boolean audited = Processes.await(Duration.ofMinutes(4), () -> setup.count("solarwind.dispatch") == 0
                && setup.count(setup.auditQueue) >= 3L * events && setup.preparedOnBroker().isEmpty());
        setup.report.line("the audit purpose held " + setup.count(setup.auditQueue) + " events " + Processes.millisSince(auditWait) / 1000
                + " s after all were booked" + (audited ? "" : " (fewer than " + 3L * events + ", or some in doubt, after 4 minutes)")
                + "; transactions prepared on the broker: [" + setup.preparedOnBroker() + "]");
        Processes.sleep(2000);
        Map<String, List<String>> fired = setup.drain(setup.auditQueue, 2000);
        long prepared = setup.number("SELECT count(*) FROM pg_prepared_xacts");
        long outbox = setup.number("SELECT count(*) FROM solarwind_outbox");
        long deadLetters = Math.max(0, setup.count("DLA"));

        List<String> failures = new ArrayList<>();
        Map<String, Long> expected = payments.balances();
        for (String way : new String[] {"xa", "idempotent", "plain"}) {
            Map<String, Integer> entries = new HashMap<>();
            Map<String, Long> committedBalance = new HashMap<>();
            try (java.sql.Connection db = setup.db(); Statement s = db.createStatement();
                 ResultSet r = s.executeQuery("SELECT event_id, balance FROM ledger_entry WHERE way = '" + way + "'")) {
                while (r.next()) {
                    entries.merge(r.getString(1), 1, Integer::sum);
                    committedBalance.put(r.getString(1), r.getLong(2));
                }
            }
            int missing = 0;
            int duplicated = 0;
            for (String id : payments.ids()) {
                int n = entries.getOrDefault(id, 0);
                if (n == 0) {
                    missing++;
                } else {
                    duplicated += n - 1;
                }
            }
            int wrongBalances = 0;
            try (java.sql.Connection db = setup.db(); Statement s = db.createStatement();
                 ResultSet r = s.executeQuery("SELECT account, balance FROM account_balance WHERE way = '" + way + "'")) {
                Map<String, Long> actual = new HashMap<>();
                while (r.next()) {
                    actual.put(r.getString(1), r.getLong(2));
                }
                for (Map.Entry<String, Long> account : expected.entrySet()) {
                    if (!account.getValue().equals(actual.get(account.getKey()))) {
                        wrongBalances++;
                    }
                }
            }
            String line = String.format("%s: %d distinct events booked, missing %d, booked twice or more %d, accounts with a wrong balance %d of %d",
                    way, entries.size(), missing, duplicated, wrongBalances, expected.size());
            if (!way.equals("plain")) {
                int firedDistinct = 0;
                int firedTwice = 0;
                int firedWithoutChange = 0;
                int changeWithoutEvent = 0;
                int firedOtherBalance = 0;
                for (Map.Entry<String, List<String>> event : fired.entrySet()) {
                    if (!event.getKey().startsWith(way + ":")) {
                        continue;
                    }
                    firedDistinct++;
                    firedTwice += event.getValue().size() - 1;
                    String payment = event.getKey().substring(way.length() + 1);
                    Long balance = committedBalance.get(payment);
                    if (balance == null) {
                        firedWithoutChange++;
                        continue;
                    }
                    Matcher m = BALANCE.matcher(event.getValue().get(0));
                    if (!m.find() || Long.parseLong(m.group(1)) != balance) {
                        firedOtherBalance++;
                    }
                }
                List<String> unfired = new ArrayList<>();
                for (String id : entries.keySet()) {
                    if (!fired.containsKey(way + ":" + id)) {
                        changeWithoutEvent++;
                        if (unfired.size() < 10) {
                            unfired.add(id);
                        }
                    }
                }
                line += String.format("; balance.changed: %d distinct, duplicated %d, without a committed change %d, committed change without event %d%s,"
                        + " balance other than committed %d", firedDistinct, firedTwice, firedWithoutChange, changeWithoutEvent,
                        unfired.isEmpty() ? "" : " " + unfired, firedOtherBalance);
                if (missing + duplicated + wrongBalances + firedTwice + firedWithoutChange + changeWithoutEvent + firedOtherBalance > 0) {
                    failures.add(line);
                }
            } else if (missing > 0) {
                failures.add(line);
            }
            setup.report.line(line);
        }
        setup.report.line(String.format("RESULT: %s; PostgreSQL transactions prepared right after the kills %d, left at the end %d; "
                        + "outbox rows left %d; dead letters %d; total %d s", failures.isEmpty() ? "once" : "FAILED", preparedAfterKills, prepared,
                outbox, deadLetters, Processes.millisSince(began) / 1000));
        setup.report.figures();
        if (!failures.isEmpty() || prepared > 0 || outbox > 0 || deadLetters > 0) {
            setup.reportTransactionLog();
        }
        setup.handlers.stop();
        setup.server.stop();

        assertTrue(failures.isEmpty(), "not once: " + failures + " (see " + setup.work.resolve("once-report.txt") + ")");
        assertEquals(0, prepared, "PostgreSQL transactions left prepared (in doubt) at the end");
        assertEquals(0, outbox, "outbox rows never published");
        assertEquals(0, deadLetters, "events in the dead-letter address");
    }

    private boolean awaitAllBooked(int events) {
        return Processes.await(Duration.ofMinutes(10), () -> setup.booked("xa") >= events && setup.booked("idempotent") >= events
                && setup.booked("plain") >= events);
    }

    @AfterEach
    void cleanUp() {
        if (setup != null) {
            setup.close();
        }
    }

    private static int intProperty(String name, int fallback) {
        String value = System.getProperty(name, "");
        return value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
