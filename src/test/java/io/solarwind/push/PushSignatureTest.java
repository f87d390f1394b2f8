package io.solarwind.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PushSignatureTest {
    private static final String SECRET = "s3cret-of-sixteen+";
    private static final byte[] BODY = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
    /** Computed apart, so that the test does not check the code against itself: printf '1700000000.{"n":1}' | openssl dgst -sha256 -hmac 's3cret-of-sixteen+' */
    private static final String OPENSSL_HMAC = "ad5204078eca70a971c0a137d5d814a9a093e78746a1ddb3fb7db82568e1ff66";

    @Test
    void headerIsTimeAndHexHmacOverTimeDotBody() {
        assertEquals("t=1700000000,v1=" + OPENSSL_HMAC, PushSignature.header(SECRET, 1_700_000_000L, BODY));
    }

    @Test
    void verifiesWhatItSigns() {
        String header = PushSignature.header(SECRET, 1_700_000_000L, BODY);
        assertTrue(PushSignature.verify(header, SECRET, BODY, 1_700_000_100L, 300));
    }

    @Test
    void refusesAnotherBodySecretOrTime() {
        String header = PushSignature.header(SECRET, 1_700_000_000L, BODY);
        assertFalse(PushSignature.verify(header, SECRET, "{\"n\":2}".getBytes(StandardCharsets.UTF_8), 1_700_000_000L, 300));
        assertFalse(PushSignature.verify(header, "another-secret-of-16", BODY, 1_700_000_000L, 300));
        assertFalse(PushSignature.verify(header, SECRET, BODY, 1_700_000_301L, 300), "too old: a replayed request");
        assertFalse(PushSignature.verify(header.replace("t=1700000000", "t=1700000001"), SECRET, BODY, 1_700_000_000L, 300),
                "the time is signed too");
    }

    @Test
    void refusesMalformedHeaders() {
        assertFalse(PushSignature.verify(null, SECRET, BODY, 0, 300));
        assertFalse(PushSignature.verify("", SECRET, BODY, 0, 300));
        assertFalse(PushSignature.verify("t=x,v1=00", SECRET, BODY, 0, 300));
        assertFalse(PushSignature.verify("t=0,v1=zz", SECRET, BODY, 0, 300));
        assertFalse(PushSignature.verify("t=0", SECRET, BODY, 0, 300));
    }
}
