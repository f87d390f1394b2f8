package io.solarwind.handler;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares what a {@code @MessageDriven} handler does with a topic's events. On deployment
 * the purpose is registered with Solar Wind (a conflicting exchange fails the deployment),
 * and the bean consumes the purpose's destination: each bean class is one instance of the
 * purpose.
 */
@Documented
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Purpose {
    /** The topic: the CloudEvents {@code type} of the events ({@code video.uploaded}). */
    @Nonbinding
    String topic();

    /** The purpose's name ({@code encode-mp4}): letters, digits, '_' and '-'. */
    @Nonbinding
    String name();

    /** How this purpose's instances share events; {@link Exchange#DIRECT} by default. */
    @Nonbinding
    Exchange exchange() default Exchange.DIRECT;

    /**
     * Deliveries of one event before it goes to the dead-letter address, with the purpose,
     * the attempt count and the failure. 0 keeps the purpose's registered policy (a new
     * purpose gets the Solar Wind server's {@code solarwind.redelivery.max-attempts}, 5 by default).
     */
    @Nonbinding
    int maxAttempts() default 0;

    /**
     * Milliseconds the broker waits before delivering a failed event again; -1 keeps the
     * registered policy (a new purpose gets {@code solarwind.redelivery.delay-millis}, 1000).
     */
    @Nonbinding
    long redeliveryDelayMillis() default -1;

    /**
     * Each further redelivery waits this many times longer (backoff); 0 keeps the registered
     * policy (a new purpose gets {@code solarwind.redelivery.multiplier}, 2.0).
     */
    @Nonbinding
    double redeliveryMultiplier() default 0;

    /**
     * The version of the purpose this bean implements ("1" when it declares none). A direct purpose's
     * versions each have a queue: a new version's instances get events once Solar Wind is cut over to it
     * ({@code POST /api/v1/topics/{topic}/purposes/{purpose}/cutover}), while the old version's finish what
     * they hold, so each event is handled by one version (docs/concepts.md, "Versions"). A fanout purpose's
     * instances all get a copy, whatever their version.
     */
    @Nonbinding
    String version() default "1";

    /** Events this instance handles at once (JMS sessions); fanout instances always use 1, to see each event once. */
    @Nonbinding
    int concurrency() default 1;
}
