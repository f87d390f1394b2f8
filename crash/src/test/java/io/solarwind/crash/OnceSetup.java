package io.solarwind.crash;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * What OnceIT and OnceBenchIT run on, all real processes: PostgreSQL (examples/account-balances/postgres.sh),
 * a standalone broker, Solar Wind in {@code solarwind-crash} (never killed here) and the account-balances
 * example's handlers alone in {@code once-handlers} (the server the crash test kills). The handlers register
 * {@code payment.booked} with the purposes {@code balances-xa}, {@code balances-idempotent} and
 * {@code balances-plain}; the test registers {@code once-audit} on {@code balance.changed} to see what they fire.
 */
final class OnceSetup implements AutoCloseable {
    static final String TOPIC = "payment.booked";
    static final String FIRED = "balance.changed";
    static final String AUDIT = "once-audit";
    static final String[] WAYS = {"xa", "idempotent", "plain"};
    static final int ACCOUNTS = 50;

    final Path work;
    final Path logs;
    final Report report;
    final BrokerProcess broker;
    final LibertyServer server;
    final LibertyServer handlers;
    final Api api;
    private final Path postgres;
    private final int dbPort;
    private final Path postgresScript;
    final Map<String, String> queues = new LinkedHashMap<>();
    String auditQueue;
    private BrokerQueues probe;

    OnceSetup(Path work, String reportName) throws IOException {
        this.work = work;
        this.logs = work.resolve("logs");
        Files.createDirectories(logs);
        report = new Report(work.resolve(reportName), "once");
        broker = BrokerProcess.single(BrokerProcess.Setup.fromProperties(logs), work.resolve("broker"),
                Integer.parseInt(System.getProperty("crash.broker.port")));
        Path wlp = Path.of(System.getProperty("solarwind.it.wlp"));
        server = new LibertyServer(wlp, System.getProperty("solarwind.it.server"), System.getProperty("solarwind.it.http"), logs);
        handlers = new LibertyServer(wlp, System.getProperty("once.server", "once-handlers"), "-", logs);
        api = new Api(server.http());
        postgres = work.resolve("postgres");
        dbPort = Integer.parseInt(System.getProperty("once.db.port"));
        postgresScript = Path.of(System.getProperty("once.postgres.script"));
    }

    /** PostgreSQL (new), the broker (new), Solar Wind, the audit purpose, then the handler server; returns when it consumes. */
    void start() throws Exception {
        BrokerProcess.deleteTree(postgres);
        // the handler server's transaction log of an earlier run names transactions of a database and broker that are gone
        BrokerProcess.deleteTree(handlers.serverDir().resolve("tranlog"));
        long began = System.nanoTime();
        int exit = Processes.run(List.of("bash", postgresScript.toString(), "start", postgres.toString(), String.valueOf(dbPort)), Map.of(),
                logs.resolve("postgres.log"), Duration.ofMinutes(5));
        if (exit != 0) {
            throw new IllegalStateException("PostgreSQL did not start (exit " + exit + "); see " + logs.resolve("postgres.log"));
        }
        report.line("PostgreSQL started in " + Processes.millisSince(began) + " ms on port " + dbPort + " (max_prepared_transactions "
                + query("SHOW max_prepared_transactions") + ")");
        broker.create();
        report.line("broker started in " + broker.startActive() + " ms at " + broker.url());
        report.line("Solar Wind started and ready in " + server.start(Duration.ofMinutes(3)) + " ms at " + server.http());
        auditQueue = queueOf(api.register(FIRED, AUDIT, "direct"));
        report.line("handler server started and consuming in " + startHandlers() + " ms");
    }

    /** Starts the handler server; returns when every purpose of it has consumers, in ms. */
    long startHandlers() throws Exception {
        long began = System.nanoTime();
        handlers.startProcess(Duration.ofMinutes(3));
        boolean consuming = Processes.await(Duration.ofMinutes(3), () -> {
            try {
                for (String way : WAYS) {
                    if (!queues.containsKey(way)) {
                        if (!api.knows(TOPIC, "balances-" + way)) {
                            return false;
                        }
                        queues.put(way, queueOf(destination(api.purpose(TOPIC, "balances-" + way))));
                    }
                    if (probe().consumers(queues.get(way)) <= 0) {
                        return false;
                    }
                }
                return true;
            } catch (Exception | AssertionError e) {
                closeProbe();
                return false;
            }
        });
        if (!consuming) {
            throw new IllegalStateException("the handler server did not consume " + TOPIC + " within 3 minutes; see "
                    + handlers.serverDir().resolve("logs/messages.log"));
        }
        return Processes.millisSince(began);
    }

