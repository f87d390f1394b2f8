package io.solarwind.application;

import java.util.List;
import java.util.function.Consumer;

/** Where the topics' schemas are kept, shared by every Solar Wind server, and how a server hears of a change. */
public interface SchemaStore {
    /** Every topic's schemas as last written (a topic whose schemas were deleted has an empty record). */
    List<TopicSchemas.Record> loadAll();

    /** Keeps a topic's schemas (replacing what it had) and announces it to every server. */
    void write(TopicSchemas.Record record);

    /** Calls {@code listener} with each record any server writes from now on. */
    void listen(Consumer<TopicSchemas.Record> listener);
}
