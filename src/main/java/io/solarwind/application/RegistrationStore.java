package io.solarwind.application;

import io.solarwind.domain.Registration;
import java.util.List;

/** Where registrations are kept so that they survive a restart. */
public interface RegistrationStore {
    /** Every registration saved and not deleted, in no particular order. */
    List<Registration> loadAll();

    /** Stores a registration durably before returning. */
    void save(Registration registration);

    /** Removes a registration durably before returning. */
    void delete(Registration registration);
}
