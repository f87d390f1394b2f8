package io.solarwind.ra;

import io.solarwind.handler.Exchange;
import io.solarwind.handler.PurposeDestination;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;
import org.apache.activemq.artemis.ra.ActiveMQResourceAdapter;
import org.apache.activemq.artemis.ra.inflow.ActiveMQActivation;
import org.apache.activemq.artemis.ra.inflow.ActiveMQActivationSpec;

/**
 * The Artemis resource adapter, plus one step at endpoint activation: when the
 * message-driven bean carries {@code @io.solarwind.handler.Purpose}, the activation consumes
 * that purpose's destination (a queue for direct, a topic with its own non-durable
 * subscription for fanout). The annotation is read by name: its class lives in the
 * application's class loader, not in this adapter's.
 */
public class SolarWindResourceAdapter extends ActiveMQResourceAdapter {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(SolarWindResourceAdapter.class.getName());
    static final String PURPOSE_ANNOTATION = "io.solarwind.handler.Purpose";

    /**
     * Before the adapter starts: given several brokers ({@code ConnectionParameters} of the form
     * {@code host=a;port=61616,host=b;port=61617}, the two halves of an HA pair), every one gets the
     * TCP connector (Artemis wants one connector class per entry) and the adapter's connections
     * fail over between them (HA, reconnecting without limit), so handlers keep consuming when the
     * active broker goes.
     */
    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        // Liberty's transaction manager recovers the handlers' in-doubt transactions itself (a handler's
        // server killed between the two phases of its commit leaves the event and what it fired prepared
        // on the broker): it asks the adapter for the XA resources of its activations, which Artemis
        // hands out only without its own "auto recovery" (meant for servers with a recovery registry)
        setUseAutoRecovery(false);
        String parameters = getConnectionParameters();
        int brokers = parameters == null || parameters.isBlank() ? 1 : parameters.split(",").length;
        String connector = getConnectorClassName();
        if (brokers > 1 && connector != null && !connector.contains(",")) {
            setConnectorClassName(String.join(",", Collections.nCopies(brokers, connector.trim())));
            if (getHA() == null || !getHA()) {
                setHA(true);
            }
            if (getReconnectAttempts() == null || getReconnectAttempts() == 0) {
                setReconnectAttempts(-1);
            }
            LOG.info(() -> "Solar Wind handlers connect to " + brokers + " brokers with failover: " + parameters);
        }
        super.start(context);
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        Class<?> bean = factory.getEndpointClass();
        Annotation purpose = bean == null ? null : purposeOf(bean);
        if (purpose != null && spec instanceof ActiveMQActivationSpec activation) {
            String topic = (String) attribute(purpose, "topic");
            String name = (String) attribute(purpose, "name");
            Exchange exchange = Exchange.valueOf(attribute(purpose, "exchange").toString());
            int concurrency = (Integer) attribute(purpose, "concurrency");
            String version = versionOf(purpose);
            String destination = PurposeDestination.name(topic, name, exchange, version);
            activation.setUseJNDI(false);
            activation.setDestination(destination);
            if (exchange == Exchange.DIRECT) {
                activation.setDestinationType("jakarta.jms.Queue");
                activation.setMaxSession(Math.max(1, concurrency));
            } else {
                activation.setDestinationType("jakarta.jms.Topic");
                activation.setSubscriptionDurability("NonDurable");
                activation.setMaxSession(1); // one subscription, so this instance sees each event once
            }
            activation.validate();
            LOG.info(() -> "Solar Wind handler " + bean.getName() + " consumes " + destination
                    + " (purpose '" + name + "' version " + version + " on topic '" + topic + "', " + exchange.name().toLowerCase() + ")");
        }
        super.endpointActivation(factory, spec);
    }

    static Annotation purposeOf(Class<?> bean) {
        for (Class<?> c = bean; c != null; c = c.getSuperclass()) {
            for (Annotation a : c.getDeclaredAnnotations()) {
                if (a.annotationType().getName().equals(PURPOSE_ANNOTATION)) {
                    return a;
                }
            }
        }
        return null;
    }

    /** The bean's {@code @Purpose(version)}; "1" for a bean built with a handler API that had none. */
    static String versionOf(Annotation purpose) throws ResourceException {
        try {
            purpose.annotationType().getMethod("version");
        } catch (NoSuchMethodException older) {
            return "1";
        }
        return (String) attribute(purpose, "version");
    }

    private static Object attribute(Annotation annotation, String name) throws ResourceException {
        try {
            Method m = annotation.annotationType().getMethod(name);
            m.setAccessible(true);
            return m.invoke(annotation);
        } catch (ReflectiveOperationException e) {
            throw new ResourceException("Cannot read " + name + " of " + annotation, e);
        }
    }

    /**
     * The XA resources Liberty's transaction manager recovers the handlers' inbound branches with.
     * It asks with activation specs made from the configuration, which never equal the ones
     * activated here ({@link #endpointActivation} sets each bean's destination on its spec), so
     * Artemis's own lookup finds none and the recovery of a transaction with an inbound branch
     * never ends: found when a handler server killed during two-phase commit left its PostgreSQL
     * branches prepared, holding their locks, after every restart (OnceIT). Every activation
     * reaches the same broker (or pair), whose {@code recover()} lists all its prepared
     * transactions, so when the specs match nothing, one XA resource of any running activation
     * answers; with none running yet, none (Liberty tries again a minute later).
     */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) throws ResourceException {
        XAResource[] own = super.getXAResources(specs);
        if (own == null || own.length > 0) {
            return own;
        }
        for (ActiveMQActivation activation : getActivations().values()) {
            List<XAResource> resources = activation.getXAResources();
            if (!resources.isEmpty()) {
                LOG.fine(() -> "XA recovery of " + Arrays.toString(specs) + " through an activation of " + activation.getActivationSpec().getDestination());
                return new XAResource[] {resources.get(0)};
            }
        }
        return own;
    }

    @Override
    public boolean equals(Object other) {
        return super.equals(other);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
