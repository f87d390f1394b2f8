package io.solarwind.interfaces.rest;

import io.solarwind.domain.Event;
import io.solarwind.domain.InvalidInputException;
import io.solarwind.domain.Topic;
import io.solarwind.config.Setting;
import io.solarwind.infrastructure.messaging.CloudEventProperties;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The CloudEvents 1.0 HTTP protocol binding: binary mode ({@code ce-*} headers, body = data),
 * structured mode ({@code application/cloudevents+json}) and batch mode
 * ({@code application/cloudevents-batch+json}, an array of structured events).
 * Fills in what the contract lets a publisher leave out: {@code id} (generated),
 * {@code source} ({@code /solarwind/http}), {@code specversion} and {@code time} (now).
 */
public final class CloudEventsHttp {
    public static final String STRUCTURED = "application/cloudevents+json";
    public static final String BATCH = "application/cloudevents-batch+json";

    private CloudEventsHttp() {
    }

    /**
     * @param topic       the topic of the URL; {@code type}, where given, must equal it
     * @param headers     request headers, names in any case
     * @param contentType the request's Content-Type, or null
     * @param body        the request body
     */
    public static Event parse(Topic topic, Map<String, List<String>> headers, String contentType, byte[] body) {
        String media = mediaType(contentType);
        if (media.equals(BATCH)) {
            throw new IllegalArgumentException("a batch is parsed by parseBatch");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        byte[] data;
        if (media.equals(STRUCTURED)) {
            data = structured(JsonBodies.object(body, "a CloudEvent as a JSON object"), attributes);
        } else {
            binary(headers, contentType, attributes);
            data = body;
        }
        complete(topic, attributes, media.equals(STRUCTURED) ? "type" : "ce-type");
        return new Event(attributes, data);
    }

    /** Whether a request's Content-Type is CloudEvents batch mode. */
    public static boolean isBatch(String contentType) {
        return mediaType(contentType).equals(BATCH);
    }

    /**
     * Batch mode: a JSON array of structured-mode events, each with the defaults of structured mode.
     * Every event is checked before any is returned; the first bad one is named by its index
     * ({@code field} {@code [i].<attribute>}, and {@code index}).
     *
     * @param maxEvents     most events the batch may hold (more: 413)
     * @param maxEventBytes most bytes of data one event may hold (more: 413 naming it)
     */
    public static List<Event> parseBatch(Topic topic, byte[] body, int maxEvents, int maxEventBytes) {
        JsonArray array = JsonBodies.array(body, "a JSON array of CloudEvents (structured mode)");
        if (array.size() > maxEvents) {
            throw ProblemException.tooLarge("the batch", String.valueOf(array.size()), maxEvents, "events",
                    Setting.HTTP_BATCH_MAX_EVENTS, "body", null);
        }
        List<Event> events = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonValue element = array.get(i);
            try {
                if (!(element instanceof JsonObject json)) {
                    throw new InvalidInputException("", "the event must be a JSON object (a CloudEvent in structured mode), not "
                            + element.getValueType().name().toLowerCase(Locale.ROOT));
                }
                Map<String, String> attributes = new LinkedHashMap<>();
                byte[] data = structured(json, attributes);
                complete(topic, attributes, "type");
                Event event = new Event(attributes, data);
                if (data.length > maxEventBytes) {
                    throw ProblemException.tooLarge("event [" + i + "] of the batch", String.valueOf(data.length), maxEventBytes,
                            "bytes of data", Setting.EVENT_MAX_BYTES, "[" + i + "].data", i);
                }
                if (Event.isTextual(event.dataContentType())) {
                    event.text(); // valid in its charset, or a 400 now rather than once some events are sent
                }
                events.add(event);
            } catch (InvalidInputException e) {
                String field = e.field() == null || e.field().isEmpty() ? "[" + i + "]" : "[" + i + "]." + e.field();
                throw new ProblemException(400, "invalid-input", "Invalid input", "event [" + i + "] of the batch: " + e.getMessage(),
                        field, i);
            }
        }
        return events;
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    private static void binary(Map<String, List<String>> headers, String contentType, Map<String, String> attributes) {
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!name.startsWith("ce-") || header.getValue().isEmpty()) {
                continue;
            }
            String attribute = name.substring(3);
            Event.checkAttributeName(name, attribute);
            if (attribute.equals("datacontenttype")) {
                throw new InvalidInputException(name, "in binary mode the data content type is the Content-Type header, not ce-datacontenttype");
            }
            if (header.getValue().size() > 1) {
                throw new InvalidInputException(name, "header " + name + " is given more than once");
            }
            attributes.put(attribute, percentDecode(name, header.getValue().get(0)));
        }
        if (contentType != null && !contentType.isBlank()) {
            attributes.put("datacontenttype", contentType.trim());
        }
    }

    private static byte[] structured(JsonObject json, Map<String, String> attributes) {
        JsonValue data = null;
        String dataBase64 = null;
        for (Map.Entry<String, JsonValue> member : json.entrySet()) {
            String name = member.getKey();
            JsonValue value = member.getValue();
            switch (name) {
                case "data" -> data = value;
                case "data_base64" -> {
                    if (!(value instanceof JsonString s)) {
                        throw new InvalidInputException("data_base64", "data_base64 must be a string");
                    }
                    dataBase64 = s.getString();
                }
                default -> {
                    Event.checkAttributeName(name, name);
                    switch (value.getValueType()) {
                        case STRING -> attributes.put(name, ((JsonString) value).getString());
                        case NUMBER -> attributes.put(name, number(name, value));
                        case TRUE, FALSE -> attributes.put(name, value.toString());
                        case NULL -> {
                        }
                        default -> throw new InvalidInputException(name, "attribute " + name + " must be a string, number or boolean");
                    }
                }
            }
        }
        if (data != null && dataBase64 != null) {
            throw new InvalidInputException("data", "give data or data_base64, not both");
        }
        if (dataBase64 != null) {
            try {
                return Base64.getDecoder().decode(dataBase64);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("data_base64", "data_base64 is not valid base64: " + e.getMessage());
            }
        }
        if (data == null || data.getValueType() == JsonValue.ValueType.NULL) {
            return new byte[0];
        }
        String contentType = attributes.get("datacontenttype");
        if (contentType == null) {
            contentType = "application/json";
            attributes.put("datacontenttype", contentType);
        }
        boolean textIsJson = isJson(contentType);
        if (!textIsJson && data instanceof JsonString s) {
            return s.getString().getBytes(Event.charsetOf(contentType));
        }
        if (!textIsJson) {
            throw new InvalidInputException("data", "data is JSON but datacontenttype is " + contentType
                    + "; use a JSON content type, a string, or data_base64");
        }
        return data.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String number(String name, JsonValue value) {
        try {
            return ((JsonNumber) value).bigDecimalValue().toString();
        } catch (RuntimeException e) {
            throw new InvalidInputException(name, "attribute " + name + " is not a usable number: " + e.getMessage());
        }
    }

    /** Checks the required attributes and fills in the defaults. */
    private static void complete(Topic topic, Map<String, String> attributes, String typeField) {
        String specversion = attributes.get("specversion");
        if (specversion != null && !specversion.equals(Event.SPEC_VERSION)) {
            throw new InvalidInputException(typeField.startsWith("ce-") ? "ce-specversion" : "specversion",
                    "specversion must be 1.0, not '" + specversion + "'");
        }
        String type = attributes.get("type");
        if (type != null && !type.equals(topic.name())) {
            throw new InvalidInputException(typeField, typeField + " '" + type + "' does not match the topic '"
                    + topic.name() + "' of the URL");
        }
        String id = attributes.get("id");
        if (id != null && id.isEmpty()) {
            throw new InvalidInputException(typeField.startsWith("ce-") ? "ce-id" : "id", "id must not be empty");
        }
        String source = attributes.get("source");
        if (source != null && source.isEmpty()) {
            throw new InvalidInputException(typeField.startsWith("ce-") ? "ce-source" : "source", "source must not be empty");
        }
        String time = attributes.get("time");
        if (time != null) {
            try {
                OffsetDateTime.parse(time);
            } catch (DateTimeParseException e) {
                throw new InvalidInputException(typeField.startsWith("ce-") ? "ce-time" : "time",
                        "time '" + time + "' is not an RFC 3339 timestamp");
            }
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        ordered.put("specversion", Event.SPEC_VERSION);
        ordered.put("id", id == null ? UUID.randomUUID().toString() : id);
        ordered.put("source", source == null ? CloudEventProperties.DEFAULT_HTTP_SOURCE : source);
        ordered.put("type", topic.name());
        ordered.put("time", time == null ? CloudEventProperties.now() : time);
        attributes.forEach(ordered::putIfAbsent);
        attributes.clear();
        attributes.putAll(ordered);
    }

    private static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.endsWith("+json") || media.equals("text/json");
    }

    /** Header values are percent-encoded UTF-8 where they hold characters outside printable ASCII. */
    static String percentDecode(String header, String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    throw new InvalidInputException(header, "bad percent-encoding in " + header);
                }
                int hi = Character.digit(value.charAt(i + 1), 16);
                int lo = Character.digit(value.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new InvalidInputException(header, "bad percent-encoding in " + header);
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        byte[] bytes = out.toByteArray();
        Event probe = new Event(Map.of("datacontenttype", "text/plain; charset=utf-8"), bytes);
        try {
            return probe.text();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(header, header + " is not valid percent-encoded UTF-8");
        }
    }
}
