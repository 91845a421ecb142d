package io.slotcheck.model.operation;

import io.slotcheck.model.version.Message;

import java.util.List;

/** The outcome the model predicts for an operation. */
public sealed interface Expected {

    /**
     * Succeeds, because {@code why}; an error in {@code tolerated} is allowed too (e.g. the slot is in use by a consumer
     * right then).
     */
    record Succeeds(String why, List<Message> tolerated) implements Expected {
    }

    /**
     * Fails with one of these messages, and its SQLSTATE (several when the order of the server's checks depends on
     * timing).
     */
    record FailsWith(List<Message> anyOf) implements Expected {
        public FailsWith(Message... anyOf) {
            this(List.of(anyOf));
        }
    }

    /** The model does not decide this one: the server is free to do either. */
    record Unpredicted() implements Expected {
    }

    Expected UNPREDICTED = new Unpredicted();
}
