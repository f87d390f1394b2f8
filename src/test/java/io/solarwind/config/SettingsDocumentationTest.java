package io.solarwind.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's settings table is generated from {@link Setting}: this test fails when
 * they differ and prints the table to paste.
 */
class SettingsDocumentationTest {
    @Test
    void readmeListsEverySettingAsDeclared() throws Exception {
        String readme = Files.readString(Path.of("../docs/configuration.md"));
        String table = Setting.markdownTable();
        assertTrue(readme.contains(table), "docs/configuration.md must contain the settings table generated from Setting:\n\n" + table);
    }
}
