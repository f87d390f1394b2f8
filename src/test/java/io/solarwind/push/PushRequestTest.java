package io.solarwind.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a push request carries, apart from JMS and HTTP: header values, and the example receiver's check. */
class PushRequestTest {
    @Test
    void headerValuesArePercentEncodedAsTheCloudEventsHttpBindingSays() {
        assertEquals("plain-value/1.0", PushDelivery.percentEncode("plain-value/1.0"));
        assertEquals("a%20b%25c%22d", PushDelivery.percentEncode("a b%c\"d"));
        assertEquals("Zo%C3%AB", PushDelivery.percentEncode("Zoë"));
        assertEquals("line%0D%0Abreak", PushDelivery.percentEncode("line\r\nbreak"), "no header injection");
    }

    /** The receiver example in examples/push-receiver accepts what the server signs, and only that. */
    @Test
    void theExampleReceiverAcceptsTheServersSignature(@TempDir Path classes) throws Exception {
        Path source = Path.of("../examples/push-receiver/PushReceiver.java");
        assertTrue(Files.exists(source), "the example at " + source.toAbsolutePath());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), source.toString()), "the example compiles");
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Method verify = loader.loadClass("PushReceiver").getDeclaredMethod("verify", String.class, String.class, byte[].class, long.class);
            verify.setAccessible(true);
            byte[] body = "{\"video\":\"cat.mp4\"}".getBytes(StandardCharsets.UTF_8);
            long now = System.currentTimeMillis() / 1000;
            String header = PushSignature.header("the-purpose-secret", now, body);
            assertEquals(true, verify.invoke(null, header, "the-purpose-secret", body, now));
            assertEquals(false, verify.invoke(null, header, "another-secret-16", body, now));
            assertEquals(false, verify.invoke(null, header, "the-purpose-secret", "{}".getBytes(StandardCharsets.UTF_8), now));
            assertEquals(false, verify.invoke(null, header, "the-purpose-secret", body, now + 301), "too old");
            assertEquals(false, verify.invoke(null, "t=x,v1=zz", "the-purpose-secret", body, now));
            assertEquals(false, verify.invoke(null, null, "the-purpose-secret", body, now));
        }
    }

    @Test
    void bodiesAreTheDataInTheirCharset() throws Exception {
        assertArrayEquals("Zoë".getBytes(StandardCharsets.ISO_8859_1),
                PushDelivery.body(text("Zoë"), "text/plain; charset=ISO-8859-1"));
        assertArrayEquals("Zoë".getBytes(StandardCharsets.UTF_8), PushDelivery.body(text("Zoë"), "application/json"));
    }

    /** Just enough of a TextMessage: its text. */
    private static jakarta.jms.TextMessage text(String text) {
        return (jakarta.jms.TextMessage) java.lang.reflect.Proxy.newProxyInstance(PushRequestTest.class.getClassLoader(),
                new Class<?>[] {jakarta.jms.TextMessage.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getText")) {
                        return text;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
