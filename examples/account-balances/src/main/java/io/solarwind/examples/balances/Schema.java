package io.solarwind.examples.balances;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Creates the example's tables when the application starts (a real service would use its schema tool). */
@ApplicationScoped
public class Schema {
    @Resource(lookup = "jdbc/balances")
    DataSource db;

    void create(@Observes @Initialized(ApplicationScoped.class) Object started) throws SQLException {
        try (Connection connection = db.getConnection()) {
            Accounts.createSchema(connection);
        }
    }
}
