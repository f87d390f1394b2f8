package io.solarwind.infrastructure.broker;

import io.solarwind.infrastructure.messaging.BrokerRoles;
import io.solarwind.infrastructure.messaging.BrokerRoles.Permission;
import java.io.File;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.apache.activemq.artemis.spi.core.security.jaas.PropertiesLoginModule;

/**
 * How the embedded broker authenticates, with Artemis's own JAAS login modules: first the
 * server's internal user (in memory, a password made up at each start, or in an HA pair the pair's cluster password, which both halves know, role
 * {@value BrokerRoles#SERVER}), then Artemis's {@code PropertiesLoginModule} over the users and
 * roles files (the format of a standalone broker's {@code artemis-users.properties} and
 * {@code artemis-roles.properties}, re-read when they change).
 */
final class BrokerLogin extends SecurityConfiguration {
    static final String INTERNAL_USER = "solarwind-server";

    private final String internalPassword;
    private final File usersFile;
    private final File rolesFile;

    /** {@code internalPassword}: the server's own password, or null to make one up. */
    BrokerLogin(File usersFile, File rolesFile, String internalPassword) {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.internalPassword = internalPassword != null ? internalPassword : Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        this.usersFile = usersFile;
        this.rolesFile = rolesFile;
        addUser(INTERNAL_USER, this.internalPassword);
        addRole(INTERNAL_USER, BrokerRoles.SERVER);
    }

    String internalPassword() {
        return internalPassword;
    }

    ActiveMQJAASSecurityManager securityManager() {
        return new ActiveMQJAASSecurityManager("solarwind", this);
    }

    @Override
    public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        Map<String, Object> internal = new HashMap<>();
        internal.put(InVMLoginModule.CONFIG_PROP_NAME, this);
        Map<String, Object> files = new HashMap<>();
        files.put(PropertiesLoginModule.USER_FILE_PROP_NAME, usersFile.getAbsolutePath());
        files.put(PropertiesLoginModule.ROLE_FILE_PROP_NAME, rolesFile.getAbsolutePath());
        files.put("reload", "true");
        return new AppConfigurationEntry[] {
                new AppConfigurationEntry(InVMLoginModule.class.getName(), LoginModuleControlFlag.SUFFICIENT, internal),
                new AppConfigurationEntry(PropertiesLoginModule.class.getName(), LoginModuleControlFlag.REQUIRED, files),
        };
    }

    /** Artemis roles from Solar Wind's permission table. */
    static Set<Role> roles(Map<Permission, List<String>> table) {
        Set<String> names = new HashSet<>();
        table.values().forEach(names::addAll);
        Set<Role> roles = new HashSet<>();
        for (String n : names) {
            roles.add(new Role(n,
                    has(table, Permission.SEND, n), has(table, Permission.CONSUME, n),
                    has(table, Permission.CREATE_DURABLE_QUEUE, n), has(table, Permission.DELETE_DURABLE_QUEUE, n),
                    has(table, Permission.CREATE_NON_DURABLE_QUEUE, n), has(table, Permission.DELETE_NON_DURABLE_QUEUE, n),
                    has(table, Permission.MANAGE, n), has(table, Permission.BROWSE, n),
                    has(table, Permission.CREATE_ADDRESS, n), has(table, Permission.DELETE_ADDRESS, n)));
        }
        return roles;
    }

    private static boolean has(Map<Permission, List<String>> table, Permission p, String role) {
        return table.getOrDefault(p, List.of()).contains(role);
    }
}
