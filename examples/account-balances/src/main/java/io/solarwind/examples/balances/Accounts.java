package io.solarwind.examples.balances;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database work of the example, the same for each way of handling: add the payment to the
 * account's balance and write a ledger entry. The tables have a column {@code way} so that the
 * three handlers keep separate books in one database. {@code ledger_entry} has deliberately no
 * unique key on the event: a payment handled twice shows as two entries (the crash test counts them).
 */
public final class Accounts {
    static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS account_balance (way VARCHAR(20) NOT NULL, account VARCHAR(100) NOT NULL, "
            + "balance BIGINT NOT NULL, PRIMARY KEY (way, account))",
        "CREATE TABLE IF NOT EXISTS ledger_entry (seq BIGSERIAL PRIMARY KEY, way VARCHAR(20) NOT NULL, "
            + "event_id VARCHAR(200) NOT NULL, account VARCHAR(100) NOT NULL, amount BIGINT NOT NULL, balance BIGINT NOT NULL, "
            + "handled_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())",
        "CREATE INDEX IF NOT EXISTS ledger_entry_event ON ledger_entry (way, event_id)",
    };
    static boolean exists(Connection db, String table) throws SQLException {
        try (ResultSet r = db.getMetaData().getTables(null, null, table, new String[] {"TABLE"})) {
            return r.next();
        }
    }

    static final Jsonb JSON = JsonbBuilder.create();
    private static volatile boolean created;

    private Accounts() {
    }

    /** Books the payment of event {@code eventId} on {@code db}, in whatever transaction {@code db} is in. */
    static BalanceChanged book(Connection db, String way, String eventId, Payment payment) throws SQLException {
        long balance;
        try (PreparedStatement upsert = db.prepareStatement(
                "INSERT INTO account_balance (way, account, balance) VALUES (?, ?, ?) "
                    + "ON CONFLICT (way, account) DO UPDATE SET balance = account_balance.balance + EXCLUDED.balance RETURNING balance")) {
            upsert.setString(1, way);
            upsert.setString(2, payment.account());
            upsert.setLong(3, payment.amount());
            try (ResultSet r = upsert.executeQuery()) {
                r.next();
                balance = r.getLong(1);
            }
        }
        try (PreparedStatement entry = db.prepareStatement(
                "INSERT INTO ledger_entry (way, event_id, account, amount, balance) VALUES (?, ?, ?, ?, ?)")) {
            entry.setString(1, way);
            entry.setString(2, eventId);
            entry.setString(3, payment.account());
            entry.setLong(4, payment.amount());
            entry.setLong(5, balance);
            entry.executeUpdate();
        }
        return new BalanceChanged(payment.account(), payment.amount(), balance, eventId, way);
    }

    /**
     * Creates the example's tables when missing, on a connection in auto-commit. Only when they are
     * missing: after a crash, transactions in doubt (prepared, XA) hold locks on these tables until
     * Liberty's recovery resolves them, and DDL such as CREATE INDEX IF NOT EXISTS would wait for
     * them (with the application's start waiting behind it).
     */
    static void createSchema(Connection db) throws SQLException {
        if (created) {
            return;
        }
        synchronized (Accounts.class) {
            if (!created && exists(db, "account_balance") && exists(db, "ledger_entry")) {
                created = true;
            }
            if (!created) {
                try (Statement statement = db.createStatement()) {
                    for (String sql : SCHEMA) {
                        statement.execute(sql);
                    }
                }
                created = true;
            }
        }
    }
}
