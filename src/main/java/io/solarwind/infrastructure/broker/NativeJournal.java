package io.solarwind.infrastructure.broker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.logging.Logger;

/**
 * Makes Artemis's ASYNCIO journal loadable. Artemis looks for {@code libartemis-native-64.so}
 * on {@code java.library.path} only, while the library travels inside the
 * {@code activemq-artemis-native} jar; so it is copied out to {@code native/} under the working
 * directory (Liberty's server output directory), which {@code -Djava.library.path=native} in
 * the server's JVM options names. Without Debian's {@code libaio1} the broker falls back to NIO.
 */
final class NativeJournal {
    private static final Logger LOG = Logger.getLogger(NativeJournal.class.getName());
    private static final String LIBRARY = "libartemis-native-64.so";
    private static final String RESOURCE = "lib/linux-x86_64/" + LIBRARY;

    private NativeJournal() {
    }

    /** Whether the native library is where Artemis will look for it; false off x86-64 Linux. */
    static boolean prepare() {
        String arch = System.getProperty("os.arch", "");
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return false;
        }
        String path = System.getProperty("java.library.path", "");
        File directory = null;
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.equals("native") || entry.endsWith(File.separator + "native")) {
                directory = new File(entry);
            }
        }
        if (directory == null) {
            LOG.info(() -> "java.library.path has no 'native' entry; the broker journal uses NIO");
            return false;
        }
        File target = new File(directory, LIBRARY);
        if (target.isFile()) {
            return true;
        }
        try (InputStream in = NativeJournal.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return false;
            }
            Files.createDirectories(directory.toPath());
            Files.copy(in, target.toPath(), StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException e) {
            LOG.warning("Cannot copy " + LIBRARY + " to " + directory + ": " + e + "; the broker journal uses NIO");
            return false;
        }
    }
}
