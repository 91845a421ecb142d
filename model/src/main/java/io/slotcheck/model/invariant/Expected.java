package io.slotcheck.model.invariant;

import io.slotcheck.model.version.Message;

import java.util.List;

/** The outcome the model predicts for an operation. */
sealed interface Expected {

    record Succeeds() implements Expected {
    }

    /** Fails with one of these messages (several when the order of the server's checks depends on timing). */
    record FailsWith(List<Message> anyOf, String sqlState) implements Expected {
        FailsWith(Message... anyOf) {
            this(List.of(anyOf), null);
        }
    }

    /** The model does not decide this one (yet): the server is free to do either. */
    record Unpredicted() implements Expected {
    }
}