    private static String destination(String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"destination\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no destination in " + json);
        }
        return m.group(1);
    }

    /** A direct purpose's queue: the part of its destination after {@code ::}. */
    private static String queueOf(String destination) {
        int fqqn = destination.indexOf("::");
        return fqqn >= 0 ? destination.substring(fqqn + 2) : destination;
    }

    BrokerQueues probe() throws Exception {
        if (probe == null) {
            probe = new BrokerQueues(broker.url());
        }
        return probe;
    }

    void closeProbe() {
        if (probe != null) {
            try {
                probe.close();
            } catch (Exception ignored) {
                // going anyway
            }
            probe = null;
        }
    }

    long count(String queue) {
        try {
            return probe().count(queue);
        } catch (Exception e) {
            closeProbe();
            return -2;
        }
    }

    /** The payments of a run: event id, account and amount of each; the same for a seed. */
    record Payments(List<String> ids, List<String> accounts, List<Long> amounts) {
        static Payments of(String run, int events, long seed) {
            Random random = new Random(seed);
            List<String> ids = new ArrayList<>();
            List<String> accounts = new ArrayList<>();
            List<Long> amounts = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                ids.add(run + "-" + i);
                accounts.add("acct-" + random.nextInt(ACCOUNTS));
                amounts.add((long) random.nextInt(20_001) - 10_000);
            }
            return new Payments(ids, accounts, amounts);
        }

        Map<String, Long> balances() {
            Map<String, Long> sums = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                sums.merge(accounts.get(i), amounts.get(i), Long::sum);
            }
            return sums;
        }
    }

    /** Publishes the payments to Solar Wind's inbound topic over JMS, in transactions of 100, all at once. */
    void publish(Payments payments) throws Exception {
        publish(payments, () -> Long.MAX_VALUE);
    }

    /**
     * Publishes the payments in transactions of 100, each only when the events published so far are
     * below {@code allowed} (polled every 200 ms): events flow at the pace of the handlers.
     */
    void publish(Payments payments, java.util.function.LongSupplier allowed) throws Exception {
        ActiveMQConnectionFactory factory = Access.jmsFactory(broker.url());
        try (Connection connection = Access.jms(factory)) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createTopic("solarwind.inbound"));
            for (int i = 0; i < payments.ids().size(); i++) {
                while (i % 100 == 0 && i >= allowed.getAsLong()) {
                    Processes.sleep(200);
                }
                TextMessage m = session.createTextMessage("{\"account\":\"" + payments.accounts().get(i) + "\",\"amount\":" + payments.amounts().get(i) + "}");
                m.setStringProperty("ce_specversion", "1.0");
                m.setStringProperty("ce_type", TOPIC);
                m.setStringProperty("ce_id", payments.ids().get(i));
                m.setStringProperty("ce_source", "/once-test");
                m.setStringProperty("ce_time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
                m.setStringProperty("ce_datacontenttype", "application/json");
                producer.send(m);
                if (i % 100 == 99) {
                    session.commit();
                }
            }
            session.commit();
        } finally {
            factory.close();
        }
    }

    /** What a queue holds, consumed: per {@code ce_id}, the bodies received (more than one: duplicates). */
    Map<String, List<String>> drain(String queue, long quietMillis) throws Exception {
        Map<String, List<String>> received = new HashMap<>();
        ActiveMQConnectionFactory factory = Access.jmsFactory(broker.url());
        try (Connection connection = Access.jms(factory)) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            int n = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < deadline) {
                Message m = consumer.receive(quietMillis);
                if (m == null) {
                    session.commit();
                    if (count(queue) == 0) {
                        break;
                    }
                    continue;
                }
                received.computeIfAbsent(m.getStringProperty("ce_id"), k -> new ArrayList<>()).add(((TextMessage) m).getText());
                if (++n % 500 == 0) {
                    session.commit();
                }
            }
            session.commit();
        } finally {
            factory.close();
        }
        return received;
    }

    /** Pauses or resumes a queue (management operation; the test's broker user has manage). */
    void queueOperation(String queue, String operation) throws Exception {
        ActiveMQConnectionFactory factory = Access.jmsFactory(broker.url());
        try (Connection c = Access.jms(factory); QueueSession s = ((QueueConnection) c).createQueueSession(false, Session.AUTO_ACKNOWLEDGE)) {
            c.start();
            QueueRequestor requestor = new QueueRequestor(s, s.createQueue("activemq.management"));
            Message request = s.createMessage();
            JMSManagementHelper.putOperationInvocation(request, "queue." + queue, operation);
            Message reply = requestor.request(request);
            if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                throw new IllegalStateException(queue + " " + operation + ": " + JMSManagementHelper.getResult(reply));
            }
        } finally {
            factory.close();
        }
    }

    /**
     * The transactions prepared on the broker and not yet committed or rolled back (management
     * {@code listPreparedTransactions}): a handler's branch in doubt, whose event and fired events wait
     * for Liberty's recovery. Empty when there are none; the error's text when the broker cannot say.
     */
    String preparedOnBroker() {
        ActiveMQConnectionFactory factory = Access.jmsFactory(broker.url());
        try (Connection c = Access.jms(factory); QueueSession s = ((QueueConnection) c).createQueueSession(false, Session.AUTO_ACKNOWLEDGE)) {
            c.start();
            QueueRequestor requestor = new QueueRequestor(s, s.createQueue("activemq.management"));
            Message request = s.createMessage();
            JMSManagementHelper.putOperationInvocation(request, "broker", "listPreparedTransactions");
            Message reply = requestor.request(request);
            Object result = JMSManagementHelper.getResult(reply);
            if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                return "(listPreparedTransactions failed: " + result + ")";
            }
            return result instanceof Object[] list ? String.join("; ", java.util.Arrays.stream(list).map(String::valueOf).toList()) : String.valueOf(result);
        } catch (Exception e) {
            return "(listPreparedTransactions failed: " + e + ")";
        } finally {
            factory.close();
        }
    }

    /**
     * For a failed run: the transaction manager's and adapter's lines (WTRN, J2CA, CNTR, AMQ warnings)
     * of every handler server log kept (each kill's copy and the running server's), into the report.
     */
    void reportTransactionLog() {
        List<Path> files = new ArrayList<>();
        try (var kept = Files.list(logs); var current = Files.list(handlers.serverDir().resolve("logs"))) {
            kept.filter(f -> f.getFileName().toString().startsWith(handlers.name() + "-messages")).sorted().forEach(files::add);
            current.filter(f -> f.getFileName().toString().startsWith("messages")).sorted().forEach(files::add);
        } catch (IOException e) {
            report.line("(handler server logs not readable: " + e + ")");
        }
        java.util.regex.Pattern wanted = java.util.regex.Pattern.compile("WTRN|J2CA|CNTR0020|AMQ[0-9]+[WE]|AMQ21|AMQ22");
        for (Path file : files) {
            try {
                List<String> lines = Files.readAllLines(file).stream().filter(l -> wanted.matcher(l).find()).toList();
                report.line("-- " + file.getFileName() + ": " + lines.size() + " transaction or adapter lines");
                lines.stream().limit(40).forEach(l -> report.line("   " + (l.length() > 400 ? l.substring(0, 400) + "..." : l)));
            } catch (IOException e) {
                report.line("(" + file + " not readable: " + e + ")");
            }
        }
    }

    java.sql.Connection db() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + dbPort + "/balances", "solarwind", "");
    }

    /** The first column of the first row of a query, as text; null when there is none. */
    String query(String sql, Object... parameters) throws SQLException {
        try (java.sql.Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    long number(String sql, Object... parameters) {
        try {
            String value = query(sql, parameters);
            return value == null ? 0 : Long.parseLong(value);
        } catch (SQLException e) {
            return -1; // tables not there yet, or the database is busy
        }
    }

    /** Distinct events booked by a way. */
    long booked(String way) {
        return number("SELECT count(DISTINCT event_id) FROM ledger_entry WHERE way = ?", way);
    }

    /** Ends every process this setup started (SIGKILL where stopping fails); PostgreSQL is stopped. */
    @Override
    public void close() {
        closeProbe();
        LibertyServer.killAll(handlers, server);
        try {
            broker.kill();
        } catch (RuntimeException e) {
            System.err.println("Could not kill the broker: " + e);
        }
        try {
            Processes.run(List.of("bash", postgresScript.toString(), "stop", postgres.toString()), Map.of(), logs.resolve("postgres.log"),
                    Duration.ofMinutes(2));
        } catch (Exception e) {
            System.err.println("Could not stop PostgreSQL: " + e);
        }
    }
}
