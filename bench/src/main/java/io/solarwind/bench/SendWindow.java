package io.solarwind.bench;

import jakarta.jms.CompletionListener;
import jakarta.jms.Message;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A JMS publisher's unconfirmed sends, at most {@code size} at a time: {@link #acquire} before each
 * asynchronous send, {@link #listener} as its completion listener, {@link #flush} waits for all.
 * Shared by the JMS rigs over CORE and over AMQP 1.0.
 */
final class SendWindow {
    private final int size;
    private final Semaphore free;
    private final CompletionListener listener = new CompletionListener() {
        @Override
        public void onCompletion(Message message) {
            free.release();
        }

        @Override
        public void onException(Message message, Exception exception) {
            free.release();
            exception.printStackTrace();
        }
    };

    SendWindow(int size) {
        this.size = size;
        this.free = new Semaphore(size);
    }

    void acquire() throws InterruptedException {
        free.acquire();
    }

    CompletionListener listener() {
        return listener;
    }

    /** Waits until every send made so far is confirmed (60 s at most). */
    void flush() throws InterruptedException {
        if (!free.tryAcquire(size, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("sends not confirmed within 60 s");
        }
        free.release(size);
    }
}
