package io.solarwind.handler.internal;

import io.solarwind.handler.HandlerSetting;
import io.solarwind.handler.Purpose;
import jakarta.ejb.MessageDriven;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * Registers every {@link Purpose} message-driven bean of an application with Solar Wind's
 * admin API while the application starts, retrying while the Solar Wind server is not up
 * yet. A purpose registered with the other exchange, or a bad name, is a CDI deployment
 * problem: the application does not start (so no handler of it consumes anything) and the
 * deployment error says which declaration conflicts with what.
 */
public class PurposeRegistrar implements Extension {
    private static final Logger LOG = Logger.getLogger(PurposeRegistrar.class.getName());
    private final List<Class<?>> handlers = new ArrayList<>();

    <T> void collect(@Observes @WithAnnotations(Purpose.class) ProcessAnnotatedType<T> type) {
        Class<T> handler = type.getAnnotatedType().getJavaClass();
        if (handler.isAnnotationPresent(MessageDriven.class) && handler.isAnnotationPresent(Purpose.class)) {
            handlers.add(handler);
        }
    }

    void register(@Observes AfterDeploymentValidation validation) {
        if (handlers.isEmpty()) {
            return;
        }
        String admin = HandlerSetting.ADMIN_URL.get();
        AdminClient client = RestClientBuilder.newBuilder()
                .baseUri(URI.create(admin))
                .connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .property("microprofile.rest.client.disable.default.mapper", true)
                .build(AdminClient.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HandlerSetting.REGISTRATION_TIMEOUT.getInt());
        for (Class<?> handler : handlers) {
            try {
                register(client, admin, handler, handler.getAnnotation(Purpose.class), deadline);
            } catch (DeploymentException refused) {
                validation.addDeploymentProblem(refused);
            }
        }
    }

    private static void register(AdminClient client, String admin, Class<?> handler, Purpose purpose, long deadline) {
        String exchange = purpose.exchange().name().toLowerCase(Locale.ROOT);
        String declaration = handler.getName() + " declares purpose '" + purpose.name() + "' (version " + purpose.version()
                + ") on topic '" + purpose.topic() + "' with exchange " + exchange;
        while (true) {
            String problem;
            try (Response response = client.register(authorization(), purpose.topic(), purpose.name(), registrationBody(purpose))) {
                int status = response.getStatus();
                String body = response.hasEntity() ? response.readEntity(String.class) : "";
                if (status == 200 || status == 201) {
                    int attempts = registeredAttempts(body);
                    RegisteredPolicies.registered(handler, attempts);
                    LOG.info(() -> "Solar Wind: " + declaration + " (" + (status == 201 ? "registered" : "already registered")
                            + ", " + attempts + " attempts before the dead-letter address)");
                    return;
                }
                boolean answeredBySolarWind = String.valueOf(response.getHeaderString("Content-Type")).startsWith("application/problem+json");
                if (status == 409 && answeredBySolarWind) {
                    throw new DeploymentException("Conflicting purpose declaration: " + declaration
                            + ", but Solar Wind answered: " + detail(body));
                }
                if ((status == 401 || status == 403) && answeredBySolarWind) {
                    throw new DeploymentException("Solar Wind refused to register " + declaration + " for want of rights (HTTP "
                            + status + "): set " + HandlerSetting.ADMIN_USER.key() + " and " + HandlerSetting.ADMIN_PASSWORD.key()
                            + " (or " + HandlerSetting.ADMIN_TOKEN.key() + ") to a user in the group solarwind-admin");
                }
                if (status >= 400 && status < 500 && answeredBySolarWind) {
                    throw new DeploymentException("Solar Wind refused the purpose: " + declaration + ": " + detail(body));
                }
                problem = "HTTP " + status + (answeredBySolarWind ? " " + detail(body) : " (Solar Wind is not deployed there yet)");
            } catch (ProcessingException e) {
                problem = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new DeploymentException("Could not register with Solar Wind at " + admin + " (" + problem + "): "
                        + declaration + "; set " + HandlerSetting.ADMIN_URL.key() + " to the Solar Wind server");
            }
            String why = problem;
            LOG.info(() -> "Solar Wind at " + admin + " is not answering yet (" + why + "); retrying");
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeploymentException("Interrupted while registering: " + declaration, e);
            }
        }
    }

    /** The Authorization header from the settings: a bearer token, else Basic, else none (null). */
    static String authorization() {
        String token = HandlerSetting.ADMIN_TOKEN.get();
        if (!token.isBlank()) {
            return "Bearer " + token.trim();
        }
        String user = HandlerSetting.ADMIN_USER.get();
        if (user.isEmpty()) {
            return null;
        }
        String pair = user + ":" + HandlerSetting.ADMIN_PASSWORD.get();
        return "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The PUT body: the exchange, and the redelivery values the annotation sets (the others stay as registered). */
    static String registrationBody(Purpose purpose) {
        JsonObjectBuilder redelivery = Json.createObjectBuilder();
        if (purpose.maxAttempts() > 0) {
            redelivery.add("maxAttempts", purpose.maxAttempts());
        }
        if (purpose.redeliveryDelayMillis() >= 0) {
            redelivery.add("delayMillis", purpose.redeliveryDelayMillis());
        }
        if (purpose.redeliveryMultiplier() > 0) {
            redelivery.add("multiplier", purpose.redeliveryMultiplier());
        }
        JsonObject policy = redelivery.build();
        // the version always: a bean of version 1 needs version 1's queue also where the purpose began with another
        JsonObjectBuilder body = Json.createObjectBuilder().add("exchange", purpose.exchange().name().toLowerCase(Locale.ROOT))
                .add("purposeVersion", purpose.version());
        if (!policy.isEmpty()) {
            body.add("redelivery", policy);
        }
        return body.build().toString();
    }

    /** {@code redelivery.maxAttempts} of the registration Solar Wind answered, 0 when it has none. */
    static int registeredAttempts(String registration) {
        try (JsonReader reader = Json.createReader(new StringReader(registration))) {
            JsonObject redelivery = reader.readObject().getJsonObject("redelivery");
            return redelivery == null ? 0 : redelivery.getInt("maxAttempts", 0);
        } catch (RuntimeException unreadable) {
            return 0;
        }
    }

    /** The {@code detail} of a problem document, or the body as it is. */
    static String detail(String body) {
        int at = body.indexOf("\"detail\":\"");
        if (at < 0) {
            return body;
        }
        int start = at + 10;
        int end = body.indexOf("\",\"", start);
        return (end < 0 ? body.substring(start) : body.substring(start, end)).replace("\\\"", "\"");
    }
}
