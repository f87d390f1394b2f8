package io.solarwind.ra;

import jakarta.resource.spi.InvalidPropertyException;
import org.apache.activemq.artemis.ra.inflow.ActiveMQActivationSpec;

/**
 * The activation spec that every {@code @Purpose} handler shares. Liberty validates it
 * before the adapter sees the bean, so a missing destination is allowed here: the adapter
 * fills it in from the bean's annotation.
 */
public class PurposeActivationSpec extends ActiveMQActivationSpec {
    @Override
    public void validate() throws InvalidPropertyException {
        if (getDestination() == null) {
            return; // filled in by SolarWindResourceAdapter.endpointActivation
        }
        super.validate();
    }
}
