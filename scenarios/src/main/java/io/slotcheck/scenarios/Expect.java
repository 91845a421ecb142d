package io.slotcheck.scenarios;

import java.util.Objects;

/**
 * The assertions the named scenarios make about their histories, named and worded as JUnit's (a failure is an
 * {@link AssertionError} saying {@code message ==> expected: <a> but was: <b>}), so that a scenario reads as a test
 * while the suite runs without JUnit on its class path.
 */
public final class Expect {

    private Expect() {
    }

    public static void assertTrue(boolean condition) {
        assertTrue(condition, null);
    }

    public static void assertTrue(boolean condition, String message) {
        if (!condition) {
            throw expected(message, true, false);
        }
    }

    public static void assertFalse(boolean condition, String message) {
        if (condition) {
            throw expected(message, false, true);
        }
    }

    public static void assertEquals(Object expected, Object actual) {
        assertEquals(expected, actual, null);
    }

    public static void assertEquals(Object expected, Object actual, String message) {
        if (!Objects.equals(expected, actual)) {
            throw expected(message, expected, actual);
        }
    }

    public static void assertNotEquals(Object unexpected, Object actual, String message) {
        if (Objects.equals(unexpected, actual)) {
            throw new AssertionError(prefix(message) + "expected: not equal but was: <" + actual + ">");
        }
    }

    public static void assertNull(Object actual, String message) {
        if (actual != null) {
            throw expected(message, null, actual);
        }
    }

    public static <T> T assertInstanceOf(Class<T> type, Object actual) {
        return assertInstanceOf(type, actual, null);
    }

    /** {@code actual} as a {@code type}, which it must be. */
    public static <T> T assertInstanceOf(Class<T> type, Object actual, String message) {
        if (!type.isInstance(actual)) {
            throw new AssertionError(prefix(message) + "Unexpected type, expected: <" + type.getName() + "> but was: <"
                    + (actual == null ? null : actual.getClass().getName()) + ">");
        }
        return type.cast(actual);
    }

    private static AssertionError expected(String message, Object expected, Object actual) {
        return new AssertionError(prefix(message) + "expected: <" + expected + "> but was: <" + actual + ">");
    }

    private static String prefix(String message) {
        return message == null || message.isBlank() ? "" : message + " ==> ";
    }
}
