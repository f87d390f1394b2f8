package io.solarwind.domain;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One CloudEvents 1.0 event: its context attributes (by their CloudEvents names,
 * {@code id}, {@code source}, {@code type}, ..., extensions included) and its data,
 * byte for byte.
 */
public record Event(Map<String, String> attributes, byte[] data) {
    public static final String SPEC_VERSION = "1.0";
    /** Attribute names: lower-case letters and digits, at most 20 characters (CloudEvents 1.0). */
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z0-9]{1,20}");

    public Event {
        Objects.requireNonNull(attributes, "attributes");
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        data = data == null ? new byte[0] : data;
    }

    public String id() {
        return attributes.get("id");
    }

    public String source() {
        return attributes.get("source");
    }

    public String type() {
        return attributes.get("type");
    }

    public String dataContentType() {
        return attributes.get("datacontenttype");
    }

    /**
     * The data as text, decoded with the charset of its content type.
     *
     * @throws InvalidInputException when the bytes are not valid in that charset
     */
    public String text() {
        Charset charset = charsetOf(dataContentType());
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("data", "data is declared as " + dataContentType()
                    + " but is not valid " + charset.name() + " text");
        }
    }

    /** Whether an attribute name is a valid CloudEvents attribute name. */
    public static void checkAttributeName(String field, String name) {
        if (!ATTRIBUTE_NAME.matcher(name).matches()) {
            throw new InvalidInputException(field, "CloudEvents attribute name '" + Names.printable(name)
                    + "' is not allowed: 1 to 20 lower-case letters or digits");
        }
    }


    /**
     * Whether data of this content type travels as text (a JMS {@code TextMessage}):
     * {@code text/*}, {@code application/json}, {@code *+json}, {@code application/xml}, {@code *+xml}.
     */
    public static boolean isTextual(String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = mediaType(contentType);
        return media.startsWith("text/")
                || media.equals("application/json") || media.endsWith("+json")
                || media.equals("application/xml") || media.endsWith("+xml");
    }

    /** The charset named by a content type, UTF-8 when it names none. */
    public static Charset charsetOf(String contentType) {
        if (contentType != null) {
            for (String param : contentType.split(";")) {
                String p = param.trim();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    String name = p.substring(8).replace("\"", "").trim();
                    try {
                        return Charset.forName(name);
                    } catch (RuntimeException e) {
                        throw new InvalidInputException("datacontenttype", "unknown charset '" + Names.printable(name) + "'");
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
