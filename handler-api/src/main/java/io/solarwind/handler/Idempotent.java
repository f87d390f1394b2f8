package io.solarwind.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Handles each event of a {@link Purpose} once in the handler's own database, without XA. Put
 * it beside {@code @Purpose} and do the handler's database work on {@link EventConnection#current()}:
 *
 * <pre>{@code
 * @Purpose(topic = "payment.booked", name = "balances")
 * @Idempotent(dataSource = "jdbc/balances")
 * @MessageDriven
 * public class Balances implements MessageListener {
 *     public void onMessage(Message message) {
 *         Connection db = EventConnection.current();   // its local transaction records the event
 *         ...
 *     }
 * }
 * }</pre>
 *
 * Before {@code onMessage} the handler API takes a connection from the data source, starts a
 * local transaction and inserts the event's key (topic, purpose, {@code ce_source},
 * {@code ce_id}) into {@code solarwind_handled_event}; when the key is there already, the event
 * was handled and committed before (the broker delivers it again after a crash between that
 * commit and its acknowledgement): {@code onMessage} is skipped and the event acknowledged.
 * Otherwise {@code onMessage} runs and the transaction commits when it returns (rolls back when
 * it throws), the record and the handler's work together. Events fired with
 * {@link SolarWindEvents} meanwhile go into the outbox table {@code solarwind_outbox} in the
 * same transaction and are published after the commit, so they exist iff the work committed.
 *
 * <p>The data source must not take part in the container's JTA transaction (in Liberty:
 * {@code <dataSource transactional="false">}); the handler API creates both tables when
 * missing (docs/handlers.md has their SQL). Records older than {@link #retentionDays()} are
 * deleted: an event delivered again after that is handled again.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Idempotent {
    /** JNDI name of the handler's own data source ({@code jdbc/balances}), not enlisted in JTA. */
    String dataSource();

    /** Days a handled event's record is kept; a redelivery within them is recognized. */
    int retentionDays() default 7;
}
