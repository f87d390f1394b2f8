package io.solarwind.application;

/**
 * Another server wrote the same version of a registry key first (the broker refused the second
 * write as a duplicate): the registry reads the key again and retries, or, when the key keeps
 * changing under it, answers 409.
 */
public class ConcurrentRegistryChangeException extends RuntimeException {
    public ConcurrentRegistryChangeException(String key, long version) {
        super("registration " + key + " was changed through another server at the same time (version " + version
                + " is taken); read it again and retry");
    }
}
