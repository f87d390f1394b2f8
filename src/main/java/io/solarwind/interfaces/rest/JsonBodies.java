package io.solarwind.interfaces.rest;

import io.solarwind.domain.InvalidInputException;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.ByteArrayInputStream;

/** Reads a request body as one JSON object or array; anything else, however broken, is a 400 that says so. */
final class JsonBodies {
    private JsonBodies() {
    }

    static JsonObject object(byte[] body, String expected) {
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            // JsonException for bad syntax, but the parser also throws plain RuntimeExceptions for
            // nesting deeper than it allows and UnsupportedOperationException for huge numbers
            throw new InvalidInputException("body", "the body must be " + expected + ": " + e.getMessage());
        }
    }

    static JsonArray array(byte[] body, String expected) {
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            return reader.readArray();
        } catch (RuntimeException e) {
            throw new InvalidInputException("body", "the body must be " + expected + ": " + e.getMessage());
        }
    }
}
