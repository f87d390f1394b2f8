package io.solarwind.handler.internal;

import io.solarwind.handler.Idempotent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The application's {@link Idempotent} handlers, found at deployment: their outbox publishers start with it. */
public class IdempotentHandlers implements Extension {
    private final List<Idempotent> declared = new CopyOnWriteArrayList<>();

    <T> void collect(@Observes @WithAnnotations(Idempotent.class) ProcessAnnotatedType<T> type) {
        Idempotent idempotent = IdempotentInterceptor.idempotentOf(type.getAnnotatedType().getJavaClass());
        if (idempotent != null) {
            declared.add(idempotent);
        }
    }

    List<Idempotent> declared() {
        return declared;
    }
}
