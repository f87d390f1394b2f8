package io.solarwind.application;

import io.solarwind.domain.Registration;

/**
 * A version change the purpose cannot take: a cut-over of a fanout purpose or to a version it does
 * not have, a second version of a pushed purpose, or more versions than a purpose may have.
 */
public class VersionConflictException extends RuntimeException {
    public VersionConflictException(Registration existing, String why) {
        super("purpose '" + existing.purpose() + "' on topic '" + existing.topic() + "' (versions " + existing.versions().names()
                + ", active " + existing.versions().active() + "): " + why);
    }
}
